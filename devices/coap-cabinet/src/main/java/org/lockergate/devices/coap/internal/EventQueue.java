package org.lockergate.devices.coap.internal;

import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.lockergate.devices.coap.CabinetEvent;

/**
 * The events a cabinet has not yet seen acknowledged, oldest first, with the per-boot sequence numbers. Not
 * thread-safe: the cabinet guards it with its own lock.
 */
public final class EventQueue {

    private final Deque<CabinetEvent> pending = new ArrayDeque<>();
    private int boot;
    private long lastSeq;
    private long acked;

    public EventQueue(int boot) {
        this.boot = boot;
    }

    /** A new boot: numbering starts again at 1; events of earlier boots stay queued and go first. */
    public void newBoot(int newBoot) {
        this.boot = newBoot;
        this.lastSeq = 0;
        this.acked = 0;
    }

    public int boot() {
        return boot;
    }

    public CabinetEvent add(OffsetDateTime ts, String type, String compartment, Map<String, Object> fields) {
        CabinetEvent event = new CabinetEvent(boot, ++lastSeq, ts, type, compartment, fields);
        pending.addLast(event);
        return event;
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Up to {@code max} of the oldest events, all of one boot. */
    public List<CabinetEvent> nextBatch(int max) {
        List<CabinetEvent> batch = new ArrayList<>(Math.min(max, pending.size()));
        int batchBoot = pending.isEmpty() ? boot : pending.peekFirst().boot();
        for (CabinetEvent event : pending) {
            if (batch.size() >= max || event.boot() != batchBoot) {
                break;
            }
            batch.add(event);
        }
        return batch;
    }

    /** Removes the events of {@code ackBoot} up to {@code ackSeq}; returns how many were removed. */
    public int ack(int ackBoot, long ackSeq) {
        int removed = 0;
        while (!pending.isEmpty() && pending.peekFirst().boot() == ackBoot && pending.peekFirst().seq() <= ackSeq) {
            pending.removeFirst();
            removed++;
        }
        if (ackBoot == boot && ackSeq > acked) {
            acked = Math.min(ackSeq, lastSeq);
        }
        return removed;
    }

    /** The highest sequence number of the current boot the gateway has acknowledged. */
    public long acked() {
        return acked;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public List<CabinetEvent> snapshot() {
        return List.copyOf(pending);
    }
}
