package org.lockergate.features.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A feature as read from its JSON file, with each bundle resolved to a jar in the distribution's {@code system/}
 * repository. Plain data so the launcher can use it outside the framework.
 *
 * @param id the feature's Maven id
 * @param name the short name (file name without {@code .json})
 * @param title the feature's {@code name} field, or the short name
 * @param core true when the feature lists the category {@code core}
 * @param bundles the bundles in file order
 * @param configurations default configurations by PID ({@code factory~name} for factory configurations)
 */
public record FeatureDescriptor(String id, String name, String title, boolean core, List<BundleRef> bundles,
        Map<String, Map<String, Object>> configurations) {

    public FeatureDescriptor {
        bundles = List.copyOf(bundles);
        configurations = Map.copyOf(configurations);
    }

    /**
     * One bundle of a feature.
     *
     * @param coordinates {@code group:artifact:version}
     * @param jar where the jar lies in the distribution
     * @param startOrder the start level ({@code start-order} metadata), 0 when not given
     */
    public record BundleRef(String coordinates, Path jar, int startOrder) {
    }
}
