package org.lockergate.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.lockergate.api.time.GatewayClock;

/** A gateway clock the test moves. */
final class MutableClock implements GatewayClock {

    private volatile Instant now;

    MutableClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public ZoneId zone() {
        return ZoneId.of("Asia/Shanghai");
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    void set(Instant instant) {
        now = instant;
    }
}
