package org.lockergate.vendor.lockboard.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Boot counters for lock-board cabinets, which have none of their own: the attach time in milliseconds, strictly
 * rising within the process, so every attach (also after a vendor bundle restart) starts a new boot whose sequence
 * numbers restart at 1 and the core never takes a new event for an old one.
 */
public final class Boots {

    private static final AtomicLong LAST = new AtomicLong();

    private Boots() {
    }

    public static long next() {
        return LAST.updateAndGet(previous -> Math.max(previous + 1, System.currentTimeMillis()));
    }
}
