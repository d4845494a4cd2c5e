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
 * @param system disk, memory and uptime figures
 * @param recentOperations the last management operations (newest first), as the audit log has them
 */
public record Inventory(Instant takenAt, List<BundleInfo> bundles, List<String> features, String health,
        Map<String, Object> system, List<String> recentOperations) {

    public Inventory {
        bundles = List.copyOf(bundles);
        features = List.copyOf(features);
        system = Map.copyOf(system);
        recentOperations = List.copyOf(recentOperations);
    }

    /** One bundle. */
    public record BundleInfo(long id, String symbolicName, String version, String state, String location) {
    }
}
