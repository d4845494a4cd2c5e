package org.lockergate.itests;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;
import org.lockergate.api.time.GatewayClock;

/**
 * A gateway clock a test moves forward: the JVM's time plus an offset that only grows. Registered with a high
 * {@code service.ranking}, the core follows it (its clock reference is dynamic and greedy), so lockouts, door timers
 * and heartbeats can be tested without waiting. It keeps running with real time between moves, as a real clock
 * does.
 */
public final class TestClock implements GatewayClock {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final AtomicLong offsetNanos;

    public TestClock(Duration initialOffset) {
        this.offsetNanos = new AtomicLong(initialOffset.toNanos());
    }

    @Override
    public Instant now() {
        return Instant.now().plusNanos(offsetNanos.get());
    }

    @Override
    public ZoneId zone() {
        return ZONE;
    }

    /** Moves the clock forward at once (callers that must keep cabinets alive move it in steps). */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a gateway clock never goes back: " + by);
        }
        offsetNanos.addAndGet(by.toNanos());
    }

    /** How far ahead of the JVM's clock this clock is. */
    public Duration offset() {
        return Duration.ofNanos(offsetNanos.get());
    }

    @Override
    public String toString() {
        return "TestClock[" + now() + ", offset " + offset() + "]";
    }
}
