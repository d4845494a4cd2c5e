package org.lockergate.console.internal;

/**
 * One event as the console stream sends it: {@code id: <epoch>-<seq>}, {@code event: <kind>}, {@code data: <json>}.
 *
 * @param seq position in this gateway run's stream, from 1
 * @param kind what changed
 * @param company for parcel events the parcel's courier company (for the per-viewer filter), otherwise null
 * @param json the event's data, one line of JSON (never a pickup code; phones never appear)
 */
record StreamEvent(long seq, Kind kind, String company, String json) {

    enum Kind {
        COMPARTMENT, PARCEL, ALARM, CABINET, REGISTRY, MANAGEMENT;

        /** The SSE event name. */
        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
