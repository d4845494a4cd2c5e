package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.lockergate.features.FeatureException;
import org.lockergate.features.FeatureManager;
import org.lockergate.features.InstalledFeature;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthReport;
import org.lockergate.health.HealthService;
import org.lockergate.health.HealthStatus;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The gateway's bundles in a real Felix framework, started from the distribution's own feature files: every
 * provisioned bundle is ACTIVE, health follows bundles, components and configuration, and features install and
 * uninstall at run time.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FrameworkIT {

    @Inject
    BundleContext context;

    @Inject
    HealthService injectedHealth; // makes Pax Exam wait for the service; use health() for the current one

    @Inject
    FeatureManager features;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] configuration() throws IOException {
        Path work = Files.createTempDirectory("lockergate-frameworkit");
        Path home = Distribution.home();
        // a copy of the feature and system folders, with one extra feature the tests install and remove
        Path featuresDir = copy(home.resolve("features"), work.resolve("features"));
        Path systemDir = copy(home.resolve("system"), work.resolve("system"));
        TestBundles.write(systemDir.resolve("org/lockergate/test/extra-bundle/1.0.0/extra-bundle-1.0.0.jar"),
                "org.lockergate.test.extra", "1.0.0", Map.of());
        Files.writeString(featuresDir.resolve("extra.json"), """
                {"feature-resource-version":"1.0","id":"org.lockergate.feature:extra:1.0.0",
                 "name":"Extra test feature",
                 "bundles":[{"id":"org.lockergate.test:extra-bundle:1.0.0"}],
                 "configurations":{"org.lockergate.test.extra":{"greeting":"你好"}}}
                """);
        Path data = Files.createDirectories(work.resolve("data"));
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        return Distribution.frameworkOptions(featuresDir, systemDir, data, deploy, Distribution.freePort())
                .toArray(new Option[0]);
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return to;
    }

    @Test
    public void every_provisioned_bundle_is_active() {
        List<InstalledFeature> installed = features.installed();
        assertThat(installed).extracting(InstalledFeature::name).containsExactly("framework", "web");
        for (InstalledFeature feature : installed) {
            for (InstalledFeature.FeatureBundle fb : feature.bundles()) {
                Bundle bundle = context.getBundle(fb.bundleId());
                assertThat(bundle).as(fb.coordinates()).isNotNull();
                awaitTrue(() -> bundle.getState() == Bundle.ACTIVE, fb.coordinates() + " ACTIVE");
            }
        }
    }

    @Test
    public void health_is_up_with_core_checks() {
        awaitTrue(() -> health().check().status() == HealthStatus.UP, "health UP, was " + describe(health().check()));
        HealthReport report = health().check();
        assertThat(report.checks()).extracting(HealthCheck::name)
                .contains("bundles", "components", "disk", "features", "deploy");
        HealthCheck bundles = find(report, "bundles");
        assertThat(bundles.critical()).isTrue();
        assertThat((Integer) bundles.details().get("coreBundles")).isGreaterThan(20);
    }

    @Test
    public void a_configadmin_change_reaches_the_health_component() throws Exception {
        org.osgi.service.cm.Configuration config = configAdmin.getConfiguration("org.lockergate.health", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("minFreeDiskMb", Long.MAX_VALUE / (1024 * 1024 * 2)); // more than any disk has
        config.update(props);
        try {
            awaitTrue(() -> find(health().check(), "disk").status() == HealthStatus.DOWN, "disk DOWN after config");
            assertThat(health().check().status()).isEqualTo(HealthStatus.DOWN);
            assertThat(find(health().check(), "disk").message()).contains("Disk almost full");
        } finally {
            config.delete();
        }
        awaitTrue(() -> health().check().status() == HealthStatus.UP, "health UP again");
    }

    @Test
    public void a_stopped_core_bundle_makes_health_down_and_is_named() throws Exception {
        Bundle shell = Stream.of(context.getBundles())
                .filter(b -> "org.lockergate.shell".equals(b.getSymbolicName())).findFirst().orElseThrow();
        shell.stop();
        try {
            HealthReport report = health().check();
            assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(find(report, "bundles").message()).contains("org.lockergate.shell").contains("RESOLVED");
        } finally {
            shell.start();
        }
        awaitTrue(() -> health().check().status() == HealthStatus.UP, "health UP after restart");
    }

    @Test
    public void a_feature_installs_with_its_configuration_and_uninstalls() throws Exception {
        assertThat(features.available()).contains("framework", "web", "extra");

        InstalledFeature extra = features.install("extra");

        assertThat(extra.core()).isFalse();
        Bundle bundle = context.getBundle(extra.bundles().get(0).bundleId());
        assertThat(bundle.getSymbolicName()).isEqualTo("org.lockergate.test.extra");
        assertThat(bundle.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(configAdmin.getConfiguration("org.lockergate.test.extra", "?").getProperties().get("greeting"))
                .isEqualTo("你好");
        assertThat(find(health().check(), "features").details()).containsKey("extra");
        Path state = Path.of(context.getProperty("lockergate.data"), "features", "state.properties");
        assertThat(Files.readString(state)).contains("added=extra");

        features.uninstall("extra");

        assertThat(bundle.getState()).isEqualTo(Bundle.UNINSTALLED);
        assertThat(features.installed()).extracting(InstalledFeature::name).doesNotContain("extra");
        assertThat(Files.readString(state)).contains("removed=extra");
    }

    @Test
    public void an_unknown_feature_is_refused_with_the_available_names() {
        assertThatThrownBy(() -> features.install("no-such-feature"))
                .isInstanceOf(FeatureException.class)
                .hasMessageContaining("no-such-feature.json")
                .hasMessageContaining("framework");
    }

    @Test
    public void a_bundle_dropped_into_deploy_starts_and_its_removal_stops_it() throws Exception {
        Path deploy = Path.of(context.getProperty("lockergate.deploy"));
        Path jar = TestBundles.write(deploy.resolve("hot.jar"), "org.lockergate.test.hot", "1.0.0", Map.of());
        awaitTrue(() -> bundle("org.lockergate.test.hot") != null
                && bundle("org.lockergate.test.hot").getState() == Bundle.ACTIVE, "hot bundle ACTIVE");
        assertThat(find(health().check(), "deploy").details()).containsEntry("hot.jar", "ACTIVE");

        Files.delete(jar);
        awaitTrue(() -> bundle("org.lockergate.test.hot") == null, "hot bundle uninstalled");
    }

    @Test
    public void a_broken_bundle_in_deploy_is_reported_without_making_health_down() throws Exception {
        Path deploy = Path.of(context.getProperty("lockergate.deploy"));
        Path unresolvable = TestBundles.writeUnresolvable(deploy.resolve("broken.jar"), "org.lockergate.test.broken");
        Path garbage = TestBundles.writeGarbage(deploy.resolve("garbage.jar"));
        try {
            awaitTrue(() -> bundle("org.lockergate.test.broken") != null, "broken bundle installed");
            awaitTrue(() -> String.valueOf(find(health().check(), "deploy").details().get("broken.jar"))
                    .contains("org.example.nowhere"), "deploy check names the missing package");
            HealthReport report = health().check();
            assertThat(report.status()).isEqualTo(HealthStatus.UP);
            HealthCheck deployCheck = find(report, "deploy");
            assertThat(deployCheck.critical()).isFalse();
            assertThat(String.valueOf(deployCheck.details().get("garbage.jar"))).startsWith("NOT INSTALLED");
            assertThat(deployCheck.message()).contains("broken.jar").contains("garbage.jar");
        } finally {
            Files.deleteIfExists(unresolvable);
            Files.deleteIfExists(garbage);
        }
    }

    /** The current health service: a configuration change replaces the component instance. */
    private HealthService health() {
        // between the old instance going and the new one coming there is briefly no service: wait for it
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            org.osgi.framework.ServiceReference<HealthService> ref = context.getServiceReference(HealthService.class);
            HealthService service = ref == null ? null : context.getService(ref);
            if (service != null) {
                return service;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no HealthService for 15 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    private Bundle bundle(String symbolicName) {
        return Stream.of(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElse(null);
    }

    private static HealthCheck find(HealthReport report, String name) {
        return report.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + describe(report)));
    }

    private static String describe(HealthReport report) {
        return report.status() + " " + report.checks().stream()
                .map(c -> c.name() + "=" + c.status() + "(" + c.message() + ")").collect(Collectors.joining(", "));
    }

    /** Polls a condition that another thread (fileinstall, SCR) makes true; fails with the description. */
    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
