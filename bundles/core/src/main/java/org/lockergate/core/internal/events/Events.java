package org.lockergate.core.internal.events;

import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.store.StoreTx;

/**
 * Posts the EventAdmin topics of {@link LockerTopics} after a change is durable, and writes outbox rows. The sink is
 * EventAdmin's {@code postEvent} in the framework (asynchronous), a recorder in tests, or nothing.
 */
public final class Events {

    /** Where events go. */
    @FunctionalInterface
    public interface Sink {
        void post(String topic, Map<String, Object> properties);
    }

    private volatile Sink sink;

    public Events(Sink sink) {
        this.sink = sink;
    }

    public void sink(Sink sink) {
        this.sink = sink;
    }

    /** Posts at once (use {@link #after} inside a transaction). */
    public void post(String topic, Map<String, Object> properties) {
        Sink target = sink;
        if (target == null) {
            return;
        }
        Map<String, Object> clean = new HashMap<>();
        properties.forEach((k, v) -> {
            if (v != null) {
                clean.put(k, v);
            }
        });
        try {
            target.post(topic, clean);
        } catch (RuntimeException e) {
            // EventAdmin gone or stopping: the outbox is the record, events are only notifications
        }
    }

    /** Posts after the transaction is durable. */
    public void after(StoreTx tx, String topic, Object... keyValues) {
        Map<String, Object> props = Json.obj(keyValues);
        tx.afterCommit(() -> post(topic, props));
    }

    public void compartment(StoreTx tx, String groupId, String cabinetId, String label, String state) {
        after(tx, LockerTopics.COMPARTMENT_CHANGED, LockerTopics.GROUP_ID, groupId, LockerTopics.CABINET_ID,
                cabinetId, LockerTopics.COMPARTMENT, label, LockerTopics.STATE, state);
    }

    public void parcel(StoreTx tx, String groupId, String cabinetId, String label, String parcelId, String state) {
        after(tx, LockerTopics.PARCEL_CHANGED, LockerTopics.GROUP_ID, groupId, LockerTopics.CABINET_ID, cabinetId,
                LockerTopics.COMPARTMENT, label, LockerTopics.PARCEL_ID, parcelId, LockerTopics.STATE, state);
    }

    public void cabinet(StoreTx tx, String groupId, String cabinetId, boolean online) {
        after(tx, LockerTopics.CABINET_CHANGED, LockerTopics.GROUP_ID, groupId, LockerTopics.CABINET_ID, cabinetId,
                LockerTopics.ONLINE, online);
    }

    public void registry(StoreTx tx, String groupId, String cabinetId) {
        after(tx, LockerTopics.REGISTRY_CHANGED, LockerTopics.GROUP_ID, groupId, LockerTopics.CABINET_ID, cabinetId);
    }

    /** Appends an outbox row and posts {@link LockerTopics#OUTBOX_WRITTEN} after commit. */
    public long outbox(StoreTx tx, OutboxEvent.Stream stream, String type, Instant ts, Map<String, Object> data)
            throws SQLException {
        long seq = tx.outbox(stream, type, ts, Json.write(data));
        after(tx, LockerTopics.OUTBOX_WRITTEN, LockerTopics.STREAM, stream.name());
        return seq;
    }
}
