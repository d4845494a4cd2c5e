package org.lockergate.upstream.mqtt.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code min}, capped at {@code max}, with "equal jitter" (half the step fixed,
 * half random) so a county of gateways that lost the same broker do not come back in lock step.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int attempt;

    Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the step until the cap. */
    synchronized long nextMillis() {
        long step = minMillis << Math.min(attempt, 30);
        if (step <= 0 || step > maxMillis) {
            step = maxMillis;
        }
        attempt++;
        long half = step / 2;
        return half + (long) (random.getAsDouble() * (step - half));
    }

    synchronized void reset() {
        attempt = 0;
    }
}
