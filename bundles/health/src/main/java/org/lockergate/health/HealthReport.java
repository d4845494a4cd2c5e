package org.lockergate.health;

import java.time.Instant;
import java.util.List;

/**
 * The gateway's health at one moment.
 *
 * @param status DOWN when any critical check is DOWN, otherwise UP
 * @param checkedAt when the checks ran
 * @param checks every check, critical or not
 */
public record HealthReport(HealthStatus status, Instant checkedAt, List<HealthCheck> checks) {

    public HealthReport {
        checks = List.copyOf(checks);
    }

    /** Builds a report whose status follows from the critical checks. */
    public static HealthReport of(Instant checkedAt, List<HealthCheck> checks) {
        boolean down = checks.stream().anyMatch(c -> c.critical() && c.status() == HealthStatus.DOWN);
        return new HealthReport(down ? HealthStatus.DOWN : HealthStatus.UP, checkedAt, checks);
    }
}
