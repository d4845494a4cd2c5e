package org.lockergate.core.internal.timer;

import java.time.Instant;
import org.lockergate.api.model.AlarmType;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.registry.AttachedCabinet;
import org.lockergate.core.internal.registry.Registry;

/**
 * A cabinet not heard from for 3 × heartbeat (30 s) goes offline with a {@code cabinet_offline} alarm; one that
 * was detached (vendor stopped) gets the alarm after the same time unless it is attached again. Heartbeats and
 * attachment bring it back and clear the alarm ({@link Registry}).
 */
final class HeartbeatMonitor {

    private final Env env;
    private final Registry registry;
    private final Alarms alarms;

    HeartbeatMonitor(Env env, Registry registry, Alarms alarms) {
        this.env = env;
        this.registry = registry;
        this.alarms = alarms;
    }

    void check(Instant now) {
        for (AttachedCabinet cabinet : registry.cabinets()) {
            if (!Registry.silent(cabinet, now, env.settings().offlineAfter())) {
                continue;
            }
            if (cabinet.online()) {
                registry.markOffline(cabinet, "no heartbeat for " + env.settings().offlineAfter().toSeconds() + " s");
            }
            if (!cabinet.offlineAlarmRaised()) {
                alarms.raise(AlarmType.CABINET_OFFLINE, cabinet.groupId(), cabinet.cabinetId(), null,
                        "柜子 " + cabinet.cabinetId() + " 离线 / Cabinet " + cabinet.cabinetId() + " offline");
                cabinet.offlineAlarmRaised(true);
            }
        }
    }
}
