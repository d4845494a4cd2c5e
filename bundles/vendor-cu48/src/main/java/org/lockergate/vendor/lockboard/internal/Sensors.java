package org.lockergate.vendor.lockboard.internal;

/**
 * What is known of one compartment's sensors; {@code null} = unknown (reported at the next poll whatever it is).
 *
 * @param doorClosed door sensor
 * @param itemPresent occupancy sensor
 */
public record Sensors(Boolean doorClosed, Boolean itemPresent) {

    public static final Sensors UNKNOWN = new Sensors(null, null);
}
