package org.lockergate.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One alarm (R14). It is raised once, cleared once and acknowledged once; that state is shared by every surface.
 *
 * @param alarmId gateway-assigned id
 * @param type the alarm
 * @param groupId group concerned, {@code null} for gateway-wide alarms
 * @param cabinetId cabinet concerned, or {@code null}
 * @param compartment door label concerned, or {@code null}
 * @param message what happened, for an operator
 * @param raisedAt when raised
 * @param clearedAt when the condition ended, {@code null} while active
 * @param acknowledgedAt when an operator acknowledged it, {@code null} before
 * @param acknowledgedBy who acknowledged it
 */
public record Alarm(long alarmId, AlarmType type, String groupId, String cabinetId, String compartment,
        String message, Instant raisedAt, Instant clearedAt, Instant acknowledgedAt, String acknowledgedBy) {

    public Alarm {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(raisedAt, "raisedAt");
    }

    public boolean active() {
        return clearedAt == null;
    }

    public boolean acknowledged() {
        return acknowledgedAt != null;
    }
}
