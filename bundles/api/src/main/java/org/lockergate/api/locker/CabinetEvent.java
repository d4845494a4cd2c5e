package org.lockergate.api.locker;

import java.time.Instant;

/**
 * Something a cabinet observed, in the order it happened.
 *
 * @param seq sequence number within the cabinet's boot, from 1
 * @param ts when the cabinet saw it
 * @param type what kind
 * @param compartment door label for DOOR and OCCUPANCY, else {@code null}
 * @param value DOOR: door closed; OCCUPANCY: item present; CAMERA: camera ok; POWER: on mains; TAMPER, FAULT: true
 * @param code FAULT: the vendor's fault code; POWER: {@code mains} or {@code battery}; else {@code null}
 */
public record CabinetEvent(long seq, Instant ts, Type type, String compartment, boolean value, String code) {

    public enum Type {
        DOOR, OCCUPANCY, TAMPER, POWER, CAMERA, FAULT
    }
}
