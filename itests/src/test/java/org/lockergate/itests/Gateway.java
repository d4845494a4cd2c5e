package org.lockergate.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A copy of the distribution started as its users start it: {@code bin/lockergate} in its own process. */
public final class Gateway implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("LockerGate ready in (\\d+) ms — HTTP https?://[^/]*:(\\d+)/");

    public final Path home;
    public final Path data;
    public final Path output;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String baseUrl;
    private long readyMs = -1;

    private Gateway(Path home, Path data, Path output, Process process) {
        this.home = home;
        this.data = data;
        this.output = output;
        this.process = process;
    }

    /** Copies the distribution into a fresh folder and starts it with the given environment on top of ports 0. */
    public static Gateway start(Map<String, String> env, String... args) throws IOException {
        Path work = Files.createTempDirectory("lockergate-dist");
        Path home = copy(Distribution.home(), work.resolve("lockergate"));
        return start(home, work.resolve("data-" + System.nanoTime()), env, args);
    }

    /** A fresh copy of the distribution, not started (to add configuration before {@link #start(Path, Path, Map, String...)}). */
    public static Path prepare() throws IOException {
        return copy(Distribution.home(), Files.createTempDirectory("lockergate-dist").resolve("lockergate"));
    }

    /** Starts (or restarts) the distribution at {@code home} on the data folder {@code data}. */
    public static Gateway start(Path home, Path data, Map<String, String> env, String... args) throws IOException {
        Path output = home.resolveSibling("console-" + System.nanoTime() + ".log");
        Map<String, String> environment = new HashMap<>();
        environment.put("LOCKERGATE_HTTP_PORT", "0");
        environment.put("LOCKERGATE_COAP_PORT", "0");
        environment.put("LOCKERGATE_COAPS_PORT", "0");
        environment.put("LOCKERGATE_OPCUA_PORT", "0");
        environment.put("LOCKERGATE_DATA", data.toString());
        environment.putAll(env);
        String[] command = new String[args.length + 1];
        command[0] = home.resolve("bin/lockergate").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        return new Gateway(home, data, output, builder.start());
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    /** Waits for the ready line; fails with the console output when the gateway exits or takes too long. */
    public Gateway awaitReady() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = READY.matcher(console());
            if (m.find()) {
                readyMs = Long.parseLong(m.group(1));
                baseUrl = "http://127.0.0.1:" + m.group(2);
                return this;
            }
            if (!process.isAlive()) {
                throw new AssertionError("gateway exited with " + process.exitValue() + ":\n" + console());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ready line within 90 s:\n" + console());
    }

    public String console() throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    public String logFile() throws IOException {
        Path log = home.resolve("logs/lockergate.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    public long readyMs() {
        return readyMs;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The plain CoAP port, from the transport's log line (ports are ephemeral in tests). */
    public int coapPort() throws IOException, InterruptedException {
        Pattern listening = Pattern.compile("CoAP listening on udp [^ ,]*:(\\d+)");
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = listening.matcher(console());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no CoAP port in the log:\n" + console());
    }

    /** kill -9: no shutdown hook, no flush — what a power cut or OOM killer does to the process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM and returns the exit code (or -1 when it did not stop in time). */
    public int terminate(long seconds) throws InterruptedException {
        process.destroy(); // SIGTERM
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    public int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate(40);
        }
    }
}
