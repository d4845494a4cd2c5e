package org.lockergate.management;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a technician asks first, in one call.
 *
 * @param takenAt when
 * @param bundles every bundle with version and state
 * @param features installed features by name
 * @param health overall health ({@code UP}/{@code DOWN}, or {@code UNKNOWN} without the health bundle)
 * @param system disk, memory, uptime and outbox figures, and every health check that is not UP
 * @param recentOperations the last management operations (newest first), as the audit log has them
 * @param recentErrors the latest ERROR and WARN lines of the gateway's log, oldest first (since 1.1)
 * @param cabinets every cabinet with its vendor, firmware and online state (since 1.1)
 */
public record Inventory(Instant takenAt, List<BundleInfo> bundles, List<String> features, String health,
        Map<String, Object> system, List<String> recentOperations, List<String> recentErrors,
        List<CabinetInfo> cabinets) {

    public Inventory {
        bundles = List.copyOf(bundles);
        features = List.copyOf(features);
        system = Map.copyOf(system);
        recentOperations = List.copyOf(recentOperations);
        recentErrors = List.copyOf(recentErrors);
        cabinets = List.copyOf(cabinets);
    }

    /** The 1.0 shape, without log errors and cabinets. */
    public Inventory(Instant takenAt, List<BundleInfo> bundles, List<String> features, String health,
            Map<String, Object> system, List<String> recentOperations) {
        this(takenAt, bundles, features, health, system, recentOperations, List.of(), List.of());
    }

    /** One bundle. */
    public record BundleInfo(long id, String symbolicName, String version, String state, String location) {
    }

    /** One cabinet; {@code lastSeen} may be null for a cabinet never heard from. */
    public record CabinetInfo(String groupId, String cabinetId, String vendor, String model, String firmware,
            boolean online, Instant lastSeen) {
    }
}
