package org.lockergate.api.model;

/** A compartment's state (DESIGN.md §2). */
public enum CompartmentState {
    /** Empty and usable. */
    FREE,
    /** Held for a deposit or send order; the door may be open. */
    RESERVED,
    /** An unlock is under way for a pickup or a maintenance open. */
    OPENING,
    /** Holds a parcel. */
    OCCUPIED,
    /** Broken (jammed door, sensor fault): staff must look; never allocated. */
    FAULT,
    /** Taken out of service by staff; never allocated. */
    DISABLED;

    /** Whether the allocation may pick this compartment. */
    public boolean allocatable() {
        return this == FREE;
    }
}
