package org.lockergate.features;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Installs and removes features on the running gateway. */
@ProviderType
public interface FeatureManager {

    /** The features running now, in the order they were provisioned. */
    List<InstalledFeature> installed();

    /**
     * Names of the features that can be installed: those of the distribution's {@code features/} folder, then those
     * unpacked from signed archives under {@link #remoteFeatures()}.
     */
    List<String> available();

    /**
     * The folder of features installed from outside the distribution (by management, from signed archives): one
     * subfolder per feature name, holding {@code feature.json} and its bundles in a Maven-layout {@code repository/}
     * folder. {@link #install(String)} by name finds them there, and so does the launcher at the next start.
     *
     * @since 1.1
     */
    java.nio.file.Path remoteFeatures();

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
