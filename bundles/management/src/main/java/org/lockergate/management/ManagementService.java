package org.lockergate.management;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs, updates, starts, stops and removes bundles and configuration on the running gateway. One operation runs
 * at a time; a second one is refused ({@link ManagementException.Kind#CONFLICT}) rather than queued, so a
 * technician always knows which change the gateway is making.
 */
@ProviderType
public interface ManagementService {

    /**
     * Installs and starts a new bundle after checking its signature. If it does not resolve, does not start or the
     * gateway's health goes DOWN during the check period, it is removed again and the outcome says why.
     */
    BundleOutcome install(Artifact artifact, Change change, Progress progress) throws ManagementException;

    /**
     * Updates an installed bundle to a signed new version. The previous version is kept under {@code data/}; if the
     * new one does not reach ACTIVE or health goes DOWN during the check period, the previous version is restored
     * automatically ({@link BundleOutcome#rolledBack()}).
     */
    BundleOutcome update(String symbolicName, Artifact artifact, Change change, Progress progress)
            throws ManagementException;

    /** Goes back to the version kept before the last update of this bundle. */
    BundleOutcome rollback(String symbolicName, Change change, Progress progress) throws ManagementException;

    BundleOutcome start(String symbolicName, Change change) throws ManagementException;

    BundleOutcome stop(String symbolicName, Change change) throws ManagementException;

    BundleOutcome uninstall(String symbolicName, Change change) throws ManagementException;

    /**
     * Installs a feature of the distribution ({@code features/NAME.json}, bundles from {@code system/}: shipped with
     * the gateway, hence trusted) and runs the same check as a bundle update; a feature that fails it is removed
     * again. Features from elsewhere are not accepted: install their bundles, signed, with {@link #install}.
     */
    FeatureOutcome installFeature(String name, Change change) throws ManagementException;

    /**
     * Installs a feature from outside the distribution: a zip holding {@code NAME.json} and its bundles under
     * {@code repository/} (Maven layout), signed as a whole like a bundle. After the signature, the archive is
     * unpacked under {@code data/features/remote/NAME/} and installed and checked like a feature of the
     * distribution; if anything fails (a bundle the feature names is missing, a bundle does not resolve or start,
     * health goes DOWN during the check) the feature and its folder are removed again and the gateway is as before.
     *
     * @since 1.1
     */
    FeatureOutcome installFeature(Artifact archive, Change change, Progress progress) throws ManagementException;

    /** Removes a feature (its configurations stay, so a reinstall restores the same settings). */
    FeatureOutcome uninstallFeature(String name, Change change) throws ManagementException;

    /** The whole configuration (every ConfigAdmin configuration in scope) as one JSON document. */
    String exportConfiguration() throws ManagementException;

    /**
     * Replaces the configuration with a JSON document from {@link #exportConfiguration()}: a snapshot of the current
     * one is taken first, so it can be rolled back. Refused as a whole (nothing changed) if the document is
     * malformed or from a newer format.
     */
    SnapshotInfo importConfiguration(String json, Change change) throws ManagementException;

    /** Saves the current configuration as a snapshot (the last N are kept). */
    SnapshotInfo snapshot(Change change) throws ManagementException;

    /** Saved snapshots, newest first. */
    List<SnapshotInfo> snapshots() throws ManagementException;

    /** Restores a saved snapshot (after taking one of the current configuration). */
    SnapshotInfo rollbackConfiguration(String snapshotId, Change change) throws ManagementException;

    Inventory inventory();

    /**
     * Writes an online backup of the whole data folder (database, secrets, configuration, certificates) to
     * {@code data/backups/}; the launcher's {@code --restore FILE} puts it in place on this or a replacement box.
     */
    BackupInfo backup(Change change) throws ManagementException;

    /** The backup files kept under {@code data/backups/}, newest first. */
    List<java.nio.file.Path> backups();
}
