package org.lockergate.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * systemd integration under {@code Type=notify}: READY=1 once the gateway is ready, then WATCHDOG=1 every third of
 * {@code WatchdogSec} — but only while the gateway's own HTTP health endpoint answers. A hung gateway (deadlocked
 * framework, exhausted threads) stops answering, the pings stop and systemd restarts it. A gateway that answers DOWN
 * is not hung and is not restarted in a loop: DOWN is for operators, the watchdog is for hangs.
 *
 * <p>The JDK cannot write to the notify socket (a Unix datagram socket) by itself, so this runs {@code systemd-notify
 * --pid=<our pid>}; the unit sets {@code NotifyAccess=all} for that.
 */
final class SystemdWatchdog {

    private final URI health;
    private final long intervalMillis;
    private final Consumer<List<String>> notifier;
    private final HttpClient client = HttpClient.newBuilder().proxy(java.net.ProxySelector.of(null))
            .connectTimeout(Duration.ofSeconds(5)).build();
    private ScheduledExecutorService timer;

    SystemdWatchdog(URI health, long intervalMillis, Consumer<List<String>> notifier) {
        this.health = health;
        this.intervalMillis = intervalMillis;
        this.notifier = notifier;
    }

    /** The watchdog for this process when systemd asked for notifications, or null. */
    static SystemdWatchdog fromEnvironment(Map<String, String> env, int httpPort) {
        if (env.get("NOTIFY_SOCKET") == null) {
            return null;
        }
        long watchdogUsec = 0;
        try {
            watchdogUsec = Long.parseLong(env.getOrDefault("WATCHDOG_USEC", "0"));
        } catch (NumberFormatException e) {
            // no watchdog, only READY
        }
        String pid = Long.toString(ProcessHandle.current().pid());
        return new SystemdWatchdog(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/health"),
                watchdogUsec / 1000 / 3, args -> {
                    List<String> command = new java.util.ArrayList<>(List.of("systemd-notify", "--pid=" + pid));
                    command.addAll(args);
                    try {
                        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
                                ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
                    } catch (IOException e) {
                        Log.error("systemd-notify 不可用 / systemd-notify failed: " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
    }

    /** Sends READY=1 and starts the pings. */
    void ready() {
        notifier.accept(List.of("READY=1", "STATUS=LockerGate ready"));
        if (intervalMillis <= 0) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lockergate-systemd-watchdog");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pingIfAlive, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** One round: ping only when the health endpoint answered at all. */
    boolean pingIfAlive() {
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(health)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200 || response.statusCode() == 503) {
                notifier.accept(List.of("WATCHDOG=1"));
                return true;
            }
        } catch (IOException e) {
            // not answering: no ping, systemd decides
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    void stopping() {
        if (timer != null) {
            timer.shutdownNow();
        }
        notifier.accept(List.of("STOPPING=1"));
    }
}
