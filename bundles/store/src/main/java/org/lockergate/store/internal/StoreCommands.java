package org.lockergate.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthContributor;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StoreException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo shell commands {@code store:status}, {@code store:backup} and {@code store:purge <days>}. Gogo calls public
 * methods by name and prints what they return.
 */
@Component(
        service = StoreCommands.class,
        configurationPid = StoreComponent.PID,
        property = {
            "osgi.command.scope=store",
            "osgi.command.function=status",
            "osgi.command.function=backup",
            "osgi.command.function=purge"
        })
public class StoreCommands {

    /** Absent while the database is not open: {@code status} still works then, and says why. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerStore store;
    private final HealthContributor health;
    private volatile Path backupDir;

    @Activate
    public StoreCommands(@Reference(name = "health", target = "(component.name=" + StoreComponent.PID + ")")
            HealthContributor health, BundleContext context, StoreComponent.Config config) {
        this(null, health, StoreComponent.settings(context, config).backupDir());
    }

    StoreCommands(LockerStore store, HealthContributor health, Path backupDir) {
        this.store = store;
        this.health = health;
        this.backupDir = backupDir;
    }

    @Modified
    void modified(BundleContext context, StoreComponent.Config config) {
        backupDir = StoreComponent.settings(context, config).backupDir();
    }

    /** The store health check: status, message, then one line per detail. */
    public String status() {
        HealthCheck check = health.check();
        StringBuilder out = new StringBuilder();
        out.append(check.status()).append("  ").append(check.message()).append(System.lineSeparator());
        for (Map.Entry<String, Object> e : check.details().entrySet()) {
            out.append(String.format("  %-20s %s%n", e.getKey(), e.getValue()));
        }
        return out.toString().stripTrailing();
    }

    /** Writes a backup zip into the backup folder; prints its path. */
    public String backup() throws StoreException {
        Path file = store().backup(backupDir(backupDir));
        return "备份已写入 / Backup written: " + file;
    }

    /** Deletes what is older than {@code days} days (R17 retention); prints the count. */
    public String purge(int days) throws StoreException {
        if (days < 1) {
            return "天数必须至少为 1 / days must be at least 1";
        }
        long deleted = store().purge(Instant.now().minus(Duration.ofDays(days)));
        return "已删除 " + deleted + " 行 / Deleted " + deleted + " rows older than " + days + " days";
    }

    private LockerStore store() throws StoreException {
        LockerStore s = store;
        if (s == null) {
            throw new StoreException("存储未打开 / The store is not open: " + health.check().message());
        }
        return s;
    }

    private static Path backupDir(Path dir) throws StoreException {
        try {
            H2Store.createPrivateDirectories(dir);
            if (!Files.isDirectory(dir)) {
                throw new StoreException("备份目录不可用 / Backup folder is not a folder: " + dir);
            }
            return dir;
        } catch (java.io.IOException e) {
            throw new StoreException("备份目录无法创建 / Cannot create backup folder " + dir + ": " + e, e);
        }
    }
}
