package org.lockergate.health;

import java.util.Map;
import java.util.Objects;

/**
 * The result of one named check.
 *
 * @param name short id, e.g. {@code "bundles"}, {@code "disk"}, {@code "store"}
 * @param status UP or DOWN
 * @param critical whether a DOWN here makes the whole gateway DOWN
 * @param message what an operator should read, naming the bundle, component, file or folder at fault
 * @param details machine-readable facts (JSON-friendly values: strings, numbers, booleans, lists, maps)
 */
public record HealthCheck(String name, HealthStatus status, boolean critical, String message,
        Map<String, Object> details) {

    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static HealthCheck up(String name, boolean critical, String message, Map<String, Object> details) {
        return new HealthCheck(name, HealthStatus.UP, critical, message, details);
    }

    public static HealthCheck down(String name, boolean critical, String message, Map<String, Object> details) {
        return new HealthCheck(name, HealthStatus.DOWN, critical, message, details);
    }
}
