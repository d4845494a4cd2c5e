package org.lockergate.api.model;

/**
 * A parcel's life cycle (DESIGN.md §2): {@code RESERVED → DEPOSITED → OVERDUE → RECALL_DUE → HELD → RECALLED};
 * from DEPOSITED, OVERDUE or RECALL_DUE: PICKED_UP or REJECTED (then RETURNED); {@code RESERVED → CANCELLED}.
 */
public enum ParcelState {
    RESERVED, DEPOSITED, OVERDUE, RECALL_DUE, HELD, RECALLED, PICKED_UP, REJECTED, RETURNED, CANCELLED;

    /** In a compartment (or about to be): counts for pickup-code uniqueness and occupancy. */
    public boolean inLocker() {
        return this == RESERVED || this == DEPOSITED || this == OVERDUE || this == RECALL_DUE || this == HELD
                || this == REJECTED;
    }

    /** A resident may pick it up with the code. */
    public boolean pickable() {
        return this == DEPOSITED || this == OVERDUE || this == RECALL_DUE;
    }

    /** No further change can happen. */
    public boolean terminal() {
        return this == RECALLED || this == PICKED_UP || this == RETURNED || this == CANCELLED;
    }
}
