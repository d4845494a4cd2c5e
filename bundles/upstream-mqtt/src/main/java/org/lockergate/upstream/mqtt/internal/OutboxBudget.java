package org.lockergate.upstream.mqtt.internal;

import java.util.EnumMap;
import java.util.Map;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded-outbox policy. The limit counts unconfirmed rows of every stream.
 * <ul>
 * <li>&lt; near-full (default 80 %): normal; telemetry keeps at most {@code telemetryMaxPending} rows.</li>
 * <li>&ge; near-full: {@code outbox_near_full} is raised; telemetry keeps only its newest row (thinned first).</li>
 * <li>&ge; 100 %: telemetry is no longer written at all; alarms and business events are <b>still written and
 * kept</b> — deposits and pickups go on, nothing is dropped; the alarm stays raised and an ERROR is logged once.
 * The hard stop is the store's disk reserve (R22), which refuses new deposits while pickups continue.</li>
 * <li>The alarm clears when the depth falls 5 points below near-full (hysteresis).</li>
 * </ul>
 */
final class OutboxBudget {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxBudget.class);

    enum Level {
        NORMAL, NEAR_FULL, FULL
    }

    private final DepthProbe probe;
    private final long limit;
    private final int nearFullPercent;
    private final AlarmSink alarms;

    private volatile Map<Stream, Long> depth = new EnumMap<>(Stream.class);
    private volatile Level level = Level.NORMAL;
    private boolean alarmRaised;
    private boolean fullLogged;

    OutboxBudget(DepthProbe probe, long limit, int nearFullPercent, AlarmSink alarms) {
        this.probe = probe;
        this.limit = Math.max(1, limit);
        this.nearFullPercent = Math.min(100, Math.max(1, nearFullPercent));
        this.alarms = alarms;
    }

    /** Counts again and raises or clears the alarm. */
    synchronized void check() {
        Map<Stream, Long> d;
        try {
            d = probe.depth();
        } catch (StoreException | RuntimeException e) {
            LOG.debug("outbox depth unavailable: {}", e.toString());
            return;
        }
        depth = d;
        long total = total(d);
        long nearFull = limit * nearFullPercent / 100;
        long clearBelow = limit * Math.max(0, nearFullPercent - 5) / 100;
        Level next = total >= limit ? Level.FULL : total >= nearFull ? Level.NEAR_FULL
                : level != Level.NORMAL && total >= clearBelow ? Level.NEAR_FULL : Level.NORMAL;
        level = next;
        if (next != Level.NORMAL && !alarmRaised) {
            alarmRaised = alarms.raise(AlarmType.OUTBOX_NEAR_FULL, "发件箱待发送 " + total + " 条，上限 " + limit
                    + "；遥测已精简，业务事件照常保存 / The outbox holds " + total + " unsent rows of a limit of " + limit
                    + "; telemetry is thinned, business events are kept");
        } else if (next == Level.NORMAL && alarmRaised) {
            if (alarms.clear(AlarmType.OUTBOX_NEAR_FULL)) {
                alarmRaised = false;
            }
        }
        if (next == Level.FULL && !fullLogged) {
            fullLogged = true;
            LOG.error("发件箱已满（{} / {}）：不再写遥测；告警和业务事件继续保存，存取件不受影响，磁盘预留（R22）是硬上限 /"
                    + " The outbox is full ({} of {}): telemetry is no longer written; alarms and business events are"
                    + " still stored, deposits and pickups go on; the disk reserve (R22) is the hard limit",
                    total, limit, total, limit);
        } else if (next != Level.FULL) {
            fullLogged = false;
        }
    }

    Level level() {
        return level;
    }

    Map<Stream, Long> depth() {
        return depth;
    }

    long depth(Stream s) {
        return depth.getOrDefault(s, 0L);
    }

    long limit() {
        return limit;
    }

    /** How many telemetry rows may wait: the configured number, 1 when near full, 0 when full. */
    int telemetryKeep(int configured) {
        return switch (level) {
            case NORMAL -> Math.max(1, configured);
            case NEAR_FULL -> 1;
            case FULL -> 0;
        };
    }

    static long total(Map<Stream, Long> d) {
        long t = 0;
        for (long v : d.values()) {
            t += v;
        }
        return t;
    }
}
