package org.lockergate.store.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthContributor;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StorageStatus;
import org.lockergate.store.StoreException;
import org.lockergate.store.StoreWork;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store in the framework: opens {@link H2Store} with connections from H2's {@link DataSourceFactory}, registers
 * the {@code store} {@link HealthContributor} and — once the database is open and migrated — {@link LockerStore};
 * posts {@link LockerTopics#OUTBOX_WRITTEN} when EventAdmin is there, and purges daily by the configured retention.
 *
 * <p>When the database cannot be opened the component still activates: one ERROR names the file, health reports
 * DOWN with the reason, and {@code LockerStore} is <em>not</em> registered, so core waits for it (an unsatisfied
 * reference the health check names) instead of activating, failing and being retried with a stack trace each time.
 */
@Component(name = StoreComponent.PID, service = HealthContributor.class, configurationPid = StoreComponent.PID,
        immediate = true) // opens and migrates at start, not at first use
@Designate(ocd = StoreComponent.Config.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.lockergate.store.LockerStore",
        uses = LockerStore.class) // registered by hand (below), still advertised for resolvers
public class StoreComponent implements LockerStore, HealthContributor {

    public static final String PID = "org.lockergate.store";
    private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);
    private static final Duration FIRST_PURGE = Duration.ofMinutes(10);

    @ObjectClassDefinition(name = "LockerGate store",
            description = "H2 database in {data}/db: connection pool, disk reserve (R22), retention (R17), backups")
    public @interface Config {
        @AttributeDefinition(name = "Pool size", min = "1",
                description = "Database connections: one write transaction at a time plus concurrent reads "
                        + "(applies after a restart)")
        int poolSize() default StoreSettings.DEFAULT_POOL_SIZE;

        @AttributeDefinition(name = "Reserve (MB)", min = "0",
                description = "Free space kept for pickups: below it new deposits are refused, pickups go on (R22)")
        long reserveMb() default StoreSettings.DEFAULT_RESERVE_MB;

        @AttributeDefinition(name = "Retention (days)", min = "1",
                description = "Business records older than this are purged daily (R17)")
        int retentionDays() default StoreSettings.DEFAULT_RETENTION_DAYS;

        @AttributeDefinition(name = "Simulated free bytes",
                description = "Test hook for fault tests: reported instead of the real free space when >= 0; -1 = real")
        long simulatedFreeBytes() default -1;

        @AttributeDefinition(name = "Backup folder", required = false,
                description = "Where backups go; empty = {data}/backups")
        String backupFolder() default "";
    }

    private final H2Store store;
    private final ScheduledExecutorService maintenance;
    private final ServiceRegistration<LockerStore> registration;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock gatewayClock;

    @Activate
    public StoreComponent(BundleContext context,
            @Reference(name = "dataSourceFactory", target = "(osgi.jdbc.driver.class=org.h2.Driver)")
            DataSourceFactory dataSourceFactory, Config config) {
        StoreSettings settings = settings(context, config);
        this.store = new H2Store(settings, (url, user, password) -> dataSource(dataSourceFactory, url, user, password),
                MigrationSource.bundle(context.getBundle()), clock(), this::outboxWritten);
        this.registration = store.start() ? context.registerService(LockerStore.class, this,
                new java.util.Hashtable<>(Map.of(Constants.SERVICE_DESCRIPTION, "LockerGate store (H2, "
                        + settings.dbFile() + ")"))) : null;
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lockergate-store-retention");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleAtFixedRate(this::dailyPurge, FIRST_PURGE.toMinutes(), Duration.ofDays(1).toMinutes(),
                TimeUnit.MINUTES);
    }

    @Modified
    void modified(BundleContext context, Config config) {
        store.update(settings(context, config));
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister(); // consumers stop first, then the last writes are synced and the file closed
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping this bundle and has unregistered it already
            }
        }
        maintenance.shutdownNow();
        store.close();
    }

    /** The settings from the configuration and the framework property {@code lockergate.data}. */
    static StoreSettings settings(BundleContext context, Config config) {
        String home = property(context, "lockergate.home", ".");
        Path data = Path.of(property(context, "lockergate.data", Path.of(home, "data").toString()));
        String backups = config.backupFolder();
        return new StoreSettings(data, config.poolSize(), Math.max(0, config.reserveMb()) << 20,
                config.retentionDays(), config.simulatedFreeBytes(),
                backups == null || backups.isBlank() ? null : Path.of(backups));
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static DataSource dataSource(DataSourceFactory factory, String url, String user, String password)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, url);
        props.setProperty(DataSourceFactory.JDBC_USER, user);
        props.setProperty(DataSourceFactory.JDBC_PASSWORD, password);
        return factory.createDataSource(props);
    }

    /** The gateway clock when core has registered one (tests move it), the system clock before that. */
    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return Clock.fixed(instant(), zone);
            }

            @Override
            public Instant instant() {
                GatewayClock gc = gatewayClock;
                return gc == null ? Instant.now() : gc.now();
            }
        };
    }

    private void outboxWritten(OutboxEvent.Stream stream) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(LockerTopics.OUTBOX_WRITTEN, Map.of(LockerTopics.STREAM, stream.name())));
        }
    }

    /** The scheduled retention run; tests call {@link #purgeByRetention()} directly. */
    private void dailyPurge() {
        try {
            purgeByRetention();
        } catch (StoreException | RuntimeException e) {
            LOG.warn("保留期清理失败，明天重试 / Retention purge failed, next try in a day: {}", e.getMessage());
        }
    }

    /** Purges what is older than the configured retention; returns the rows deleted. */
    long purgeByRetention() throws StoreException {
        Instant before = clock().instant().minus(Duration.ofDays(store.settings().retentionDays()));
        return store.purge(before);
    }

    H2Store store() {
        return store;
    }

    // ------------------------------------------------------------------------------------------------ LockerStore

    @Override
    public <T> T write(String purpose, StoreWork<T> work) throws StoreException, LockerException {
        return store.write(purpose, work);
    }

    @Override
    public <T> T read(StoreWork<T> work) throws StoreException, LockerException {
        return store.read(work);
    }

    @Override
    public StorageStatus storage() {
        return store.storage();
    }

    @Override
    public List<OutboxEvent> pending(OutboxEvent.Stream stream, int limit) throws StoreException {
        return store.pending(stream, limit);
    }

    @Override
    public List<OutboxEvent> pendingAfter(OutboxEvent.Stream stream, long afterSeq, int limit)
            throws StoreException {
        return store.pendingAfter(stream, afterSeq, limit);
    }

    @Override
    public long pendingCount(OutboxEvent.Stream stream) throws StoreException {
        return store.pendingCount(stream);
    }

    @Override
    public void confirm(OutboxEvent.Stream stream, long seq) throws StoreException {
        store.confirm(stream, seq);
    }

    @Override
    public Path backup(Path target) throws StoreException {
        return store.backup(target);
    }

    @Override
    public long purge(Instant businessBefore) throws StoreException {
        return store.purge(businessBefore);
    }

    // ------------------------------------------------------------------------------------------------ health

    @Override
    public HealthCheck check() {
        return StoreHealth.check(store);
    }
}
