package org.lockergate.upstream.mqtt.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.store.internal.H2Store;

/**
 * Benchmark (not a test, not in CI; run by {@code bench/upstream-bench.sh}): a backlog of N queued outbox rows in the
 * real H2 store drained to a private Mosquitto, beside bare Paho QoS 1 (100 in flight, memory persistence, payloads
 * of the same size) in the same run and against the same broker. Prints rates, times and the ratio.
 *
 * <pre>UpstreamBenchmark [rows=100000] [runs=3] [workdir]</pre>
 */
public final class UpstreamBenchmark {

    private UpstreamBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("upstream-bench");
        Files.createDirectories(work);
        try (Mosquitto broker = Mosquitto.start(work.resolve("broker"), Mosquitto.freePort(),
                List.of("persistence false"))) {
            byte[] sample = new Payloads("gw-bench", Fakes.SHANGHAI).event(new org.lockergate.api.model.OutboxEvent(1,
                    Stream.EVENTS, java.util.UUID.randomUUID().toString(), "parcel.deposited", Fakes.T0,
                    DrainTest.deposit(1)));
            System.out.printf("rows %d, payload %d bytes, broker %s, %d runs%n", n, sample.length, broker.url(), runs);
            List<Double> ratios = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                double bare = bare(broker.url(), n, sample);
                double[] ours = drain(broker.url(), n, work.resolve("run" + run));
                double ratio = ours[0] / bare;
                ratios.add(ratio);
                System.out.printf("run %d: bare Paho QoS 1 %,.0f msg/s (%.2f s) | outbox drain %,.0f rows/s (all PUBACKed"
                        + " in %.2f s, all confirmed in the store in %.2f s, %d confirm writes) | ratio %.2f%n", run,
                        bare, n / bare, ours[0], ours[1], ours[2], (long) ours[3], ratio);
            }
            Collections.sort(ratios);
            System.out.printf("median ratio %.2f (target >= 0.30, backlog under 5 s)%n", ratios.get(ratios.size() / 2));
            int samples = Integer.getInteger("latency.samples", 1000);
            int perSecond = Integer.getInteger("latency.rate", 50);
            if (samples > 0) {
                long[] bareLatency = bareLatency(broker.url(), samples, perSecond, sample);
                long[] ourLatency = latency(broker.url(), samples, perSecond, work.resolve("latency"));
                System.out.printf("end-to-end latency, %d events at %d/s, to a QoS 1 subscriber: bare Paho publish ->"
                        + " subscriber p50 %.2f ms p99 %.2f ms max %.2f ms | deposit transaction (outbox row, fsync)"
                        + " -> subscriber p50 %.2f ms p99 %.2f ms max %.2f ms%n", samples, perSecond,
                        pct(bareLatency, 50), pct(bareLatency, 99), pct(bareLatency, 100), pct(ourLatency, 50),
                        pct(ourLatency, 99), pct(ourLatency, 100));
            }
        }
    }

    /** Milliseconds at a percentile of sorted nanosecond samples. */
    static double pct(long[] sorted, int percentile) {
        int i = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** A QoS 1 subscriber that records, per message, arrival time minus the send time carried in "t0". */
    static final class LatencyProbe implements AutoCloseable {
        final MqttAsyncClient client;
        final long[] latencies;
        final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        LatencyProbe(String url, String filter, int n) throws Exception {
            latencies = new long[n];
            client = new MqttAsyncClient(url, "bench-latency-" + System.nanoTime(), new MemoryPersistence());
            client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) throws Exception {
                    long now = System.nanoTime();
                    com.fasterxml.jackson.databind.JsonNode json = Payloads.JSON.readTree(m.getPayload());
                    com.fasterxml.jackson.databind.JsonNode t0 = json.has("data") ? json.get("data").get("t0")
                            : json.get("t0");
                    int i = count.getAndIncrement();
                    if (i < latencies.length) {
                        latencies[i] = now - t0.asLong();
                    }
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            client.connect(o).waitForCompletion(10_000);
            client.subscribe(filter, 1).waitForCompletion(10_000);
        }

        long[] await(int n) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count.get() < n && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            long[] out = java.util.Arrays.copyOf(latencies, Math.min(n, count.get()));
            java.util.Arrays.sort(out);
            return out;
        }

        @Override
        public void close() throws Exception {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }

    /** Bare Paho QoS 1 publish -> subscriber, one message every 1/rate s, the send time in the payload. */
    static long[] bareLatency(String url, int n, int rate, byte[] sample) throws Exception {
        try (LatencyProbe probe = new LatencyProbe(url, "bench/latency/#", n)) {
            MqttAsyncClient client = new MqttAsyncClient(url, "bench-bare-latency", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            client.connect(o).waitForCompletion(10_000);
            String pad = "x".repeat(Math.max(0, sample.length - 40));
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            for (int i = 0; i < n; i++) {
                next += period;
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                byte[] payload = ("{\"t0\":" + System.nanoTime() + ",\"pad\":\"" + pad + "\"}").getBytes();
                client.publish("bench/latency/events", payload, 1, false);
            }
            long[] out = probe.await(n);
            client.disconnect().waitForCompletion(5_000);
            client.close();
            return out;
        }
    }

    /**
     * The upstream on a real H2 store: one deposit-like transaction per event (an outbox row, fsync before the
     * commit returns), the drain woken as EventAdmin would; the clock starts before the transaction.
     */
    static long[] latency(String url, int n, int rate, Path dir) throws Exception {
        H2Store store = DrainTest.h2(dir);
        try (LatencyProbe probe = new LatencyProbe(url, "lockergate/v1/gw-latency/events/#", n)) {
            UpstreamSettings.Builder b = UpstreamSettings.builder(url, "gw-latency", dir);
            b.telemetryInterval = Duration.ZERO;
            Upstream u = new Upstream(b.build(), store, new Fakes.Clock(), () -> null, () -> null,
                    new HandlerRegistry(), DepthProbe.of(store), Map::of);
            u.start();
            while (!u.link().connected()) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            for (int i = 1; i <= n; i++) {
                next += period;
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                long t0 = System.nanoTime();
                String data = DrainTest.deposit(i).replace("}", ",\"t0\":" + t0 + "}");
                store.write("bench.deposit", tx -> {
                    tx.outbox(Stream.EVENTS, "parcel.deposited", Fakes.T0, data);
                    return null;
                });
                u.wake(Stream.EVENTS);
            }
            long[] out = probe.await(n);
            u.stop();
            return out;
        } finally {
            store.close();
        }
    }

    /** Bare Paho: publish n QoS 1 messages with at most 100 in flight; msgs/s until the last PUBACK. */
    static double bare(String url, int n, byte[] payload) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(url, "bench-bare", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(100);
        o.setCleanSession(true);
        client.connect(o).waitForCompletion(10_000);
        Semaphore window = new Semaphore(100);
        AtomicLong acked = new AtomicLong();
        IMqttActionListener ack = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                acked.incrementAndGet();
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                window.release();
            }
        };
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            client.publish("bench/bare/events/parcel.deposited", payload, 1, false, null, ack);
        }
        while (acked.get() < n) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        client.disconnect().waitForCompletion(5_000);
        client.close();
        return n / seconds;
    }

    /** The upstream draining n rows from a fresh H2 store: {rows/s to PUBACK, s to PUBACK, s to confirmed, writes}. */
    static double[] drain(String url, int n, Path dir) throws Exception {
        H2Store store = DrainTest.h2(dir);
        try {
            DrainTest.seed(store, n);
            UpstreamSettings.Builder b = UpstreamSettings.builder(url, "gw-bench", dir);
            b.telemetryInterval = Duration.ZERO;
            Upstream u = new Upstream(b.build(), store, new Fakes.Clock(), () -> null, () -> null,
                    new HandlerRegistry(), DepthProbe.of(store), Map::of);
            long start = System.nanoTime();
            u.start();
            while (u.drainer().acked(Stream.EVENTS) < n) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            double acked = (System.nanoTime() - start) / 1e9;
            while (u.drainer().confirmed(Stream.EVENTS) < n) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            double confirmed = (System.nanoTime() - start) / 1e9;
            long writes = u.drainer().confirmWrites();
            u.stop();
            return new double[] {n / acked, acked, confirmed, writes};
        } finally {
            store.close();
        }
    }
}
