package org.lockergate.core.internal.lockout;

import java.time.Duration;
import java.time.Instant;

/**
 * The parcel ladder (R9), kept in the parcel row ({@code wrong_codes}, {@code locked_until}) so it survives
 * restarts: within 24 h the 3rd wrong code locks the parcel 1 min, the 4th to 6th 5 min each, every further one
 * 30 min; a successful pickup resets it. {@code locked_until} is written at every wrong attempt (the attempt time
 * when no lock applies), and the count starts again once 24 h have passed since then.
 */
public final class ParcelLadder {

    public static final Duration WINDOW = Duration.ofHours(24);

    private ParcelLadder() {
    }

    /** The lock the {@code wrongCount}-th wrong code (counted from 1) sets. */
    public static Duration lockFor(int wrongCount) {
        if (wrongCount < 3) {
            return Duration.ZERO;
        }
        if (wrongCount == 3) {
            return Duration.ofMinutes(1);
        }
        if (wrongCount <= 6) {
            return Duration.ofMinutes(5);
        }
        return Duration.ofMinutes(30);
    }

    /** Wrong codes that still count at {@code now}. */
    public static int effectiveCount(int wrongCodes, Instant lockedUntil, Instant now) {
        if (wrongCodes <= 0 || lockedUntil == null || !lockedUntil.plus(WINDOW).isAfter(now)) {
            return 0;
        }
        return wrongCodes;
    }

    /** Wrong codes the parcel takes before its next lock. */
    public static int attemptsLeft(int effectiveCount) {
        return effectiveCount < 2 ? 3 - effectiveCount : 1;
    }

    public static boolean locked(Instant lockedUntil, Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
