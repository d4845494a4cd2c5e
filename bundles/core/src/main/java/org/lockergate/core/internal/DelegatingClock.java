package org.lockergate.core.internal;

import java.time.Instant;
import java.time.ZoneId;
import org.lockergate.api.time.GatewayClock;

/** The highest-ranked {@link GatewayClock} as bound by DS; the system clock until one is bound. */
final class DelegatingClock implements GatewayClock {

    private volatile GatewayClock target;
    private volatile ZoneId fallbackZone;

    DelegatingClock(ZoneId fallbackZone) {
        this.fallbackZone = fallbackZone;
    }

    void bind(GatewayClock clock) {
        this.target = clock;
    }

    void unbind(GatewayClock clock) {
        if (target == clock) {
            target = null;
        }
    }

    void fallbackZone(ZoneId zone) {
        this.fallbackZone = zone;
    }

    @Override
    public Instant now() {
        GatewayClock clock = target;
        return clock == null ? Instant.now() : clock.now();
    }

    @Override
    public ZoneId zone() {
        GatewayClock clock = target;
        return clock == null ? fallbackZone : clock.zone();
    }
}
