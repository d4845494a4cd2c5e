package org.lockergate.devices.coap;

/** How a cabinet answers an unlock ({@code POST /locks/{label}}); DESIGN.md R13. */
public enum UnlockOutcome {
    /** The door was closed and opened. */
    OPENED("opened"),
    /** The door was open already. */
    ALREADY_OPEN("already_open"),
    /** The lock was pulsed but the door stayed closed. */
    JAMMED("jammed");

    private final String wireName;

    UnlockOutcome(String wireName) {
        this.wireName = wireName;
    }

    /** {@code opened}, {@code already_open} or {@code jammed}. */
    public String wireName() {
        return wireName;
    }
}
