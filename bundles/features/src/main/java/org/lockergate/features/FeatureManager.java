package org.lockergate.features;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Installs and removes features on the running gateway. */
@ProviderType
public interface FeatureManager {

    /** The features running now, in the order they were provisioned. */
    List<InstalledFeature> installed();

    /** Names of the features in the distribution's {@code features/} folder that can be installed. */
    List<String> available();

    /**
     * Installs a feature by name (from the distribution's {@code features/} folder) or from a feature JSON file
     * path, with its bundles (from the distribution's {@code system/} repository) and default configurations
     * (only where the configuration does not exist yet, so an operator's changes survive), then starts it.
     * Installing an installed feature again is a no-op that returns it.
     */
    InstalledFeature install(String nameOrPath) throws FeatureException;

    /**
     * Stops and removes a feature's bundles, except those another installed feature still needs. Its
     * configurations stay, so reinstalling restores the same settings.
     */
    void uninstall(String name) throws FeatureException;
}
