package org.lockergate.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.lockergate.features.internal.FeatureDescriptor;
import org.lockergate.features.internal.FeatureRepository;
import org.ops4j.pax.exam.Option;

/**
 * The distribution the build unpacked at {@code runtime/target/lockergate/}: its feature files decide which bundles
 * a Pax Exam test starts, so the tests run exactly what the gateway runs.
 */
public final class Distribution {

    /** The features the distribution provisions without --demo (conf/lockergate.properties). */
    public static final List<String> FEATURES = List.of("framework", "web");

    private Distribution() {
    }

    public static Path home() {
        Path home = Path.of(System.getProperty("lockergate.distribution", "../runtime/target/lockergate"));
        if (!Files.isDirectory(home.resolve("system"))) {
            throw new IllegalStateException("No distribution at " + home.toAbsolutePath()
                    + ": build it first (mvn -pl runtime -am package)");
        }
        return home.toAbsolutePath().normalize();
    }

    /**
     * Pax Exam options for a Felix framework with the bundles of the given features, a fresh data folder, and HTTP
     * on a free port. The feature and system folders may be replaced (tests that install features use copies).
     */
    public static List<Option> frameworkOptions(Path featuresDir, Path systemDir, Path dataDir, Path deployDir,
            int httpPort) {
        return frameworkOptions(FEATURES, featuresDir, systemDir, dataDir, deployDir, httpPort);
    }

    /**
     * As {@link #frameworkOptions(Path, Path, Path, Path, int)}, with the bundles of the given features (in that
     * order, e.g. {@code framework, web, locker, coap, vendor-coap}), which are also the provisioned features the
     * feature manager reports ({@code lockergate.features}).
     */
    public static List<Option> frameworkOptions(List<String> features, Path featuresDir, Path systemDir, Path dataDir,
            Path deployDir, int httpPort) {
        List<Option> options = new ArrayList<>();
        FeatureRepository repository = new FeatureRepository(featuresDir, systemDir);
        try {
            for (String name : features) {
                FeatureDescriptor feature = repository.read(name);
                for (FeatureDescriptor.BundleRef ref : feature.bundles()) {
                    int level = ref.startOrder() > 0 ? ref.startOrder() : 10;
                    options.add(bundle(ref.jar().toUri().toString()).startLevel(level).start(!isFragment(ref.jar())));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the distribution's features: " + e.getMessage(), e);
        }
        Path home = home();
        options.add(frameworkStartLevel(20));
        options.add(frameworkProperty("lockergate.home").value(home.toString()));
        options.add(frameworkProperty("lockergate.data").value(dataDir.toString()));
        options.add(frameworkProperty("lockergate.deploy").value(deployDir.toString()));
        options.add(frameworkProperty("lockergate.features").value(String.join(",", features)));
        options.add(frameworkProperty("lockergate.features.dir").value(featuresDir.toString()));
        options.add(frameworkProperty("lockergate.system.dir").value(systemDir.toString()));
        options.add(frameworkProperty("lockergate.demo").value("false"));
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(httpPort)));
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(frameworkProperty("felix.fileinstall.dir").value(deployDir.toString()));
        options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        options.add(frameworkProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(systemProperty("pax.exam.osgi.unresolved.fail").value("true"));
        options.add(junitBundles());
        // AssertJ inside the framework, with the Byte Buddy it imports (versions from the build)
        options.add(mavenBundle("net.bytebuddy", "byte-buddy", System.getProperty("bytebuddy.version")));
        options.add(mavenBundle("org.assertj", "assertj-core", System.getProperty("assertj.version")));
        return options;
    }

    private static boolean isFragment(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Felix framework with the given features on fresh data and deploy folders, plus the CoAP devices bundle (its
     * NotificationLogTailer reads the development notifier's log) and the lock-board simulators, CoAP on ephemeral
     * ports: the set-up of the tests against simulated lock boards.
     */
    public static Option[] withLockBoards(List<String> features, String prefix) throws IOException {
        Path work = Files.createTempDirectory(prefix);
        Path home = home();
        Path data = Files.createDirectories(work.resolve("data"));
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        List<Option> options = new ArrayList<>(frameworkOptions(features, home.resolve("features"),
                home.resolve("system"), data, deploy, freePort()));
        options.add(bundle(bundleJarIn(home.resolve("system/org/lockergate/org.lockergate.devices.coap")).toUri()
                .toString()).startLevel(10).start(true));
        options.add(bundle(lockBoardsSimulatorJar().toUri().toString()).startLevel(10).start(true));
        options.add(frameworkProperty("lockergate.coap.port").value("0"));
        options.add(frameworkProperty("lockergate.coaps.port").value("0"));
        return options.toArray(new Option[0]);
    }

    /** The bundle jar in a folder of the distribution's system repository (not the standalone jar beside it). */
    public static Path bundleJarIn(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().contains("standalone"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no bundle in " + dir));
        }
    }

    /** The lock-board simulators' jar on the test class path (a test dependency of itests; not in the distribution). */
    public static Path lockBoardsSimulatorJar() {
        try {
            Path jar = Path.of(org.lockergate.devices.lockboards.Cu48Simulator.class.getProtectionDomain()
                    .getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the lockboards simulator is not a jar here: " + jar);
            }
            return jar;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
