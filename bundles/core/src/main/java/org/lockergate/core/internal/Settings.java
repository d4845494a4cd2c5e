package org.lockergate.core.internal;

import java.time.Duration;
import java.time.ZoneId;

/**
 * The core's tunables as durations, from {@link CoreConfig}. Values below the metatype minimum are raised: the
 * metatype minimum is advisory only.
 */
public record Settings(ZoneId zone, boolean restrictRegistration, boolean paymentRequiredFirst, Duration sessionIdle,
        Duration tokenTtl, Duration kioskHold, Duration doorOpenAlarm, Duration heartbeat, int missedHeartbeats,
        Duration unlockPulse, Duration unlockTimeout, Duration reminderBefore, Duration recallAfter,
        Duration holdAfter, Duration redirectAfter, Duration tick, Duration parcelScan) {

    public static Settings defaults() {
        return new Settings(ZoneId.of("Asia/Shanghai"), false, false, Duration.ofMinutes(10), Duration.ofMinutes(10),
                Duration.ofSeconds(90), Duration.ofSeconds(60), Duration.ofSeconds(10), 3, Duration.ofMillis(400),
                Duration.ofSeconds(12), Duration.ofHours(6), Duration.ofHours(72), Duration.ofDays(7),
                Duration.ofMinutes(30), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public static Settings from(CoreConfig c) {
        return new Settings(zone(c.zone()), c.restrictRegistration(), c.paymentRequiredFirst(),
                Duration.ofMinutes(Math.max(1, c.sessionIdleMinutes())),
                Duration.ofMinutes(Math.max(1, c.tokenTtlMinutes())),
                Duration.ofSeconds(Math.max(10, c.kioskHoldSeconds())),
                Duration.ofSeconds(Math.max(5, c.doorOpenAlarmSeconds())),
                Duration.ofSeconds(Math.max(1, c.heartbeatSeconds())), Math.max(1, c.missedHeartbeats()),
                Duration.ofMillis(Math.min(5000, Math.max(50, c.unlockPulseMs()))),
                Duration.ofSeconds(Math.max(1, c.unlockTimeoutSeconds())),
                Duration.ofHours(Math.max(0, c.reminderBeforeHours())), Duration.ofHours(Math.max(1, c.recallHours())),
                Duration.ofDays(Math.max(1, c.holdDays())), Duration.ofMinutes(Math.max(1, c.redirectAfterMinutes())),
                Duration.ofMillis(Math.max(100, c.tickMillis())), Duration.ofSeconds(Math.max(0, c.parcelScanSeconds())));
    }

    static ZoneId zone(String id) {
        try {
            return ZoneId.of(id == null || id.isBlank() ? "Asia/Shanghai" : id.strip());
        } catch (RuntimeException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }

    /** Silence after which a cabinet is offline: missed heartbeats × heartbeat. */
    public Duration offlineAfter() {
        return heartbeat.multipliedBy(missedHeartbeats);
    }

    public Settings withRestrictRegistration(boolean restrict) {
        return new Settings(zone, restrict, paymentRequiredFirst, sessionIdle, tokenTtl, kioskHold, doorOpenAlarm,
                heartbeat, missedHeartbeats, unlockPulse, unlockTimeout, reminderBefore, recallAfter, holdAfter,
                redirectAfter, tick, parcelScan);
    }

    public Settings withPaymentRequiredFirst(boolean required) {
        return new Settings(zone, restrictRegistration, required, sessionIdle, tokenTtl, kioskHold, doorOpenAlarm,
                heartbeat, missedHeartbeats, unlockPulse, unlockTimeout, reminderBefore, recallAfter, holdAfter,
                redirectAfter, tick, parcelScan);
    }

    public Settings withParcelScan(Duration scan) {
        return new Settings(zone, restrictRegistration, paymentRequiredFirst, sessionIdle, tokenTtl, kioskHold,
                doorOpenAlarm, heartbeat, missedHeartbeats, unlockPulse, unlockTimeout, reminderBefore, recallAfter,
                holdAfter, redirectAfter, tick, scan);
    }
}
