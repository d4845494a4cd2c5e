package org.lockergate.api.model;

import java.time.Instant;

/**
 * One row of the append-only audit log (R17).
 *
 * @param id sequence
 * @param ts when
 * @param actor who: {@code courier:ZTO-0421}, {@code operator:admin}, {@code cabinet:c1}, {@code system}
 * @param action e.g. {@code parcel.deposited}, {@code compartment.opened}, {@code alarm.acknowledged}
 * @param target what: parcel id, {@code g1/12}, alarm id …
 * @param detail free text (never a clear pickup code or phone number)
 */
public record AuditEntry(long id, Instant ts, String actor, String action, String target, String detail) {
}
