package org.lockergate.api.model;

/**
 * What the courier declares about a parcel at deposit (R2). Such deposits are refused unless the sender agreed.
 */
public record Declaration(boolean damaged, boolean weightMismatch, boolean fresh, boolean valuable,
        boolean senderAgreed) {

    public static final Declaration NONE = new Declaration(false, false, false, false, false);

    /** True when any exclusion applies. */
    public boolean excluded() {
        return damaged || weightMismatch || fresh || valuable;
    }
}
