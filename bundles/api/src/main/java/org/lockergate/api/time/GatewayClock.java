package org.lockergate.api.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The one clock every time rule reads. The core registers the system clock (zone Asia/Shanghai unless
 * configured); a test registers its own with a higher {@code service.ranking} and moves it forward.
 */
@ConsumerType
public interface GatewayClock {

    Instant now();

    /** The zone of the community, for holidays and human-readable times. */
    ZoneId zone();

    /** As a {@link java.time.Clock}. */
    default Clock asClock() {
        GatewayClock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return self.zone();
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return Clock.fixed(self.now(), zone);
            }

            @Override
            public Instant instant() {
                return self.now();
            }
        };
    }
}
