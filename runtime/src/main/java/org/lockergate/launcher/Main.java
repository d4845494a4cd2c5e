package org.lockergate.launcher;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lockergate.features.FeatureException;
import org.lockergate.features.internal.FeatureDescriptor;
import org.lockergate.features.internal.FeatureRepository;
import org.lockergate.features.internal.FeatureState;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Starts LockerGate: reads {@code conf/}, the environment and the feature files, embeds Apache Felix through the
 * standard {@link FrameworkFactory}, installs the bundles of the configured features and waits until the HTTP
 * listener is up. Runs in the foreground; SIGTERM stops the framework cleanly.
 */
public final class Main {

    private static final String HTTP_RUNTIME = "org.osgi.service.servlet.runtime.HttpServiceRuntime";
    private static final int DEFAULT_BUNDLE_START_LEVEL = 10;
    /** Logging, ConfigAdmin and fileinstall: up before anything else, so conf/ is applied first. */
    private static final int BOOT_START_LEVEL = 4;
    private static final int FRAMEWORK_START_LEVEL = 20;

    private final Settings settings;
    private final long startNanos;
    private Framework framework;
    private StartTimes startTimes;

    Main(Settings settings, long startNanos) {
        this.settings = settings;
        this.startNanos = startNanos;
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        boolean demo = false;
        String restore = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--demo" -> demo = true;
                case "--restore" -> {
                    if (i + 1 >= args.length) {
                        Log.error("--restore 需要备份文件 / --restore needs the backup file\n" + usage());
                        System.exit(2);
                    }
                    restore = args[++i];
                }
                case "-h", "--help" -> {
                    System.out.println(usage());
                    return;
                }
                default -> {
                    Log.error("未知参数 / Unknown argument: " + arg + "\n" + usage());
                    System.exit(2);
                }
            }
        }
        Path home = Path.of(System.getProperty("lockergate.home", ".")).toAbsolutePath().normalize();
        if (restore != null) {
            System.exit(Restore.run(Settings.from(home, System.getenv(), false).data().toAbsolutePath().normalize(),
                    Path.of(restore).toAbsolutePath()));
        }
        try {
            Main main = new Main(Settings.from(home, System.getenv(), demo), started);
            int code = main.run();
            System.exit(code);
        } catch (StartupException e) {
            Log.error(e.getMessage());
            System.exit(e.exitCode());
        }
    }

    static String usage() {
        return """
                usage: lockergate [--demo] | --restore FILE
                  --demo          add simulated cabinets, a traffic generator and demo accounts (never in production)
                  --restore FILE  put a backup (mgmt:backup) in place of the data folder, gateway stopped; the
                                  current folder is kept as data.before-restore-<time>
                environment: LOCKERGATE_HTTP_PORT (8080) LOCKERGATE_COAP_PORT (5683) LOCKERGATE_COAPS_PORT (5684)
                  LOCKERGATE_OPCUA_PORT (4840) LOCKERGATE_SHELL_PORT (remote shell, off unless set)
                  LOCKERGATE_DATA (data/) LOCKERGATE_GATEWAY_ID LOCKERGATE_MQTT_URL (tcp://host:port, empty = offline)
                  0 as a port means any free port; the chosen port is logged.""";
    }

    /** Starts the gateway and blocks until the framework stops; returns the process exit code. */
    int run() {
        prepareFolders();
        Map<String, String> properties = frameworkProperties();
        List<String> wanted = wantedFeatures(properties);
        checkPortsFree(wanted);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new StartupException("No OSGi framework on the class path (lib/ is incomplete)"));
        framework = factory.newFramework(properties);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopFramework, "lockergate-shutdown"));
        try {
            framework.init();
            HiddenCommands.install(framework.getBundleContext());
            startTimes = StartTimes.install(framework.getBundleContext());
            List<String> provisioned = provision(framework.getBundleContext(), wanted);
            framework.start();
            if (awaitConfiguration()) {
                Log.routeThroughLogging();
            }
            raiseStartLevel();
            awaitReady(provisioned);
            FrameworkEvent event = framework.waitForStop(0);
            return event.getType() == FrameworkEvent.ERROR ? 1 : 0;
        } catch (BundleException e) {
            throw new StartupException("OSGi 框架无法启动 / The OSGi framework cannot start: " + e.getMessage(), 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private void prepareFolders() {
        Path data = settings.data();
        try {
            if (!Files.isDirectory(data)) {
                Files.createDirectories(data);
                Log.info("已创建数据目录 / Created the data folder " + data);
            }
            Path probe = Files.createTempFile(data, ".write-check", ".tmp");
            Files.delete(probe);
            Files.createDirectories(settings.logs());
            Files.createDirectories(settings.home().resolve("deploy"));
            Path secrets = data.resolve("secrets");
            if (!Files.isDirectory(secrets)) {
                Files.createDirectories(secrets);
                restrict(secrets, "rwx------");
            }
        } catch (IOException e) {
            throw new StartupException("数据目录不可用 / The data folder " + data + " is not usable: " + e.getMessage()
                    + " (set LOCKERGATE_DATA to a writable folder)");
        }
    }

    private static void restrict(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (IOException | UnsupportedOperationException e) {
            Log.warn("Cannot restrict permissions of " + path + ": " + e.getMessage());
        }
    }

    /**
     * Fails fast with the port and variable named, rather than a stack trace from deep inside Jetty, Californium or
     * Milo — for the listeners of the features that will start.
     */
    private void checkPortsFree(List<String> features) {
        checkTcp(settings.httpPort(), Settings.HTTP_PORT, "0.0.0.0");
        if (settings.shellPort() != null) {
            checkTcp(settings.shellPort(), Settings.SHELL_PORT, "127.0.0.1");
        }
        if (features.contains("coap")) {
            checkUdp(settings.coapPort(), Settings.COAP_PORT);
            checkUdp(settings.coapsPort(), Settings.COAPS_PORT);
        }
        if (features.contains("opcua")) {
            checkTcp(settings.opcuaPort(), Settings.OPCUA_PORT, "0.0.0.0");
        }
    }

    private static void checkUdp(int port, String variable) {
        if (port == 0) {
            return;
        }
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(null)) {
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new StartupException("UDP 端口 " + port + " 已被占用 / UDP port " + port + " (" + variable
                    + ") is already in use or not allowed: " + e.getMessage()
                    + " — stop the other program or set " + variable + " to another port (0 = any free port)", 3);
        }
    }

    private static void checkTcp(int port, String variable, String host) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new StartupException("端口 " + port + " 已被占用 / Port " + port + " (" + variable
                    + ") is already in use or not allowed: " + e.getMessage()
                    + " — stop the other program or set " + variable + " to another port (0 = any free port)", 3);
        }
    }

    Map<String, String> frameworkProperties() {
        Path home = settings.home();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("lockergate.home", home.toString());
        props.put("lockergate.data", settings.data().toString());
        props.put("lockergate.logs", settings.logs().toString());
        props.put("lockergate.deploy", home.resolve("deploy").toString());
        props.put("lockergate.demo", Boolean.toString(settings.demo()));
        Path config = home.resolve("conf").resolve("framework.properties");
        props.putAll(readProperties(config, props));

        props.put(Constants.FRAMEWORK_STORAGE, settings.data().resolve("felix-cache").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(BOOT_START_LEVEL));
        props.put("felix.cm.dir", settings.data().resolve("config").toString());
        String watched = home.resolve("conf").resolve("config") + "," + home.resolve("deploy");
        if (settings.demo()) {
            watched += "," + home.resolve("conf").resolve("demo");
        }
        props.put("felix.fileinstall.dir", watched);
        props.put("org.osgi.service.http.port", Integer.toString(settings.httpPort()));
        props.put("lockergate.http.port", Integer.toString(settings.httpPort()));
        props.put("lockergate.coap.port", Integer.toString(settings.coapPort()));
        props.put("lockergate.coaps.port", Integer.toString(settings.coapsPort()));
        props.put("lockergate.opcua.port", Integer.toString(settings.opcuaPort()));
        if (settings.shellPort() != null) {
            props.put("lockergate.shell.port", Integer.toString(settings.shellPort()));
        }
        props.put("lockergate.gateway.id", settings.gatewayId() != null ? settings.gatewayId() : gatewayId());
        props.put("lockergate.mqtt.url", settings.mqttUrl());
        if (System.console() == null || Boolean.getBoolean("lockergate.noconsole")) {
            // a daemon has no stdin: an interactive Gogo would stop the framework when stdin ends
            props.put("gosh.args", "--nointeractive");
        }
        // fileinstall substitutes ${...} in .cfg files from system properties
        props.forEach((k, v) -> {
            if (k.startsWith("lockergate.")) {
                System.setProperty(k, v);
            }
        });
        return props;
    }

    /** Reads a properties file, substituting {@code ${name}} from the given values and system properties. */
    static Map<String, String> readProperties(Path file, Map<String, String> known) {
        Map<String, String> result = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return result;
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new StartupException("配置文件无效 / Invalid configuration file " + file + ": " + e.getMessage());
        }
        Pattern variable = Pattern.compile("\\$\\{([^}]+)}");
        for (String key : props.stringPropertyNames()) {
            Matcher m = variable.matcher(props.getProperty(key));
            StringBuilder value = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String replacement = known.getOrDefault(name, System.getProperty(name));
                if (replacement == null) {
                    throw new StartupException("Invalid configuration file " + file + ": " + key + " uses ${" + name
                            + "}, which is not defined");
                }
                m.appendReplacement(value, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(value);
            result.put(key, value.toString());
        }
        return result;
    }

    /** The gateway id: LOCKERGATE_GATEWAY_ID, else one generated at first start and kept in the data folder. */
    private String gatewayId() {
        Path file = settings.data().resolve("gateway-id");
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            byte[] random = new byte[4];
            new SecureRandom().nextBytes(random);
            String id = "lg-" + HexFormat.of().formatHex(random);
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            Log.info("网关编号 / Gateway id " + id + " (set LOCKERGATE_GATEWAY_ID to choose one)");
            return id;
        } catch (IOException e) {
            throw new StartupException("Cannot read or write " + file + ": " + e.getMessage());
        }
    }

    /** The features to start: conf/lockergate.properties (+ demo ones), with the run-time changes in data/. */
    private List<String> wantedFeatures(Map<String, String> properties) {
        Path home = settings.home();
        Map<String, String> conf = readProperties(home.resolve("conf").resolve("lockergate.properties"), properties);
        List<String> configured = new ArrayList<>(FeatureState.split(conf.getOrDefault("lockergate.features", "")));
        if (settings.demo()) {
            configured.addAll(FeatureState.split(conf.getOrDefault("lockergate.features.demo", "")));
        }
        List<String> wanted;
        try {
            wanted = FeatureState.load(settings.data()).effective(configured);
        } catch (IOException e) {
            throw new StartupException("Cannot read " + settings.data().resolve("features") + ": " + e.getMessage());
        }
        if (wanted.isEmpty()) {
            throw new StartupException("No features to start: set lockergate.features in "
                    + home.resolve("conf").resolve("lockergate.properties"));
        }
        return wanted;
    }

    /** Installs the bundles of the wanted features; a broken feature is reported and skipped. */
    private List<String> provision(BundleContext context, List<String> wanted) {
        Path home = settings.home();
        FeatureRepository repository = new FeatureRepository(home.resolve("features"), home.resolve("system"),
                FeatureState.remoteFolder(settings.data()));
        List<String> provisioned = new ArrayList<>();
        for (String name : wanted) {
            try {
                FeatureDescriptor feature = repository.read(name);
                for (FeatureDescriptor.BundleRef ref : feature.bundles()) {
                    install(context, ref, name);
                }
                provisioned.add(name);
            } catch (FeatureException e) {
                Log.error(e.getMessage() + " — 跳过该功能 / feature skipped");
            }
        }
        // the feature manager inside the framework reads this to know what runs
        System.setProperty("lockergate.features", String.join(",", provisioned));
        return provisioned;
    }

    private static void install(BundleContext context, FeatureDescriptor.BundleRef ref, String feature) {
        String location = ref.jar().toUri().toString();
        try {
            Bundle bundle = context.getBundle(location);
            if (bundle == null) {
                bundle = context.installBundle(location);
            }
            bundle.adapt(BundleStartLevel.class).setStartLevel(
                    ref.startOrder() > 0 ? ref.startOrder() : DEFAULT_BUNDLE_START_LEVEL);
            if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                bundle.start(); // marks it to start when the framework reaches its start level
            }
        } catch (BundleException e) {
            Log.error("Bundle " + ref.coordinates() + "（功能 / feature " + feature + "）无法安装 / cannot be installed: "
                    + e.getMessage());
        }
    }

    /**
     * Waits (at most 3 s) until fileinstall has loaded conf/config into ConfigAdmin — the logging configuration is
     * the marker — so the gateway's components start with their configuration and log to the files from the start.
     */
    private boolean awaitConfiguration() throws InterruptedException {
        BundleContext context = framework.getBundleContext();
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            ServiceReference<?> ref = context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
            if (ref != null) {
                Object configAdmin = context.getService(ref);
                try {
                    Object found = configAdmin.getClass().getMethod("listConfigurations", String.class)
                            .invoke(configAdmin, "(service.pid=org.ops4j.pax.logging)");
                    if (found != null) {
                        return true;
                    }
                } catch (ReflectiveOperationException e) {
                    Log.warn("Cannot query ConfigAdmin: " + e);
                    return false;
                } finally {
                    context.ungetService(ref);
                }
            }
            Thread.sleep(10);
        }
        Log.warn("conf/config/org.ops4j.pax.logging.cfg was not loaded within 3 s: logging stays at its defaults");
        return false;
    }

    private void raiseStartLevel() throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        framework.adapt(org.osgi.framework.startlevel.FrameworkStartLevel.class)
                .setStartLevel(FRAMEWORK_START_LEVEL, event -> done.countDown());
        if (!done.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            Log.warn("Start level " + FRAMEWORK_START_LEVEL + " not reached within 60 s");
        }
    }

    /** Waits until every provisioned bundle has started and the HTTP listener is up, then logs the ready line. */
    private void awaitReady(List<String> provisioned) throws InterruptedException {
        BundleContext context = framework.getBundleContext();
        long deadline = System.nanoTime() + 30_000_000_000L;
        String endpoint = null;
        while (System.nanoTime() < deadline && framework.getState() == Bundle.ACTIVE) {
            ServiceReference<?>[] refs = null;
            try {
                refs = context.getAllServiceReferences(HTTP_RUNTIME, null);
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            if (refs != null && refs.length > 0) {
                endpoint = endpoint(refs[0].getProperty("osgi.http.endpoint"));
                if (endpoint != null) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        if (framework.getState() != Bundle.ACTIVE) {
            return;
        }
        List<String> notStarted = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            if (bundle.getBundleId() != 0 && !fragment && bundle.getState() != Bundle.ACTIVE
                    && !bundle.getLocation().contains("/deploy/")) {
                notStarted.add(bundle.getSymbolicName() + " (" + Log.state(bundle.getState()) + ")");
            }
        }
        if (!notStarted.isEmpty()) {
            Log.error("这些 bundle 未能启动 / These bundles did not start: " + String.join(", ", notStarted));
        }
        if (endpoint == null) {
            throw new StartupException("HTTP 服务未能在端口 " + settings.httpPort() + " 上启动 / The HTTP server did not"
                    + " start on port " + settings.httpPort() + " (" + Settings.HTTP_PORT + "); see logs/lockergate.log", 3);
        }
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        Log.info("LockerGate ready in " + ms + " ms — HTTP " + endpoint + " — features " + String.join(", ", provisioned)
                + (settings.demo() ? " — DEMO MODE 演示模式" : ""));
        SystemdWatchdog watchdog = SystemdWatchdog.fromEnvironment(System.getenv(), port(endpoint,
                settings.httpPort()));
        if (watchdog != null) {
            watchdog.ready();
        }
        if (startTimes != null) {
            Log.info("启动最慢的 bundle / Slowest bundle starts: " + startTimes.slowest(5));
            startTimes.uninstall(context);
        }
    }

    /** The port of the HTTP endpoint the server reported (the configured one may be 0). */
    static int port(String endpoint, int configured) {
        try {
            int port = URI.create(endpoint).getPort();
            return port > 0 ? port : configured;
        } catch (IllegalArgumentException e) {
            return configured;
        }
    }

    private static String endpoint(Object property) {
        if (property instanceof String s) {
            return s;
        }
        if (property instanceof String[] a && a.length > 0) {
            return a[0];
        }
        if (property instanceof java.util.Collection<?> c && !c.isEmpty()) {
            return String.valueOf(c.iterator().next());
        }
        return null;
    }

    private void stopFramework() {
        Framework fw = framework;
        if (fw == null || fw.getState() != Bundle.ACTIVE && fw.getState() != Bundle.STARTING) {
            return;
        }
        Log.info("正在停止 LockerGate / Stopping LockerGate");
        Log.routeToConsole();
        try {
            fw.stop();
            FrameworkEvent event = fw.waitForStop(30_000);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                Log.error("LockerGate did not stop within 30 s; exiting anyway");
                Runtime.getRuntime().halt(1);
            }
            Log.info("LockerGate 已停止 / LockerGate stopped");
            // a clean stop on SIGTERM is a success (exit 0), not "killed by signal" (143), for systemd and scripts
            Runtime.getRuntime().halt(0);
        } catch (BundleException e) {
            Log.error("Error while stopping: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
