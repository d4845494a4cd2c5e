package org.lockergate.upstream.mqtt.internal;

import java.util.EnumMap;
import java.util.Map;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StoreException;

/** Counts the unconfirmed outbox rows per stream. */
@FunctionalInterface
interface DepthProbe {

    Map<Stream, Long> depth() throws StoreException;

    /** {@link LockerStore#pendingCount} of each stream (the store answers it without reading the rows). */
    static DepthProbe of(LockerStore store) {
        return () -> {
            Map<Stream, Long> out = new EnumMap<>(Stream.class);
            for (Stream s : Stream.values()) {
                out.put(s, store.pendingCount(s));
            }
            return out;
        };
    }
}
