package org.lockergate.upstream.mqtt.internal;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Mosquitto broker for one test (also used by the itests, through this module's test-jar), on a free port bound to 127.0.0.1 with its own config and persistence
 * folder (never the shared broker on 1883). Tests are skipped, with a clear message, when there is no
 * {@code mosquitto} binary (CI installs the Debian package).
 */
public final class Mosquitto implements AutoCloseable {

    private static final List<String> CANDIDATES = List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto",
            "/usr/local/sbin/mosquitto", "/usr/local/bin/mosquitto");

    private final Path dir;
    private final int port;
    private final List<String> extraConfig;
    private Process process;

    private Mosquitto(Path dir, int port, List<String> extraConfig) {
        this.dir = dir;
        this.port = port;
        this.extraConfig = extraConfig;
    }

    /** Skips the calling test when Mosquitto is not installed. */
    public static String binary() {
        String found = CANDIDATES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        if (found == null) {
            for (String dirName : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path p = Path.of(dirName, "mosquitto");
                if (Files.isExecutable(p)) {
                    found = p.toString();
                    break;
                }
            }
        }
        assumeThat(found).as("the mosquitto binary is not installed (apt-get install mosquitto); MQTT tests skipped")
                .isNotNull();
        return found;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static Mosquitto start(Path dir) throws Exception {
        return start(dir, freePort(), List.of());
    }

    /** A broker on a chosen port (not started when {@code start} is false: for tests that want it down first). */
    public static Mosquitto create(Path dir, int port, List<String> extraConfig) {
        binary();
        return new Mosquitto(dir, port, extraConfig);
    }

    public static Mosquitto start(Path dir, int port, List<String> extraConfig) throws Exception {
        Mosquitto m = create(dir, port, extraConfig);
        m.start();
        return m;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public synchronized void start() throws Exception {
        Files.createDirectories(dir);
        List<String> conf = new ArrayList<>();
        conf.add("listener " + port + " 127.0.0.1");
        conf.add("allow_anonymous true");
        // Started as root, Mosquitto would switch to the "mosquitto" user and could not write its files here.
        conf.add("user " + System.getProperty("user.name"));
        conf.add("persistence true");
        conf.add("persistence_location " + dir.toAbsolutePath() + "/");
        conf.add("max_queued_messages 0");
        conf.add("max_inflight_messages 100");
        conf.add("log_dest file " + dir.resolve("mosquitto.log").toAbsolutePath());
        conf.addAll(extraConfig);
        Path file = dir.resolve("mosquitto.conf");
        Files.write(file, conf);
        process = new ProcessBuilder(binary(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("stdout.log"))
                        + readLog());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20); // polling for the listener, bounded by the deadline
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + ": " + readLog());
    }

    /** SIGTERM: Mosquitto saves its persistence file (sessions, queued messages) and exits. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    public String readLog() {
        try {
            return Files.exists(dir.resolve("mosquitto.log")) ? Files.readString(dir.resolve("mosquitto.log")) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
