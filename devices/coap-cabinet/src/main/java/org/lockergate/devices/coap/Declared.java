package org.lockergate.devices.coap;

/** What the courier declares about a parcel (DESIGN.md R2). */
public record Declared(boolean damaged, boolean weightMismatch, boolean fresh, boolean valuable) {

    /** Nothing to declare. */
    public static final Declared NONE = new Declared(false, false, false, false);
}
