package org.lockergate.management;

import java.util.Objects;

/**
 * Who changes the gateway, and why: written to the audit log with every change.
 *
 * @param actor the operator (or {@code cloud:<requestId>}) making the change
 * @param reason the free-text reason the technician gave
 */
public record Change(String actor, String reason) {

    public Change {
        Objects.requireNonNull(actor, "actor");
        reason = reason == null || reason.isBlank() ? "-" : reason.strip();
    }
}
