package org.lockergate.devices.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.lockergate.upstream.mqtt.internal.FleetGateway;

/**
 * A county on one broker: N gateways' upstreams ({@link FleetGateway}: the real drain and command dispatcher, each
 * with its own H2 store and client id) and one county-platform consumer subscribed to
 * {@code lockergate/v1/+/events/#}, {@code …/+/status} and {@code …/+/reply/#} with a persistent session. Each
 * gateway writes deposit events at a steady rate; the consumer de-duplicates by eventId, checks every gateway's seq
 * (no gap, no reordering), measures deposit-transaction → consumer latency; then it sends one HS256-signed
 * {@code diagnostics} command to every gateway and measures the reply round trip. Prints the figures.
 *
 * <pre>FleetSimulator [gateways=36] [seconds=20] [depositsPerGatewayPerSecond=2] [brokerUrl|"" = own mosquitto] [workdir]</pre>
 */
public final class FleetSimulator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetSimulator() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 36;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 2.0;
        String url = args.length > 3 ? args[3] : "";
        Path work = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("lockergate-fleet");
        Process broker = null;
        if (url.isBlank()) {
            int port = freePort();
            broker = mosquitto(work.resolve("broker"), port);
            url = "tcp://127.0.0.1:" + port;
        }
        System.out.printf("fleet: %d gateways, %d s, %.1f deposits/s each (%.0f/s in all), broker %s%n", n, seconds,
                rate, n * rate, url);
        Consumer cloud = new Consumer(url);
        List<FleetGateway> gateways = new ArrayList<>();
        Map<String, byte[]> secrets = new ConcurrentHashMap<>();
        SecureRandom random = new SecureRandom();
        try {
            long startAll = System.nanoTime();
            for (int i = 1; i <= n; i++) {
                String id = String.format("gw-%03d", i);
                byte[] secret = new byte[32];
                random.nextBytes(secret);
                secrets.put(id, secret);
                FleetGateway g = new FleetGateway(url, id, work.resolve(id), secret);
                g.start();
                gateways.add(g);
            }
            await(60, () -> gateways.stream().allMatch(FleetGateway::connected) && cloud.births.size() >= n);
            System.out.printf("all %d connected and born (retained status) in %.1f s%n", n,
                    (System.nanoTime() - startAll) / 1e9);

            long period = (long) (1e9 / rate);
            ExecutorService writers = Executors.newFixedThreadPool(Math.min(n, 8));
            AtomicLong written = new AtomicLong();
            long begin = System.nanoTime();
            long end = begin + TimeUnit.SECONDS.toNanos(seconds);
            for (int w = 0; w < Math.min(n, 8); w++) {
                int lane = w;
                writers.submit(() -> {
                    // each lane serves every 8th gateway, spreading their deposits evenly over the period
                    List<FleetGateway> mine = new ArrayList<>();
                    for (int i = lane; i < gateways.size(); i += 8) {
                        mine.add(gateways.get(i));
                    }
                    long next = System.nanoTime();
                    long seq = 0;
                    while (next < end) {
                        seq++;
                        for (FleetGateway g : mine) {
                            LockSupport.parkNanos(next - System.nanoTime());
                            next += period / mine.size();
                            try {
                                g.deposit(seq, System.nanoTime());
                                written.incrementAndGet();
                            } catch (Exception e) {
                                System.err.println(g.gatewayId() + ": " + e);
                            }
                        }
                    }
                    return null;
                });
            }
            writers.shutdown();
            writers.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
            double writeSeconds = (System.nanoTime() - begin) / 1e9;
            await(60, () -> cloud.unique.size() >= written.get());
            double drainSeconds = (System.nanoTime() - begin) / 1e9;
            long[] lat = cloud.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("events: %d written in %.1f s, %d received (%d duplicates), all unique ones in %.1f s"
                    + " -> %.0f msgs/s at the consumer%n", written.get(), writeSeconds, cloud.received.get(),
                    cloud.received.get() - cloud.unique.size(), drainSeconds, cloud.unique.size() / drainSeconds);
            System.out.printf("deposit transaction -> consumer latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    pct(lat, 50), pct(lat, 99), pct(lat, 100));
            List<String> orderProblems = cloud.orderProblems();
            System.out.printf("per-gateway order: %s%n", orderProblems.isEmpty()
                    ? "every gateway's seq 1.." + "N without gap or reordering (after dedup by eventId)"
                    : orderProblems);

            long cmdStart = System.nanoTime();
            for (FleetGateway g : gateways) {
                cloud.command(g.gatewayId(), secrets.get(g.gatewayId()), "diagnostics", "fleet-" + g.gatewayId());
            }
            await(60, () -> cloud.replies.size() >= n);
            long[] rtt = cloud.replyRtts.stream().mapToLong(Long::longValue).sorted().toArray();
            long ok = cloud.replyStatus.values().stream().filter(s -> s == 200).count();
            System.out.printf("commands: %d signed diagnostics, %d answered 200 in %.2f s; round trip p50 %.1f ms,"
                    + " p99 %.1f ms%n", n, ok, (System.nanoTime() - cmdStart) / 1e9, pct(rtt, 50), pct(rtt, 99));
            if (!orderProblems.isEmpty() || ok < n) {
                System.exit(1);
            }
        } finally {
            for (FleetGateway g : gateways) {
                g.close();
            }
            cloud.close();
            if (broker != null) {
                broker.destroy();
                broker.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The county platform: one Paho client, persistent session, de-duplication by eventId, order check per gateway. */
    static final class Consumer implements AutoCloseable {
        final MqttAsyncClient client;
        final AtomicLong received = new AtomicLong();
        final Set<String> unique = ConcurrentHashMap.newKeySet();
        final Set<String> births = ConcurrentHashMap.newKeySet();
        final List<Long> latencies = new CopyOnWriteArrayList<>();
        final Map<String, List<Long>> seqs = new ConcurrentHashMap<>();
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        final Map<String, Integer> replyStatus = new ConcurrentHashMap<>();
        final Set<String> replies = ConcurrentHashMap.newKeySet();
        final List<Long> replyRtts = new CopyOnWriteArrayList<>();

        Consumer(String url) throws Exception {
            client = new MqttAsyncClient(url, "county-platform", new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    System.err.println("consumer lost its connection: " + cause);
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) throws Exception {
                    long now = System.nanoTime();
                    String[] parts = topic.split("/");   // lockergate/v1/{gw}/...
                    String gw = parts[2];
                    JsonNode json = JSON.readTree(message.getPayload());
                    switch (parts[3]) {
                        case "status" -> {
                            if (json.path("online").asBoolean()) {
                                births.add(gw);
                            }
                        }
                        case "events" -> {
                            received.incrementAndGet();
                            if (unique.add(json.get("eventId").asText())) {
                                latencies.add(now - json.get("data").get("t0").asLong());
                                seqs.computeIfAbsent(gw, k -> new CopyOnWriteArrayList<>()).add(json.get("seq").asLong());
                            }
                        }
                        case "reply" -> {
                            String id = json.get("requestId").asText();
                            Long t0 = sentAt.get(id);
                            if (replies.add(id) && t0 != null) {
                                replyRtts.add(now - t0);
                                replyStatus.put(id, json.get("status").asInt());
                            }
                        }
                        default -> {
                        }
                    }
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(false);
            o.setAutomaticReconnect(true);
            o.setMaxInflight(1000);
            client.connect(o).waitForCompletion(10_000);
            client.subscribe(new String[] {"lockergate/v1/+/events/#", "lockergate/v1/+/status",
                "lockergate/v1/+/reply/#"}, new int[] {1, 1, 1}).waitForCompletion(10_000);
        }

        List<String> orderProblems() {
            List<String> out = new ArrayList<>();
            seqs.forEach((gw, list) -> {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) != i + 1) {
                        out.add(gw + " at #" + (i + 1) + " got seq " + list.get(i));
                        return;
                    }
                }
            });
            return out;
        }

        void command(String gatewayId, byte[] secret, String name, String requestId) throws Exception {
            Instant now = Instant.now();
            byte[] payload = JSON.writeValueAsBytes(Map.of("requestId", requestId, "command", name, "gatewayId",
                    gatewayId, "issuedAt", now.toString(), "expiresAt", now.plusSeconds(60).toString(), "args",
                    Map.of()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            Base64.Encoder b64 = Base64.getEncoder();
            byte[] envelope = JSON.writeValueAsBytes(Map.of("alg", "HS256", "kid", "gateway", "payload",
                    b64.encodeToString(payload), "sig", b64.encodeToString(mac.doFinal(payload))));
            sentAt.put(requestId, System.nanoTime());
            client.publish("lockergate/v1/" + gatewayId + "/cmd/" + name, envelope, 1, false);
        }

        @Override
        public void close() throws Exception {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }

    static double pct(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static void await(int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A private Mosquitto on 127.0.0.1:port (never the shared one on 1883). */
    private static Process mosquitto(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        Path conf = dir.resolve("mosquitto.conf");
        Files.write(conf, Arrays.asList("listener " + port + " 127.0.0.1", "allow_anonymous true",
                "user " + System.getProperty("user.name"), "persistence false", "max_queued_messages 0",
                "max_connections -1", "log_dest file " + dir.resolve("mosquitto.log")), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return p;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("mosquitto did not start on " + port);
    }
}
