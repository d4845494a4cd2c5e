package org.lockergate.loadgen;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.lockergate.devices.coap.internal.Coap;
import org.lockergate.devices.coap.internal.NetworkConditions;

/**
 * Drives {@link BareCoapServer} with the client setup of the kiosks in {@link LockerLoad}: the same number of
 * threads making blocking confirmable requests, spread over the same number of client endpoints, each built exactly
 * like a {@code SimulatedKiosk}'s (the simulator's {@code Coap.configuration} and {@code Coap.endpoint}: standard
 * Californium values, one protocol/receiver/sender thread, its own source port), with a body the size of a deposit.
 *
 * <p>Options: {@code --server coap://127.0.0.1:P --threads 8,64 --endpoints 64 --warmup 5 --duration 10
 * --gateway-pid N} (the server's pid, for its CPU): one window of {@code duration} seconds per thread count, after a
 * warm-up at the largest.
 */
public final class BareCoapLoad {

    public static void main(String[] argv) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Args args = new Args(argv);
        URI server = URI.create(args.required("server") + "/bench");
        String windows = args.get("threads", "64");
        int threads = 0;
        for (String w : windows.split(",")) {
            threads = Math.max(threads, Integer.parseInt(w.trim()));
        }
        int endpointCount = Math.max(1, args.integer("endpoints", threads));
        double warmup = args.decimal("warmup", 5);
        double duration = args.decimal("duration", 10);
        long serverPid = args.longValue("gateway-pid", -1);

        List<CoapEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < endpointCount; i++) {
            CoapEndpoint e = Coap.endpoint(false, new InetSocketAddress("127.0.0.1", 0), null, new NetworkConditions(),
                    Coap.configuration(Duration.ofSeconds(2)), "[bare client " + i + "] ");
            e.start();
            endpoints.add(e);
        }
        byte[] body = ("{\"session\":\"9c1f0e7b5a2d4c3e8f6a1b0d2c4e6f8a\",\"waybill\":\"BN100000000001\",\"size\":\"S\","
                + "\"phone\":\"13800001234\",\"consent\":{\"channel\":\"app\",\"ref\":\"C-1\","
                + "\"at\":\"2026-03-01T10:05:00.000+08:00\",\"feeTermsAccepted\":true},\"declared\":{\"damaged\":false,"
                + "\"weightMismatch\":false,\"fresh\":false,\"valuable\":false}}").getBytes(StandardCharsets.UTF_8);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger active = new AtomicInteger(threads);
        AtomicReference<Window> window = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        int threadCount = threads;
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread worker = new Thread(() -> {
                int next = first;
                while (!stop.get()) {
                    if (first >= active.get()) {
                        sleep(50);
                        continue;
                    }
                    CoapEndpoint endpoint = endpoints.get(next % endpoints.size());
                    next += threadCount;
                    Request request = new Request(Code.POST);
                    request.setURI(server);
                    request.setPayload(body);
                    request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
                    request.getOptions().setAccept(MediaTypeRegistry.APPLICATION_JSON);
                    long begin = System.nanoTime();
                    Response response;
                    try {
                        response = Coap.call(endpoint, request, Duration.ofSeconds(10));
                    } catch (InterruptedException e) {
                        return;
                    }
                    long latency = System.nanoTime() - begin;
                    Window w = window.get();
                    if (w != null) {
                        if (response != null && response.getCode().isSuccess()) {
                            w.ok.increment();
                            w.recorders[first].add(latency);
                        } else {
                            w.failed.increment();
                        }
                    }
                }
            }, "bare-client-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        Thread.sleep((long) (warmup * 1000));
        for (String w : windows.split(",")) {
            int n = Integer.parseInt(w.trim());
            active.set(n);
            Thread.sleep(1_000);
            Cpu.Snapshot before = Cpu.Snapshot.take(serverPid);
            Window current = new Window(threads);
            window.set(current);
            Thread.sleep((long) (duration * 1000));
            window.set(null);
            Cpu.Snapshot after = Cpu.Snapshot.take(serverPid);
            double elapsed = (after.wallNanos() - before.wallNanos()) / 1e9;
            double[] cores = after.coresSince(before);
            Latencies.Summary summary = current.latencies.summary();
            double rate = current.ok.sum() / elapsed;
            System.out.printf(Locale.ROOT, "bare Californium, trivial POST, %d threads over %d client endpoints: %.0f "
                    + "requests/s  %s, %d failed%n", n, endpointCount, rate, summary.describe(), current.failed.sum());
            System.out.printf(Locale.ROOT, "  CPU (cores): server JVM %.2f, load JVM %.2f, other processes %.2f%n",
                    cores[0], cores[1], cores[2]);
            String key = "bare_coap.t" + n;
            Results.rate(key, rate, summary);
            Results.put(key + ".failed", current.failed.sum());
            Results.put(key + ".cpu.server", cores[0]);
            Results.put(key + ".cpu.load", cores[1]);
            Results.put(key + ".cpu.others", cores[2]);
        }
        stop.set(true);
        for (Thread w : workers) {
            w.join(12_000);
        }
        endpoints.forEach(CoapEndpoint::destroy);
        System.exit(0);
    }

    /** What one measuring window counts. */
    private static final class Window {
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final Latencies latencies = new Latencies();
        final Latencies.Recorder[] recorders;

        Window(int threads) {
            recorders = new Latencies.Recorder[threads];
            for (int i = 0; i < threads; i++) {
                recorders[i] = latencies.recorder();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
