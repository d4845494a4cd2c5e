package org.lockergate.api.spi;

/** What the door did after an unlock pulse (R13). */
public enum UnlockOutcome {
    /** The door sensor saw the door open. */
    OPENED,
    /** The door was already open. */
    ALREADY_OPEN,
    /** The door did not open within the window: the compartment becomes FAULT. */
    JAMMED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
