package org.lockergate.upstream.mqtt.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.lockergate.api.model.AlarmType;

/**
 * The {@code upstream_offline} alarm: raised once the broker has been unreachable for {@code after} (default 30 s)
 * by the gateway clock, cleared on the next connection. {@link #check()} runs every second and after every failed
 * attempt; the first connection after a start clears an alarm left from before the restart.
 */
final class OfflineWatch {

    private final Supplier<Instant> now;
    private final Duration after;
    private final AlarmSink alarms;

    private Instant offlineSince;
    private boolean raised;
    private boolean clearedOnce;

    OfflineWatch(Supplier<Instant> now, Duration after, AlarmSink alarms) {
        this.now = now;
        this.after = after;
        this.alarms = alarms;
    }

    synchronized void offline() {
        if (offlineSince == null) {
            offlineSince = now.get();
        }
    }

    void online() {
        boolean clear;
        synchronized (this) {
            offlineSince = null;
            clear = raised || !clearedOnce;
        }
        if (clear && alarms.clear(AlarmType.UPSTREAM_OFFLINE)) {
            synchronized (this) {
                raised = false;
                clearedOnce = true;
            }
        }
    }

    void check() {
        Instant since;
        synchronized (this) {
            if (offlineSince == null || raised || Duration.between(offlineSince, now.get()).compareTo(after) < 0) {
                return;
            }
            since = offlineSince;
        }
        boolean ok = alarms.raise(AlarmType.UPSTREAM_OFFLINE, "云端 MQTT 代理自 " + since + " 起不可达 / The cloud MQTT"
                + " broker has been unreachable since " + since + "; events wait in the outbox");
        synchronized (this) {
            if (ok && offlineSince != null) {
                raised = true;
            }
        }
    }

    synchronized boolean raised() {
        return raised;
    }

    synchronized Instant offlineSince() {
        return offlineSince;
    }
}
