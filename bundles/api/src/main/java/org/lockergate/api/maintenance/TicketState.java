package org.lockergate.api.maintenance;

/** A ticket's life: {@code OPEN} (nobody works it yet) → {@code TAKEN} (someone works it) → {@code CLOSED}. */
public enum TicketState {
    OPEN, TAKEN, CLOSED
}
