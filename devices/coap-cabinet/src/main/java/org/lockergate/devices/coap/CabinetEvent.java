package org.lockergate.devices.coap;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event a cabinet reports with {@code POST /cabinets/{cabinetId}/events}: its boot and per-boot sequence
 * number, time, type ({@code door}, {@code occupancy}, {@code tamper}, {@code power}, {@code camera},
 * {@code fault}), the compartment it concerns (or {@code null} for the whole cabinet) and its type's fields
 * ({@code closed}, {@code present}, {@code mains}/{@code battery}, {@code ok}, {@code code}).
 */
public record CabinetEvent(int boot, long seq, OffsetDateTime ts, String type, String compartment,
        Map<String, Object> fields) {

    public static final String DOOR = "door";
    public static final String OCCUPANCY = "occupancy";
    public static final String TAMPER = "tamper";
    public static final String POWER = "power";
    public static final String CAMERA = "camera";
    public static final String FAULT = "fault";

    public CabinetEvent {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A field of the event's type, e.g. {@code field("closed")}, or {@code null}. */
    public Object field(String name) {
        return fields.get(name);
    }
}
