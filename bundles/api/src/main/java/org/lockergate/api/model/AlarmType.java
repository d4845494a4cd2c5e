package org.lockergate.api.model;

/**
 * The alarms of R14 — one list for every surface. {@link #wireName()} is used on MQTT, REST and CoAP;
 * {@link #opcUaName()} on OPC UA.
 */
public enum AlarmType {
    DOOR_LEFT_OPEN(500), FORCED_OPEN(800), DOOR_JAMMED(700), ITEM_LEFT(400), ITEM_MISSING(700),
    CABINET_OFFLINE(700), BOARD_OFFLINE(600), CAMERA_OFFLINE(500), POWER_ON_BATTERY(600), UPSTREAM_OFFLINE(300),
    OUTBOX_NEAR_FULL(600), DISK_LOW(800), FIRMWARE_FAILED(500);

    private final int severity;

    AlarmType(int severity) {
        this.severity = severity;
    }

    /** OPC UA style severity, 1 (lowest) to 1000. */
    public int severity() {
        return severity;
    }

    /** e.g. {@code door_left_open}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** e.g. {@code DoorLeftOpen}. */
    public String opcUaName() {
        StringBuilder out = new StringBuilder();
        for (String part : name().split("_")) {
            out.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return out.toString();
    }

    public static AlarmType fromWireName(String wire) {
        return valueOf(wire.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
