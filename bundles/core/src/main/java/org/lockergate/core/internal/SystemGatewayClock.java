package org.lockergate.core.internal;

import java.time.Instant;
import java.time.ZoneId;
import org.lockergate.api.time.GatewayClock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/** The gateway's clock on the system clock, zone from {@code org.lockergate.core} ({@code zone}); ranking 0. */
@Component(service = GatewayClock.class, configurationPid = LockerCore.PID, property = "service.ranking:Integer=0")
public class SystemGatewayClock implements GatewayClock {

    private volatile ZoneId zone = ZoneId.of("Asia/Shanghai");

    @Activate
    @Modified
    void configure(CoreConfig config) {
        zone = Settings.zone(config.zone());
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public ZoneId zone() {
        return zone;
    }
}
