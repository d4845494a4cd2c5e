package org.lockergate.features;

import java.util.List;

/**
 * A feature the gateway runs.
 *
 * @param id the feature's Maven id, e.g. {@code org.lockergate:core:json:0.1.0}
 * @param name the short name used by operators, e.g. {@code core}
 * @param title a human-readable title
 * @param core whether the feature is part of the gateway's core (category {@code core}): its bundles being down
 *     makes health DOWN
 * @param bundles the bundles it installed
 * @param configurations the PIDs of the configurations it provides
 */
public record InstalledFeature(String id, String name, String title, boolean core, List<FeatureBundle> bundles,
        List<String> configurations) {

    public InstalledFeature {
        bundles = List.copyOf(bundles);
        configurations = List.copyOf(configurations);
    }

    /**
     * A bundle of a feature.
     *
     * @param coordinates Maven coordinates {@code group:artifact:version}
     * @param symbolicName the bundle's symbolic name, once installed
     * @param bundleId the framework's bundle id, or -1 when the bundle could not be installed
     */
    public record FeatureBundle(String coordinates, String symbolicName, long bundleId) {
    }
}
