package org.lockergate.management.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.features.FeatureManager;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthReport;
import org.lockergate.health.HealthService;
import org.lockergate.health.HealthStatus;
import org.lockergate.management.Artifact;
import org.lockergate.management.BundleOutcome;
import org.lockergate.management.Change;
import org.lockergate.management.Inventory;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementException.Kind;
import org.lockergate.management.ManagementService;
import org.lockergate.management.Progress;
import org.lockergate.management.Progress.Stage;
import org.lockergate.management.SnapshotInfo;
import org.lockergate.management.trust.ArtifactTrust;
import org.lockergate.store.LockerStore;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation behind the shell, REST and MQTT: verify, keep the previous version, change, check, and
 * roll back on failure. Each step is logged and audited in words an operator understands.
 */
@Component(service = ManagementService.class, configurationPid = "org.lockergate.management", immediate = true)
@Designate(ocd = ManagementSettings.class)
public class ManagementServiceImpl implements ManagementService {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServiceImpl.class);
    private static final Duration HEALTH_POLL = Duration.ofMillis(250);

    private final BundleContext context;
    private final ManagementSettings settings;
    private final ArtifactTrust trust;
    private final Downloader downloader;
    private final ConfigSnapshots snapshots;
    private final Path kept;
    private final DataBackup dataBackup;
    private final ReentrantLock oneAtATime = new ReentrantLock();
    private final Deque<String> recent = new ArrayDeque<>();
    /** The framework's own bundle: stays valid when this bundle is refreshed during an update of its imports. */
    private final Bundle framework;
    private final Path dataFolder;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile HealthService health;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FeatureManager features;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ServiceComponentRuntime scr;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerQueries lockerQueries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile org.osgi.service.event.EventAdmin eventAdmin;

    private final RecentLogErrors logErrors;

    @Activate
    public ManagementServiceImpl(BundleContext context, ManagementSettings settings,
            @Reference ConfigurationAdmin configAdmin) {
        this.context = context;
        this.framework = context.getBundle(0);
        this.settings = settings;
        Path data = Path.of(property(context, "lockergate.data", "data"));
        this.dataFolder = data;
        this.trust = new ArtifactTrust(settings.trustFolder().isBlank() ? data.resolve("secrets").resolve("trust")
                : Path.of(settings.trustFolder()));
        Path work = settings.workFolder().isBlank() ? data.resolve("management") : Path.of(settings.workFolder());
        this.kept = work.resolve("bundles");
        this.dataBackup = new DataBackup(data, context.getBundle().getVersion().toString());
        String logs = context.getProperty("lockergate.logs");
        this.logErrors = new RecentLogErrors(logs == null ? null : Path.of(logs).resolve("lockergate.log"));
        this.downloader = new Downloader(settings.maxArtifactBytes(),
                Duration.ofSeconds(settings.downloadTimeoutSeconds()));
        List<Path> watched = new ArrayList<>();
        for (String dir : property(context, "felix.fileinstall.dir", "").split(",")) {
            if (!dir.isBlank()) {
                watched.add(Path.of(dir.strip()));
            }
        }
        this.snapshots = new ConfigSnapshots(configAdmin, work.resolve("snapshots"), List.of(settings.configScope()),
                watched, context.getBundle().getVersion(), settings.snapshotsKept(), this::now);
        try {
            Files.createDirectories(trust.folder());
        } catch (IOException e) {
            LOG.warn("Cannot create the trust folder {}: {}", trust.folder(), e.getMessage());
        }
        LOG.info("远程管理已就绪 / Remote management ready: trust store {} ({} keys), check period {} s",
                trust.folder(), trust.keys().size(), settings.checkSeconds());
    }

    private static String property(BundleContext context, String name, String fallback) {
        String value = context.getProperty(name);
        return value == null ? fallback : value;
    }

    private Instant now() {
        GatewayClock c = clock;
        return c != null ? c.now() : Instant.now();
    }

    // ---------------------------------------------------------------- bundles

    @Override
    public BundleOutcome install(Artifact artifact, Change change, Progress caller) throws ManagementException {
        Progress progress = observed(caller, "bundle.install", artifact.describe(), change);
        return audited(change, artifact.describe(), progress, () -> {
            byte[] jar = obtain(artifact, progress);
            progress.report(Stage.VERIFYING, -1, "校验签名 / Verifying signature");
            String signer = trust.verify(jar, artifact.signature(), artifact.describe());
            JarInfo info = JarInfo.read(jar, artifact.describe());
            if (find(info.symbolicName()) != null) {
                throw new ManagementException(Kind.CONFLICT, "bundle.installed", "软件包已安装 / Bundle "
                        + info.symbolicName() + " is already installed: use update");
            }
            progress.report(Stage.INSTALLING, -1, "安装 / Installing " + info.symbolicName() + " " + info.version());
            Bundle bundle;
            try {
                bundle = context.installBundle("lockergate:management/" + info.symbolicName(),
                        new ByteArrayInputStream(jar));
            } catch (BundleException e) {
                throw new ManagementException(Kind.FAILED, "bundle.install", "安装失败 / Install of " + info.symbolicName()
                        + " failed: " + e.getMessage());
            }
            String failure = null;
            try {
                bundle.start();
            } catch (BundleException | IllegalStateException e) {
                failure = "启动失败 / did not start: " + rootMessage(e);
            }
            if (failure == null) {
                progress.report(Stage.CHECKING, -1, checkingText());
                failure = check(bundle, true, new Watch(health, scr));
            }
            if (failure != null) {
                try {
                    bundle.uninstall();
                } catch (BundleException e) {
                    LOG.error("Could not remove the failed bundle {}: {}", info.symbolicName(), e.getMessage());
                }
                String message = "已撤销安装 / Install of " + info.symbolicName() + " " + info.version()
                        + " undone: " + failure;
                progress.report(Stage.ROLLED_BACK, 100, message);
                audit(change, "bundle.install.rolled_back", info.symbolicName(), message);
                return new BundleOutcome(info.symbolicName(), null, null, "UNINSTALLED", true, message, signer);
            }
            keep(info.symbolicName(), "current.jar", jar);
            String message = "已安装并运行 / Installed and running: " + info.symbolicName() + " " + info.version()
                    + " (signed by " + signer + ")";
            progress.report(Stage.DONE, 100, message);
            audit(change, "bundle.installed", info.symbolicName(), message);
            return outcome(bundle, null, false, message, signer);
        });
    }

    @Override
    public BundleOutcome update(String symbolicName, Artifact artifact, Change change, Progress caller)
            throws ManagementException {
        Progress progress = observed(caller, "bundle.update", symbolicName, change);
        return audited(change, symbolicName, progress, () -> {
            Bundle bundle = required(symbolicName);
            refuseSpecial(bundle);
            byte[] jar = obtain(artifact, progress);
            progress.report(Stage.VERIFYING, -1, "校验签名 / Verifying signature");
            String signer = trust.verify(jar, artifact.signature(), artifact.describe());
            JarInfo info = JarInfo.read(jar, artifact.describe());
            if (!info.symbolicName().equals(symbolicName)) {
                throw new ManagementException(Kind.BAD_REQUEST, "artifact.wrong_bundle", "软件包不匹配 / The artifact is "
                        + info.symbolicName() + ", not " + symbolicName);
            }
            byte[] previous = currentBytes(bundle);
            keep(symbolicName, "previous.jar", previous);
            return replace(bundle, jar, previous, info.version().toString(), signer, change, progress, "bundle.updated");
        });
    }

    @Override
    public BundleOutcome rollback(String symbolicName, Change change, Progress caller) throws ManagementException {
        Progress progress = observed(caller, "bundle.rollback", symbolicName, change);
        return exclusive(() -> {
            Bundle bundle = required(symbolicName);
            refuseSpecial(bundle);
            Path file = kept.resolve(symbolicName).resolve("previous.jar");
            if (!Files.isRegularFile(file)) {
                throw new ManagementException(Kind.NOT_FOUND, "bundle.no_previous", "没有可回滚的版本 / No previous "
                        + "version of " + symbolicName + " is kept (it was never updated remotely)");
            }
            byte[] previous;
            try {
                previous = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ManagementException(Kind.FAILED, "bundle.kept_unreadable", "无法读取保留版本 / Cannot read "
                        + file + ": " + e.getMessage());
            }
            byte[] current = currentBytes(bundle);
            JarInfo info = JarInfo.read(previous, file.toString());
            BundleOutcome outcome = replace(bundle, previous, current, info.version().toString(), "kept copy", change,
                    progress, "bundle.rolled_back");
            if (!outcome.rolledBack()) {
                keep(symbolicName, "previous.jar", current); // rolling back twice goes forward again
            }
            return outcome;
        });
    }

    /** Puts {@code jar} in place of the running version; on any failure puts {@code previous} back. */
    private BundleOutcome replace(Bundle bundle, byte[] jar, byte[] previous, String newVersion, String signer,
            Change change, Progress progress, String action) throws ManagementException {
        String bsn = bundle.getSymbolicName();
        String oldVersion = bundle.getVersion().toString();
        boolean wasActive = bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.STARTING;
        progress.report(Stage.INSTALLING, -1, "更新 / Updating " + bsn + " " + oldVersion + " → " + newVersion);
        List<Path> migrationBackupsBefore = migrationBackups();
        // Updating a bundle this one imports (store, api, health…) refreshes this bundle too, in the middle of the
        // operation: the services the check needs are taken now and held, so the check still runs then.
        Watch watch = new Watch(health, scr);
        String failure = swap(bundle, jar, wasActive);
        if (failure == null) {
            progress.report(Stage.CHECKING, -1, checkingText());
            failure = check(bundle, wasActive, watch);
        }
        if (failure != null) {
            progress.report(Stage.CHECKING, -1, "检查未通过，回滚 / Check failed, rolling back: " + failure);
            String restored = restoreDatabaseIfMigrated(bundle, migrationBackupsBefore, progress);
            if (restored != null) {
                failure += "; " + restored;
            }
            String again = swap(bundle, previous, wasActive);
            String message = "已自动回滚到 " + oldVersion + " / Rolled back " + bsn + " to " + oldVersion + ": "
                    + failure + (again == null ? "" : " — and the previous version did not start either: " + again);
            progress.report(again == null ? Stage.ROLLED_BACK : Stage.FAILED, 100, message);
            audit(change, action.replace("updated", "update") + ".rolled_back", bsn, message);
            LOG.warn(message);
            return outcome(bundle, oldVersion, true, message, signer);
        }
        keep(bsn, "current.jar", jar);
        String message = "已更新 / Updated " + bsn + " " + oldVersion + " → " + bundle.getVersion()
                + (wasActive ? ", running" : "");
        progress.report(Stage.DONE, 100, message);
        audit(change, action, bsn, message + " (signed by " + signer + ")");
        return outcome(bundle, oldVersion, false, message, signer);
    }

    static final String STORE_BSN = "org.lockergate.store";

    /** The store's pre-migration backups ({@code data/backups/pre-V<n>-<time>.zip}), oldest first. */
    private List<Path> migrationBackups() {
        Path dir = dataFolder.resolve("backups");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("pre-V\\d+-.*\\.zip")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * A store-bundle update that migrated the schema cannot simply be rolled back: the previous store refuses a newer
     * database. The store wrote a backup before its first migration; put that database back (the new bundle stopped)
     * before the previous bundle starts. Returns what was done, or null when no migration ran.
     */
    private String restoreDatabaseIfMigrated(Bundle bundle, List<Path> before, Progress progress) {
        if (!STORE_BSN.equals(bundle.getSymbolicName())) {
            return null;
        }
        List<Path> created = new ArrayList<>(migrationBackups());
        created.removeAll(before);
        if (created.isEmpty()) {
            return null;
        }
        Path backup = created.get(0); // the one taken before the first migration of this update
        Path db = dataFolder.resolve("db").resolve("lockergate.mv.db");
        try {
            bundle.stop(); // closes the database
            Path part = db.resolveSibling(db.getFileName() + ".restore.part");
            try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(Files.newInputStream(backup))) {
                boolean found = false;
                for (java.util.zip.ZipEntry e; (e = zip.getNextEntry()) != null;) {
                    if (e.getName().endsWith("lockergate.mv.db")) {
                        Files.copy(zip, part, StandardCopyOption.REPLACE_EXISTING);
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return "数据库未恢复 / database NOT restored: " + backup + " holds no lockergate.mv.db";
                }
            }
            try (var channel = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(part, db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            String message = "数据库已从迁移前备份恢复 / database restored from the pre-migration backup "
                    + backup.getFileName();
            progress.report(Stage.CHECKING, -1, message);
            LOG.warn(message);
            return message;
        } catch (IOException | BundleException | RuntimeException e) {
            return "数据库恢复失败 / database restore from " + backup.getFileName() + " FAILED: " + e.getMessage()
                    + " — restore it by hand (stop the gateway, unzip it into data/db)";
        }
    }

    /** Updates and refreshes; returns why it failed, or null. */
    private String swap(Bundle bundle, byte[] jar, boolean start) {
        try {
            bundle.update(new ByteArrayInputStream(jar));
        } catch (BundleException | IllegalStateException e) {
            // Felix has already installed the new revision when only the restart failed
            if (!(e instanceof BundleException be && be.getType() == BundleException.ACTIVATOR_ERROR)) {
                return "更新失败 / update failed: " + rootMessage(e);
            }
        }
        refresh(bundle);
        if (start) {
            try {
                bundle.start();
            } catch (BundleException | IllegalStateException e) {
                return "启动失败 / did not start: " + rootMessage(e);
            }
        }
        return null;
    }

    private void refresh(Bundle bundle) {
        FrameworkWiring wiring = framework.adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            if (!done.await(60, TimeUnit.SECONDS)) {
                LOG.warn("Package refresh for {} did not finish in 60 s", bundle.getSymbolicName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The check after a change: the bundle is ACTIVE (if it should run), none of its components failed to activate,
     * and the gateway's health stays UP for the check period. Returns the reason it failed, or null.
     */
    /** The services the check uses, held for the whole operation. */
    record Watch(HealthService health, ServiceComponentRuntime scr) {
    }

    String check(Bundle bundle, boolean shouldRun, Watch watch) {
        return check(List.of(bundle), shouldRun, watch);
    }

    /** The check over several bundles at once (a feature): one check period for all of them. */
    String check(List<Bundle> bundles, boolean shouldRun, Watch watch) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.checkSeconds());
        do {
            for (Bundle bundle : bundles) {
                boolean fragment = bundle.getHeaders("").get(org.osgi.framework.Constants.FRAGMENT_HOST) != null;
                if (shouldRun && !fragment && bundle.getState() != Bundle.ACTIVE) {
                    return bundle.getSymbolicName() + ": 软件包未运行 / the bundle is not ACTIVE (" + state(bundle) + ")";
                }
                String components = failedComponents(bundle, watch.scr());
                if (components != null) {
                    return "组件启动失败 / component failed to activate: " + components;
                }
            }
            HealthService h = watch.health();
            if (h != null) {
                HealthReport report = h.check();
                if (report.status() == HealthStatus.DOWN) {
                    return "网关健康检查为 DOWN / gateway health went DOWN: " + report.checks().stream()
                            .filter(c -> c.critical() && c.status() == HealthStatus.DOWN)
                            .map(c -> c.name() + " (" + c.message() + ")").toList();
                }
            }
            try {
                Thread.sleep(HEALTH_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "检查被中断 / check interrupted";
            }
        } while (System.nanoTime() < deadline);
        return null;
    }

    private static String failedComponents(Bundle bundle, ServiceComponentRuntime runtime) {
        if (runtime == null) {
            return null;
        }
        List<String> failed = new ArrayList<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    failed.add(description.name + ": " + configuration.failure);
                }
            }
        }
        return failed.isEmpty() ? null : String.join("; ", failed);
    }

    @Override
    public BundleOutcome start(String symbolicName, Change change) throws ManagementException {
        return exclusive(() -> {
            Bundle bundle = required(symbolicName);
            refuseSpecial(bundle);
            try {
                bundle.start();
            } catch (BundleException | IllegalStateException e) {
                throw new ManagementException(Kind.FAILED, "bundle.start", "启动失败 / " + symbolicName
                        + " did not start: " + rootMessage(e));
            }
            String message = "已启动 / Started " + symbolicName;
            audit(change, "bundle.started", symbolicName, message);
            return outcome(bundle, null, false, message, null);
        });
    }

    @Override
    public BundleOutcome stop(String symbolicName, Change change) throws ManagementException {
        return exclusive(() -> {
            Bundle bundle = required(symbolicName);
            refuseSpecial(bundle);
            try {
                bundle.stop();
            } catch (BundleException e) {
                throw new ManagementException(Kind.FAILED, "bundle.stop", "停止失败 / " + symbolicName
                        + " did not stop cleanly: " + rootMessage(e));
            }
            String message = "已停止 / Stopped " + symbolicName;
            audit(change, "bundle.stopped", symbolicName, message);
            return outcome(bundle, null, false, message, null);
        });
    }

    @Override
    public BundleOutcome uninstall(String symbolicName, Change change) throws ManagementException {
        return exclusive(() -> {
            Bundle bundle = required(symbolicName);
            refuseSpecial(bundle);
            String version = bundle.getVersion().toString();
            try {
                bundle.uninstall();
            } catch (BundleException e) {
                throw new ManagementException(Kind.FAILED, "bundle.uninstall", "卸载失败 / " + symbolicName
                        + " could not be removed: " + rootMessage(e));
            }
            refresh(bundle);
            String message = "已卸载 / Removed " + symbolicName + " " + version;
            audit(change, "bundle.uninstalled", symbolicName, message);
            return new BundleOutcome(symbolicName, version, version, "UNINSTALLED", false, message, null);
        });
    }

    // ---------------------------------------------------------------- features

    @Override
    public org.lockergate.management.FeatureOutcome installFeature(String name, Change change)
            throws ManagementException {
        return exclusive(() -> {
            FeatureManager fm = requireFeatures();
            if (!fm.available().contains(name)) {
                throw new ManagementException(Kind.NOT_FOUND, "feature.unknown", "没有此功能 / No feature " + name
                        + " in the distribution; available: " + fm.available());
            }
            return installCheckedFeature(fm, name, change, observed(Progress.NONE, "feature.install", name, change));
        });
    }

    /** Installs a feature the feature manager can find by name, checks it like a bundle update, undoes it if bad. */
    private org.lockergate.management.FeatureOutcome installCheckedFeature(FeatureManager fm, String name,
            Change change, Progress progress) throws ManagementException {
        {
            Watch watch = new Watch(health, scr);
            org.lockergate.features.InstalledFeature feature;
            try {
                feature = fm.install(name);
            } catch (org.lockergate.features.FeatureException e) {
                if (fm.installed().stream().anyMatch(f -> f.name().equals(name))) {
                    // installed, but some bundle did not start: undo it like a failed check
                    try {
                        fm.uninstall(name);
                    } catch (org.lockergate.features.FeatureException again) {
                        LOG.error("Feature {}: removing it again failed: {}", name, again.getMessage());
                    }
                    String message = "已撤销功能安装 / Install of feature " + name + " undone: " + e.getMessage();
                    progress.report(Stage.ROLLED_BACK, 100, message);
                    audit(change, "feature.install.rolled_back", name, message);
                    return new org.lockergate.management.FeatureOutcome(name, List.of(), true, message);
                }
                // nothing was installed: the feature itself is wrong (a bundle it names is missing, invalid JSON …)
                audit(change, "feature.refused", name, e.getMessage());
                throw new ManagementException(Kind.BAD_REQUEST, "feature.invalid", "功能无法安装 / Feature " + name
                        + " cannot be installed: " + e.getMessage(), e);
            }
            List<String> bundles = feature.bundles().stream().map(b -> String.valueOf(b.symbolicName())).toList();
            String failure = null;
            List<Bundle> installed = new ArrayList<>();
            for (org.lockergate.features.InstalledFeature.FeatureBundle fb : feature.bundles()) {
                Bundle b = fb.bundleId() < 0 ? null : context.getBundle(fb.bundleId());
                if (b == null) {
                    failure = "软件包缺失 / bundle missing: " + fb.coordinates();
                    break;
                }
                installed.add(b);
            }
            if (failure == null) {
                progress.report(Stage.CHECKING, -1, checkingText());
                failure = check(installed, true, watch);
            }
            if (failure != null) {
                try {
                    fm.uninstall(name);
                } catch (org.lockergate.features.FeatureException e) {
                    failure += "; and removing it failed: " + e.getMessage();
                }
                String message = "已撤销功能安装 / Install of feature " + name + " undone: " + failure;
                progress.report(Stage.ROLLED_BACK, 100, message);
                audit(change, "feature.install.rolled_back", name, message);
                return new org.lockergate.management.FeatureOutcome(name, List.of(), true, message);
            }
            String message = "功能已安装 / Installed feature " + name + " (" + bundles.size() + " bundles)";
            progress.report(Stage.DONE, 100, message);
            audit(change, "feature.installed", name, message);
            return new org.lockergate.management.FeatureOutcome(name, bundles, false, message);
        }
    }

    @Override
    public org.lockergate.management.FeatureOutcome installFeature(Artifact archive, Change change,
            Progress caller) throws ManagementException {
        Progress progress = observed(caller, "feature.install", archive.describe(), change);
        try {
            return exclusive(() -> {
                FeatureManager fm = requireFeatures();
                byte[] zip = obtain(archive, progress);
                progress.report(Stage.VERIFYING, -1, "校验签名 / Verifying signature");
                String signer = trust.verify(zip, archive.signature(), archive.describe());
                Path remote = fm.remoteFeatures();
                Path staging = remote.resolveSibling("staging-" + System.nanoTime());
                String name;
                try {
                    name = FeatureArchive.unpack(zip, staging, 4L * settings.maxArtifactBytes(), archive.describe());
                    if (fm.installed().stream().anyMatch(f -> f.name().equals(name))) {
                        throw new ManagementException(Kind.CONFLICT, "feature.installed", "功能已安装 / Feature " + name
                                + " is already installed: uninstall it first");
                    }
                    if (fm.available().contains(name)) {
                        throw new ManagementException(Kind.CONFLICT, "feature.shadows", "功能名称已被占用 / Feature "
                                + name + " already exists in the distribution; give the archive another name");
                    }
                    Files.createDirectories(remote);
                    Files.move(staging, remote.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new ManagementException(Kind.FAILED, "feature.archive_io", "无法保存功能包 / Cannot store "
                            + "the feature archive under " + remote + ": " + e.getMessage());
                } finally {
                    deleteTree(staging);
                }
                progress.report(Stage.INSTALLING, -1, "安装功能 / Installing feature " + name + " (signed by " + signer
                        + ")");
                org.lockergate.management.FeatureOutcome outcome;
                try {
                    outcome = installCheckedFeature(fm, name, change, progress);
                } catch (ManagementException e) {
                    deleteTree(remote.resolve(name));
                    throw e;
                }
                if (outcome.rolledBack()) {
                    deleteTree(remote.resolve(name));
                }
                return outcome;
            });
        } catch (ManagementException e) {
            progress.report(Stage.FAILED, 100, e.getMessage());
            audit(change, "feature.refused", archive.describe(), e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * The caller's progress, also posted on {@link Progress#TOPIC} (asynchronously: EventAdmin never holds up the
     * operation) so that the console shows every operation live, whoever started it.
     */
    private Progress observed(Progress caller, String operation, String target, Change change) {
        return (stage, percent, message) -> {
            caller.report(stage, percent, message);
            org.osgi.service.event.EventAdmin events = eventAdmin;
            if (events != null) {
                Map<String, Object> properties = new LinkedHashMap<>();
                properties.put("operation", operation);
                properties.put("target", target);
                properties.put("stage", stage.name());
                properties.put("percent", percent);
                properties.put("message", message == null ? "" : message);
                properties.put("actor", change.actor());
                events.postEvent(new org.osgi.service.event.Event(Progress.TOPIC, properties));
            }
        };
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", root, e.getMessage());
        }
    }

    @Override
    public org.lockergate.management.FeatureOutcome uninstallFeature(String name, Change change)
            throws ManagementException {
        return exclusive(() -> {
            FeatureManager fm = requireFeatures();
            if (fm.installed().stream().noneMatch(f -> f.name().equals(name))) {
                throw new ManagementException(Kind.NOT_FOUND, "feature.not_installed", "功能未安装 / Feature " + name
                        + " is not installed");
            }
            if (fm.installed().stream().anyMatch(f -> f.name().equals(name) && f.core())) {
                throw new ManagementException(Kind.CONFLICT, "feature.core", "不能移除核心功能 / " + name
                        + " is a core feature of the gateway and cannot be removed remotely");
            }
            try {
                fm.uninstall(name);
            } catch (org.lockergate.features.FeatureException e) {
                throw new ManagementException(Kind.FAILED, "feature.uninstall", "功能移除失败 / Removing feature " + name
                        + " failed: " + e.getMessage(), e);
            }
            // a feature that came in an archive goes completely, so it does not come back at the next start
            deleteTree(fm.remoteFeatures().resolve(name));
            String message = "功能已移除 / Removed feature " + name;
            audit(change, "feature.uninstalled", name, message);
            return new org.lockergate.management.FeatureOutcome(name, List.of(), false, message);
        });
    }

    private FeatureManager requireFeatures() throws ManagementException {
        FeatureManager fm = features;
        if (fm == null) {
            throw new ManagementException(Kind.CONFLICT, "feature.manager", "功能管理不可用 / The feature manager is "
                    + "not running");
        }
        return fm;
    }

    // ---------------------------------------------------------------- configuration

    @Override
    public String exportConfiguration() throws ManagementException {
        return snapshots.export(new Change("export", null), "export");
    }

    @Override
    public SnapshotInfo importConfiguration(String json, Change change) throws ManagementException {
        return exclusive(() -> {
            List<ConfigSnapshots.Entry> wanted = snapshots.parse(json); // nothing changes if this throws
            SnapshotInfo before = snapshots.save(change, "before import: " + change.reason());
            int changed = snapshots.apply(wanted);
            audit(change, "config.imported", "configuration", changed + " configurations changed; snapshot before: "
                    + before.id());
            return before;
        });
    }

    @Override
    public SnapshotInfo snapshot(Change change) throws ManagementException {
        return exclusive(() -> {
            SnapshotInfo info = snapshots.save(change, change.reason());
            audit(change, "config.snapshot", info.id(), info.configurations() + " configurations");
            return info;
        });
    }

    @Override
    public List<SnapshotInfo> snapshots() throws ManagementException {
        return snapshots.list();
    }

    @Override
    public SnapshotInfo rollbackConfiguration(String snapshotId, Change change) throws ManagementException {
        return exclusive(() -> {
            List<ConfigSnapshots.Entry> wanted = snapshots.parse(snapshots.read(snapshotId));
            SnapshotInfo before = snapshots.save(change, "before rollback to " + snapshotId + ": " + change.reason());
            int changed = snapshots.apply(wanted);
            audit(change, "config.rolled_back", snapshotId, changed + " configurations changed; snapshot before: "
                    + before.id());
            return before;
        });
    }

    // ---------------------------------------------------------------- inventory

    @Override
    public Inventory inventory() {
        List<Inventory.BundleInfo> bundles = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            bundles.add(new Inventory.BundleInfo(b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(),
                    state(b), b.getLocation()));
        }
        List<String> featureNames = new ArrayList<>();
        FeatureManager fm = features;
        if (fm != null) {
            fm.installed().forEach(f -> featureNames.add(f.name()));
        }
        HealthService h = health;
        String healthStatus = "UNKNOWN";
        Map<String, Object> system = new LinkedHashMap<>();
        if (h != null) {
            HealthReport report = h.check();
            healthStatus = report.status().name();
            for (HealthCheck check : report.checks()) {
                if (check.status() != HealthStatus.UP) {
                    system.put("check." + check.name(), check.status() + ": " + check.message());
                }
            }
        }
        Runtime rt = Runtime.getRuntime();
        system.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
        system.put("heapMaxBytes", rt.maxMemory());
        system.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        system.put("diskFreeBytes", dataFolder.toFile().getUsableSpace());
        system.put("trustedKeys", trust.keys().keySet());
        LockerStore s = store;
        if (s != null) {
            try {
                for (org.lockergate.api.model.OutboxEvent.Stream stream : org.lockergate.api.model.OutboxEvent.Stream
                        .values()) {
                    system.put("outboxPending." + stream.name().toLowerCase(java.util.Locale.ROOT),
                            s.pendingCount(stream));
                }
            } catch (Exception e) {
                system.put("outboxPending", "unavailable: " + e.getMessage());
            }
        }
        if (!trust.problems().isEmpty()) {
            system.put("trustProblems", trust.problems());
        }
        List<String> recentOps;
        synchronized (recent) {
            recentOps = new ArrayList<>(recent);
        }
        List<Inventory.CabinetInfo> cabinets = new ArrayList<>();
        LockerQueries queries = lockerQueries;
        if (queries != null) {
            try {
                for (org.lockergate.api.model.CabinetGroup group : queries.groups()) {
                    for (org.lockergate.api.model.Cabinet c : queries.cabinets(group.groupId())) {
                        cabinets.add(new Inventory.CabinetInfo(c.groupId(), c.cabinetId(), c.vendor(), c.model(),
                                c.firmware(), c.online(), c.lastSeen()));
                    }
                }
            } catch (RuntimeException e) {
                system.put("cabinets", "unavailable: " + e.getMessage());
            }
        }
        return new Inventory(now(), bundles, featureNames, healthStatus, system, recentOps, logErrors.latest(20),
                cabinets);
    }

    // ---------------------------------------------------------------- data backup

    @Override
    public org.lockergate.management.BackupInfo backup(Change change) throws ManagementException {
        return exclusive(() -> {
            org.lockergate.management.BackupInfo info = dataBackup.write(store, now());
            audit(change, "gateway.backup", info.file().getFileName().toString(), info.entries() + " files, "
                    + info.bytes() + " bytes, SHA-256 " + info.sha256());
            return info;
        });
    }

    @Override
    public List<Path> backups() {
        return dataBackup.list();
    }

    // ---------------------------------------------------------------- helpers

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws ManagementException;
    }

    /** Like {@link #exclusive}, and a refusal or failure is audited and reported as the last progress step. */
    private <T> T audited(Change change, String target, Progress progress, Operation<T> operation)
            throws ManagementException {
        try {
            return exclusive(operation);
        } catch (ManagementException e) {
            progress.report(Stage.FAILED, 100, e.getMessage());
            audit(change, "bundle.refused", target, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    private <T> T exclusive(Operation<T> operation) throws ManagementException {
        if (!oneAtATime.tryLock()) {
            throw new ManagementException(Kind.CONFLICT, "busy",
                    "另一项管理操作正在进行 / Another management operation is running; try again when it has finished");
        }
        try {
            return operation.run();
        } finally {
            oneAtATime.unlock();
        }
    }

    private byte[] obtain(Artifact artifact, Progress progress) throws ManagementException {
        byte[] jar;
        if (artifact.content() != null) {
            jar = artifact.content();
            if (jar.length > settings.maxArtifactBytes()) {
                throw new ManagementException(Kind.BAD_REQUEST, "artifact.too_large", "软件包过大 / The upload is larger "
                        + "than the limit of " + settings.maxArtifactBytes() + " bytes");
            }
            progress.report(Stage.DOWNLOADING, 100, "已接收上传文件 / Received upload of " + jar.length + " bytes");
        } else {
            progress.report(Stage.DOWNLOADING, 0, "开始下载 / Downloading " + artifact.source());
            jar = downloader.fetch(artifact.source(), progress);
        }
        if (artifact.expectedSha256() != null
                && !artifact.expectedSha256().equalsIgnoreCase(ArtifactTrust.hex(ArtifactTrust.sha256(jar)))) {
            throw new ManagementException(Kind.UNTRUSTED, "artifact.digest", "校验和不符 / SHA-256 of "
                    + artifact.describe() + " is not the expected " + artifact.expectedSha256());
        }
        return jar;
    }

    private Bundle find(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private Bundle required(String symbolicName) throws ManagementException {
        Bundle bundle = find(symbolicName);
        if (bundle == null) {
            throw new ManagementException(Kind.NOT_FOUND, "bundle.unknown", "没有此软件包 / No bundle " + symbolicName
                    + " is installed");
        }
        return bundle;
    }

    private void refuseSpecial(Bundle bundle) throws ManagementException {
        if (bundle.getBundleId() == 0 || bundle.equals(context.getBundle())) {
            throw new ManagementException(Kind.CONFLICT, "bundle.protected", "不能远程更改 / " + bundle.getSymbolicName()
                    + " cannot be changed remotely (the framework and the management bundle itself: update them with "
                    + "the distribution)");
        }
    }

    /** The running version's bytes: the copy kept at its last remote change, or rebuilt from the bundle's entries. */
    private byte[] currentBytes(Bundle bundle) throws ManagementException {
        Path current = kept.resolve(bundle.getSymbolicName()).resolve("current.jar");
        try {
            if (Files.isRegularFile(current)) {
                byte[] bytes = Files.readAllBytes(current);
                if (JarInfo.read(bytes, current.toString()).version().equals(bundle.getVersion())) {
                    return bytes;
                }
            }
            return rebuild(bundle);
        } catch (IOException e) {
            throw new ManagementException(Kind.FAILED, "bundle.keep", "无法保留当前版本 / Cannot keep the running version of "
                    + bundle.getSymbolicName() + " for rollback: " + e.getMessage(), e);
        }
    }

    /** A jar with every entry of the installed bundle, manifest first (what the framework runs, byte for byte per entry). */
    static byte[] rebuild(Bundle bundle) throws IOException {
        URL manifestUrl = bundle.getEntry("META-INF/MANIFEST.MF");
        if (manifestUrl == null) {
            throw new IOException("the bundle has no manifest entry");
        }
        Manifest manifest;
        try (InputStream in = manifestUrl.openStream()) {
            manifest = new Manifest(in);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            Enumeration<URL> entries = bundle.findEntries("/", "*", true);
            List<String> names = new ArrayList<>();
            Map<String, URL> urls = new LinkedHashMap<>();
            if (entries != null) {
                for (URL url : Collections.list(entries)) {
                    String name = url.getPath().startsWith("/") ? url.getPath().substring(1) : url.getPath();
                    if (!name.isEmpty() && !name.equals("META-INF/MANIFEST.MF") && !name.equals("META-INF/")) {
                        names.add(name);
                        urls.put(name, url);
                    }
                }
            }
            Collections.sort(names);
            for (String name : names) {
                jar.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    try (InputStream in = urls.get(name).openStream()) {
                        in.transferTo(jar);
                    }
                }
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private void keep(String symbolicName, String name, byte[] jar) throws ManagementException {
        try {
            Path dir = Files.createDirectories(kept.resolve(symbolicName));
            Path tmp = dir.resolve(name + ".part");
            Files.write(tmp, jar);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ManagementException(Kind.FAILED, "bundle.keep", "无法保存版本 / Cannot keep " + name + " of "
                    + symbolicName + " under " + kept + ": " + e.getMessage(), e);
        }
    }

    private BundleOutcome outcome(Bundle bundle, String previousVersion, boolean rolledBack, String message,
            String signer) {
        return new BundleOutcome(bundle.getSymbolicName(), bundle.getVersion().toString(), previousVersion,
                state(bundle), rolledBack, message, signer);
    }

    private String checkingText() {
        return "检查运行状态 " + settings.checkSeconds() + " 秒 / Checking the bundle and gateway health for "
                + settings.checkSeconds() + " s";
    }

    /** Audit row (durable) and the in-memory list of recent operations for the inventory. */
    private void audit(Change change, String action, String target, String detail) {
        String line = now() + " " + change.actor() + " " + action + " " + target + " — " + detail + " (reason: "
                + change.reason() + ")";
        synchronized (recent) {
            recent.addFirst(line);
            while (recent.size() > 20) {
                recent.removeLast();
            }
        }
        LOG.info("{} {} {}: {} (by {}, reason: {})", "管理操作 / Management", action, target, detail, change.actor(),
                change.reason());
        LockerStore s = store;
        if (s == null) {
            return;
        }
        try {
            Instant at = now();
            s.write("management " + action, tx -> {
                tx.audit(at, change.actor(), "management." + action, target, detail + " (reason: " + change.reason()
                        + ")");
                return null;
            });
        } catch (Exception e) {
            LOG.error("Could not write the audit row for {} {}: {}", action, target, e.getMessage());
        }
    }

    static String state(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            out.append(" ← ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return out.toString();
    }
}
