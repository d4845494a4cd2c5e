package org.lockergate.upstream.mqtt.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumMap;
import java.util.Map;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StoreException;

/** Counts the unconfirmed outbox rows per stream. */
@FunctionalInterface
interface DepthProbe {

    Map<Stream, Long> depth() throws StoreException;

    /**
     * One indexed COUNT through {@link LockerStore#read} ({@code outbox_pending} index: confirmed_at, stream, seq).
     * The store API has no count yet; this is the one place that knows the outbox table.
     */
    static DepthProbe sql(LockerStore store) {
        return () -> {
            try {
                return store.read(tx -> {
                    Map<Stream, Long> out = new EnumMap<>(Stream.class);
                    for (Stream s : Stream.values()) {
                        out.put(s, 0L);
                    }
                    try (PreparedStatement ps = tx.connection().prepareStatement(
                            "SELECT stream, COUNT(*) FROM outbox WHERE confirmed_at IS NULL GROUP BY stream");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            try {
                                out.put(Stream.valueOf(rs.getString(1)), rs.getLong(2));
                            } catch (IllegalArgumentException unknown) {
                                // a stream this version does not know
                            }
                        }
                    }
                    return out;
                });
            } catch (LockerException e) {
                throw new StoreException(e.getMessage(), e);
            }
        };
    }
}
