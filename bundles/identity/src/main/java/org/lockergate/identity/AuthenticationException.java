package org.lockergate.identity;

import java.time.Instant;

/** Login refused. The message is safe to show: it never says whether the user name exists. */
public class AuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the login was refused. */
    public enum Reason {
        /** Unknown user or wrong password (deliberately not told apart). */
        BAD_CREDENTIALS,
        /** Too many failures: try again after {@link AuthenticationException#lockedUntil()}. */
        LOCKED
    }

    private final Reason reason;
    private final int attemptsLeft;
    private final Instant lockedUntil;

    public AuthenticationException(Reason reason, String message, int attemptsLeft, Instant lockedUntil) {
        super(message);
        this.reason = reason;
        this.attemptsLeft = attemptsLeft;
        this.lockedUntil = lockedUntil;
    }

    public Reason reason() {
        return reason;
    }

    /** Attempts left before a lockout; 0 when locked. */
    public int attemptsLeft() {
        return attemptsLeft;
    }

    /** When a lockout ends; {@code null} unless {@link Reason#LOCKED}. */
    public Instant lockedUntil() {
        return lockedUntil;
    }
}
