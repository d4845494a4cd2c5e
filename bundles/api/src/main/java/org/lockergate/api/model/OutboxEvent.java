package org.lockergate.api.model;

import java.time.Instant;

/**
 * A row of the transactional outbox: written in the same transaction as the change it reports, drained to the
 * cloud in {@code seq} order per stream (DESIGN.md §4 MQTT).
 *
 * @param seq per-stream monotonic sequence number
 * @param stream which stream
 * @param eventId unique id the cloud de-duplicates on
 * @param type e.g. {@code parcel.deposited}, {@code door_jammed}
 * @param ts when it happened
 * @param data the JSON payload's {@code data} object, as JSON text
 */
public record OutboxEvent(long seq, Stream stream, String eventId, String type, Instant ts, String data) {

    /** The outbox streams: alarms drain before business events, telemetry last. */
    public enum Stream {
        ALARMS, EVENTS, TELEMETRY
    }
}
