package org.lockergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.h2.util.OsgiDataSourceFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthStatus;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The DS component outside the framework: H2's real {@code DataSourceFactory}, a bundle whose entries are the
 * class-path migrations, EventAdmin and GatewayClock fakes; plus the shell commands.
 */
class StoreComponentTest {

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeEach
    void clear() {
        REGISTERED.clear();
    }

    @Test
    void theComponentOpensWritesPostsEventsPurgesAndReportsHealth() throws Exception {
        StoreComponent component = new StoreComponent(context(dir), new OsgiDataSourceFactory(org.h2.Driver.load()),
                config(8, 256, 30, -1, ""));
        List<Event> events = new CopyOnWriteArrayList<>();
        component.eventAdmin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        };
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        component.gatewayClock = new GatewayClock() {
            @Override
            public Instant now() {
                return now;
            }

            @Override
            public ZoneId zone() {
                return ZoneOffset.UTC;
            }
        };
        try {
            assertThat(component.store().isOpen()).isTrue();
            assertThat(dir.resolve("data/db/lockergate.mv.db")).exists();
            assertThat(REGISTERED).containsExactly("org.lockergate.store.LockerStore");
            component.write("test", tx -> {
                tx.audit(now.minus(Duration.ofDays(31)), "test", "old", null, null);
                tx.audit(now.minus(Duration.ofDays(29)), "test", "young", null, null);
                return tx.outbox(OutboxEvent.Stream.ALARMS, "door_jammed", now, "{}");
            });
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.getTopic()).isEqualTo(LockerTopics.OUTBOX_WRITTEN);
                assertThat(e.getProperty(LockerTopics.STREAM)).isEqualTo("ALARMS");
            });

            // the daily job, called directly: retention 30 days by the gateway clock
            assertThat(component.purgeByRetention()).isEqualTo(1);
            assertThat(Stores.count(component.store(), "SELECT COUNT(*) FROM audit_log WHERE action = 'young'")).isOne();

            HealthCheck check = component.check();
            assertThat(check.name()).isEqualTo("store");
            assertThat(check.status()).isEqualTo(HealthStatus.UP);

            // configuration change at run time: the fault-test hook
            component.modified(context(dir), config(8, 256, 30, 1024, ""));
            assertThat(component.storage().freeBytes()).isEqualTo(1024);
            assertThat(component.check().message()).contains("below the reserve");

            // shell
            StoreCommands shell = new StoreCommands(component, component, dir.resolve("data/backups"));
            assertThat(shell.status()).startsWith("UP").contains("transactions").contains("reserveBytes");
            String backup = shell.backup();
            assertThat(backup).contains(dir.resolve("data/backups").toString());
            try (Stream<Path> files = Files.list(dir.resolve("data/backups"))) {
                assertThat(files.toList()).singleElement().satisfies(p -> assertThat(p.toString()).endsWith(".zip"));
            }
            assertThat(shell.purge(1)).contains("Deleted");
            assertThat(shell.purge(0)).contains("at least 1");
        } finally {
            component.deactivate();
        }
        assertThat(REGISTERED).isEmpty();
        assertThat(component.check().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void aCorruptDatabaseStillActivatesAndReportsDown() throws Exception {
        Path file = dir.resolve("data/db/lockergate.mv.db");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[16384]);
        StoreComponent component = new StoreComponent(context(dir), new OsgiDataSourceFactory(org.h2.Driver.load()),
                config(8, 256, 365, -1, ""));
        try {
            HealthCheck check = component.check();
            assertThat(check.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(check.message()).contains(file.toString()).contains("corrupt");
            // no LockerStore service: core waits instead of failing to activate again and again
            assertThat(REGISTERED).isEmpty();
            StoreCommands shell = new StoreCommands(null, component, dir);
            assertThat(shell.status()).startsWith("DOWN").contains("corrupt");
            assertThatThrownBy(shell::backup).isInstanceOf(org.lockergate.store.StoreException.class)
                    .hasMessageContaining("not open").hasMessageContaining("corrupt");
        } finally {
            component.deactivate();
        }
    }

    static BundleContext context(Path dir) {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findEntries")) {
                        URL folder = StoreComponentTest.class.getClassLoader().getResource((String) args[0]);
                        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
                            List<URL> urls = files.filter(p -> p.getFileName().toString().matches("V.*\\.sql"))
                                    .map(p -> {
                                        try {
                                            return p.toUri().toURL();
                                        } catch (java.net.MalformedURLException e) {
                                            throw new IllegalStateException(e);
                                        }
                                    }).toList();
                            return Collections.enumeration(urls);
                        }
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Map<String, String> properties = Map.of("lockergate.data", dir.resolve("data").toString());
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "getBundle" -> bundle;
                    case "registerService" -> {
                        REGISTERED.add(((Class<?>) args[0]).getName());
                        yield Proxy.newProxyInstance(ServiceRegistration.class.getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        REGISTERED.remove(((Class<?>) args[0]).getName());
                                        return null;
                                    }
                                    throw new UnsupportedOperationException(m.getName());
                                });
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Services the component registered by hand through the fake context. */
    static final List<String> REGISTERED = new CopyOnWriteArrayList<>();

    static StoreComponent.Config config(int pool, long reserveMb, int retentionDays, long simulated, String backups) {
        return new StoreComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StoreComponent.Config.class;
            }

            @Override
            public int poolSize() {
                return pool;
            }

            @Override
            public long reserveMb() {
                return reserveMb;
            }

            @Override
            public int retentionDays() {
                return retentionDays;
            }

            @Override
            public long simulatedFreeBytes() {
                return simulated;
            }

            @Override
            public String backupFolder() {
                return backups;
            }
        };
    }
}
