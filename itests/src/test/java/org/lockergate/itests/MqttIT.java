package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.lockergate.upstream.mqtt.internal.Mosquitto;
import org.junit.Test;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.Consent;
import org.lockergate.devices.coap.Declared;
import org.lockergate.devices.coap.DepositResult;
import org.lockergate.devices.coap.SessionResult;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.Size;

/**
 * Cloud sync end to end: the distribution as a process against a private Mosquitto (free ports on 127.0.0.1, a
 * plain and a TLS listener with a CA made in the test), a cloud consumer with a persistent session. Deposits while
 * online, while the broker is down and restarted, and before a kill -9 with unconfirmed events (the gateway comes
 * back over TLS): every event arrives, valid against the published JSON Schemas, in seq order and exactly once after
 * de-duplication by eventId. Then signed commands: bad signature, expired and replayed ones are refused; an app
 * pickup, a resend code, a config.set and a courier roster (couriers.sync) are served.
 */
public class MqttIT {

    private static final String GW = "gw-it";

    private final KeyPair cloudKey;
    private final KeyPair stranger;

    public MqttIT() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
        cloudKey = gen.generateKeyPair();
        stranger = gen.generateKeyPair();
    }

    @Test
    public void events_arrive_in_order_exactly_once_through_outage_crash_and_tls_and_commands_are_verified()
            throws Exception {
        Path work = Files.createTempDirectory("lockergate-mqtt-it");
        TestCa ca = TestCa.create(work.resolve("ca"), "LockerGate MqttIT CA");
        int port = Mosquitto.freePort();
        int tlsPort = Mosquitto.freePort();
        Mosquitto broker = Mosquitto.start(work.resolve("broker"), port, List.of("listener " + tlsPort + " 127.0.0.1",
                "cafile " + ca.caCert, "certfile " + ca.serverCert, "keyfile " + ca.serverKey));
        Path home = Gateway.prepare();
        try (Stream<Path> demo = Files.list(home.resolve("conf/demo"))) {
            for (Path file : demo.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("org.lockergate.core.")) {
                    Files.copy(file, home.resolve("conf/config").resolve(name));
                }
            }
        }
        Files.writeString(home.resolve("conf/config/org.lockergate.upstream.mqtt.config"), String.join("\n",
                "cloudPublicKeys=[\"cloud-1=" + Base64.getEncoder().encodeToString(cloudKey.getPublic().getEncoded())
                        + "\"]",
                "caFile=\"" + ca.caCert + "\"",
                "pollMillis=L\"200\"",
                "reconnectMinMillis=L\"100\"",
                "reconnectMaxSeconds=I\"1\"",
                "offlineAlarmSeconds=I\"2\"",
                "telemetrySeconds=I\"2\"", ""));
        Path data = home.resolveSibling("data");
        // remote management (issue 8) over the same channel: an integrator's key in the trust store, a short check
        java.security.KeyPair integrator = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(Files.createDirectories(data.resolve("secrets/trust")).resolve("integrator.pub"),
                "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                        integrator.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Files.writeString(home.resolve("conf/config/org.lockergate.management.config"), "checkSeconds=I\"2\"\n");
        Path schemas = Path.of(System.getProperty("lockergate.schemas", "../docs/protocols/mqtt-schemas"));
        Set<String> deposited = new LinkedHashSet<>();
        Gateway gateway = null;
        SimulatedCabinet cabinet = null;
        SimulatedKiosk kiosk = null;
        try (CloudSide cloud = new CloudSide(broker.url(), "county-platform", GW, schemas)) {
            gateway = Gateway.start(home, data, Map.of("LOCKERGATE_MQTT_URL", broker.url(),
                    "LOCKERGATE_GATEWAY_ID", GW)).awaitReady();
            cabinet = cabinet(gateway.coapPort(), 1);
            kiosk = kiosk(gateway.coapPort());
            assertThat(cabinet.awaitRegistered(Duration.ofSeconds(20))).as("cabinet registered").isTrue();
            SessionResult session = kiosk.signIn("JT-0001", "123456");
            assertThat(session.ok()).as(session.toString()).isTrue();
            CloudSide.await(20_000, "birth", () -> cloud.on("status").stream()
                    .anyMatch(m -> m.json().get("online").asBoolean()));

            // 1. online
            deposit(kiosk, session, cabinet, deposited, 4);
            awaitDeposited(cloud, deposited);

            // 2. the broker goes away for a while, deposits go on, the broker comes back
            broker.stop();
            deposit(kiosk, session, cabinet, deposited, 4);
            awaitAcked(cabinet);
            Thread.sleep(3_000); // an outage longer than offlineAlarmSeconds (2 s): upstream_offline is raised
            broker.start();
            awaitDeposited(cloud, deposited);
            CloudSide.await(20_000, "upstream_offline raised and cleared", () -> {
                List<String> states = cloud.deduplicated("alarms").stream()
                        .filter(a -> a.get("type").asText().equals("upstream_offline"))
                        .map(a -> a.get("state").asText()).toList();
                return states.contains("raised") && states.contains("cleared");
            });

            // 3. unconfirmed events (broker down), kill -9, restart over TLS
            broker.stop();
            deposit(kiosk, session, cabinet, deposited, 3);
            awaitAcked(cabinet);
            gateway.kill();
            kiosk.close();
            cabinet.close();
            broker.start();
            gateway = Gateway.start(home, data, Map.of("LOCKERGATE_MQTT_URL", "ssl://127.0.0.1:" + tlsPort,
                    "LOCKERGATE_GATEWAY_ID", GW)).awaitReady();
            awaitDeposited(cloud, deposited);
            assertThat(gateway.logFile() + gateway.console()).as("connected over TLS").contains("Connected to the MQTT broker ssl://127.0.0.1:"
                    + tlsPort);

            List<JsonNode> events = cloud.deduplicated("events");
            assertThat(seqs(events)).as("events in seq order, no gap, exactly once after dedup")
                    .isEqualTo(range(seqs(events).get(0), events.size()));
            assertThat(seqs(events).get(0)).isEqualTo(1L);
            List<JsonNode> alarms = cloud.deduplicated("alarms");
            assertThat(seqs(alarms)).as("alarms in their own seq order").isEqualTo(range(1, alarms.size()));
            assertThat(cloud.on("events/").size()).as("duplicates are possible, never fewer").isGreaterThanOrEqualTo(
                    events.size());
            assertThat(parcelIds(events, "parcel.deposited")).containsExactlyInAnyOrderElementsOf(deposited);
            assertThat(parcelIds(events, "notification.requested")).containsExactlyInAnyOrderElementsOf(deposited);

            // 4. commands
            cabinet = cabinet(gateway.coapPort(), 2);
            assertThat(cabinet.awaitRegistered(Duration.ofSeconds(20))).isTrue();
            List<String> parcels = new ArrayList<>(deposited);
            Instant now = Instant.now();
            cloud.command(cloudKey, "cloud-1", GW, "diagnostics", "r-ok", now, now.plusSeconds(300), Map.of());
            cloud.command(stranger, "cloud-1", GW, "diagnostics", "r-forged", now, now.plusSeconds(300), Map.of());
            cloud.command(cloudKey, "cloud-1", GW, "diagnostics", "r-old", now.minusSeconds(120), now.minusSeconds(60),
                    Map.of());
            CloudSide.await(20_000, "first reply", () -> !cloud.replies("r-ok").isEmpty());
            cloud.command(cloudKey, "cloud-1", GW, "diagnostics", "r-ok", now, now.plusSeconds(300), Map.of());
            cloud.command(cloudKey, "cloud-1", GW, "pickup.authorize", "r-app", now, now.plusSeconds(60),
                    Map.of("parcelId", parcels.get(0)));
            cloud.command(cloudKey, "cloud-1", GW, "parcel.resend-code", "r-code", now, now.plusSeconds(300),
                    Map.of("parcelId", parcels.get(1)));
            cloud.command(cloudKey, "cloud-1", GW, "config.set", "r-set", now, now.plusSeconds(300),
                    Map.of("pid", "org.lockergate.core", "properties", Map.of("paymentRequiredFirst", true)));
            cloud.command(cloudKey, "cloud-1", GW, "config.set", "r-set-keys", now, now.plusSeconds(300),
                    Map.of("pid", "org.lockergate.upstream.mqtt", "properties", Map.of("hmacKeyId", "x")));
            CloudSide.await(30_000, "all replies", () -> cloud.replies("r-ok").size() == 2
                    && Stream.of("r-forged", "r-old", "r-app", "r-code", "r-set", "r-set-keys")
                            .allMatch(id -> !cloud.replies(id).isEmpty()));
            assertThat(cloud.replies("r-ok").get(0).get("status").asInt()).isEqualTo(200);
            assertThat(cloud.replies("r-ok").get(0).get("body").get("upstream").get("connected").asBoolean()).isTrue();
            assertReply(cloud, "r-forged", 403, "bad_signature");
            assertReply(cloud, "r-old", 403, "expired");
            assertThat(cloud.replies("r-ok").get(1).get("status").asInt()).as("replayed").isEqualTo(409);
            assertThat(cloud.replies("r-ok").get(1).get("body").get("error").asText()).isEqualTo("replayed");
            JsonNode app = cloud.replies("r-app").get(0);
            assertThat(app.get("status").asInt()).as(app.toString()).isEqualTo(200);
            assertThat(app.get("body").get("unlock").asText()).isEqualTo("opened");
            assertThat(cabinet.compartment(app.get("body").get("compartment").asText()).doorClosed()).isFalse();
            JsonNode code = cloud.replies("r-code").get(0);
            assertThat(code.get("status").asInt()).as(code.toString()).isEqualTo(200);
            assertThat(code.toString()).doesNotContain("\"code\"");
            CloudSide.await(20_000, "the new code's notification", () -> cloud.deduplicated("events").stream()
                    .anyMatch(e -> e.get("type").asText().equals("notification.requested")
                            && e.get("data").path("resend").asBoolean()));
            assertThat(cloud.replies("r-set").get(0).get("status").asInt()).as(cloud.replies("r-set").toString())
                    .isEqualTo(200);
            assertReply(cloud, "r-set-keys", 403, "pid_not_allowed");
            cloud.command(cloudKey, "cloud-1", GW, "config.get", "r-get", now, now.plusSeconds(300),
                    Map.of("pid", "org.lockergate.core"));
            CloudSide.await(20_000, "config.get", () -> !cloud.replies("r-get").isEmpty());
            assertThat(cloud.replies("r-get").get(0).get("body").get("configurations").get(0).get("properties")
                    .get("paymentRequiredFirst").asBoolean()).isTrue();

            // a courier company's roster: a new courier signs in at the kiosk with the PIN whose hash the cloud sent
            cloud.command(cloudKey, "cloud-1", GW, "couriers.sync", "r-couriers", now, now.plusSeconds(300),
                    Map.of("company", "JT", "couriers", List.of(Map.of("courierId", "JT-0777", "name", "云端同步",
                            "pinHash", argon2id("654321")))));
            CloudSide.await(20_000, "couriers.sync", () -> !cloud.replies("r-couriers").isEmpty());
            JsonNode couriers = cloud.replies("r-couriers").get(0);
            assertThat(couriers.get("status").asInt()).as(couriers.toString()).isEqualTo(200);
            assertThat(couriers.get("body").get("created").get(0).asText()).isEqualTo("JT-0777");
            kiosk = kiosk(gateway.coapPort());
            SessionResult synced = null;
            for (int attempt = 0; attempt < 4 && (synced == null || !synced.ok()); attempt++) {
                Thread.sleep(1_000); // the configuration reaches the core asynchronously (DS); PINs are throttled
                synced = kiosk.signIn("JT-0777", "654321");
            }
            assertThat(synced.ok()).as("the synced courier signs in: " + synced).isTrue();

            // remote management: a signed bundle installed by a cloud command, progress as events; a tampered one refused
            byte[] jar = TestBundles.bytes("org.lockergate.itest.cloudvendor", "1.0.0", Map.of());
            byte[] tampered = TestBundles.bytes("org.lockergate.itest.cloudvendor", "1.0.1", Map.of());
            java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
            signer.initSign(integrator.getPrivate());
            signer.update(java.security.MessageDigest.getInstance("SHA-256").digest(jar));
            String signature = Base64.getEncoder().encodeToString(signer.sign());
            try (TinyHttp good = new TinyHttp(jar, false); TinyHttp bad = new TinyHttp(tampered, false)) {
                cloud.command(cloudKey, "cloud-1", GW, "bundle.install", "r-install", now, now.plusSeconds(300),
                        Map.of("url", good.uri().toString(), "signature", signature, "reason", "new vendor"));
                CloudSide.await(60_000, "bundle.install", () -> !cloud.replies("r-install").isEmpty());
                cloud.command(cloudKey, "cloud-1", GW, "bundle.install", "r-tampered", now, now.plusSeconds(300),
                        Map.of("url", bad.uri().toString(), "signature", signature));
                CloudSide.await(60_000, "tampered bundle.install", () -> !cloud.replies("r-tampered").isEmpty());
            }
            JsonNode installed = cloud.replies("r-install").get(0);
            assertThat(installed.get("status").asInt()).as(installed.toString()).isEqualTo(200);
            assertThat(installed.get("body").get("state").asText()).isEqualTo("ACTIVE");
            assertThat(installed.get("body").get("signer").asText()).isEqualTo("integrator");
            assertReply(cloud, "r-tampered", 403, "signature.invalid");
            CloudSide.await(20_000, "management.progress events up to DONE", () -> cloud.deduplicated("events")
                    .stream().filter(e -> e.get("type").asText().equals("management.progress")
                            && e.get("data").get("requestId").asText().equals("r-install"))
                    .map(e -> e.get("data").get("stage").asText()).toList()
                    .containsAll(List.of("DOWNLOADING", "VERIFYING", "INSTALLING", "CHECKING", "DONE")));

            assertThat(cloud.on("telemetry")).as("telemetry").isNotEmpty();
            assertThat(cloud.violations()).as("every payload matches its JSON Schema").isEmpty();
        } finally {
            if (kiosk != null) {
                kiosk.close();
            }
            if (cabinet != null) {
                cabinet.close();
            }
            if (gateway != null) {
                gateway.close();
            }
            broker.close();
        }
    }

    /** An Argon2id PHC hash as a courier company's system would send it (parameters the gateway's verifier reads). */
    private static String argon2id(String pin) {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        org.bouncycastle.crypto.params.Argon2Parameters p = new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(19456)
                .withIterations(2).withParallelism(1).withSalt(salt).build();
        org.bouncycastle.crypto.generators.Argon2BytesGenerator g =
                new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        g.init(p);
        byte[] hash = new byte[32];
        g.generateBytes(pin.getBytes(java.nio.charset.StandardCharsets.UTF_8), hash);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=19456,t=2,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static void assertReply(CloudSide cloud, String requestId, int status, String error) {
        JsonNode reply = cloud.replies(requestId).get(0);
        assertThat(reply.get("status").asInt()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.get("body").get("error").asText()).isEqualTo(error);
    }

    private static void deposit(SimulatedKiosk kiosk, SessionResult session, SimulatedCabinet cabinet,
            Set<String> deposited, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            DepositResult d = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S,
                    "1380000" + String.format("%04d", deposited.size()), new Consent("app", "C-1",
                            OffsetDateTime.now(), true), Declared.NONE);
            assertThat(d.ok()).as(d.toString()).isTrue();
            cabinet.putItem(d.compartment());
            cabinet.closeDoor(d.compartment());
            deposited.add(d.parcelId());
        }
    }

    /** Every door event the cabinet sent was acknowledged, i.e. stored by the gateway. */
    private static void awaitAcked(SimulatedCabinet cabinet) throws InterruptedException {
        CloudSide.await(20_000, "cabinet events acknowledged", () -> cabinet.lastAcked() >= cabinet.lastSeq());
    }

    private static void awaitDeposited(CloudSide cloud, Set<String> deposited) throws InterruptedException {
        CloudSide.await(60_000, deposited.size() + " parcel.deposited events", () -> parcelIds(
                cloud.deduplicated("events"), "parcel.deposited").containsAll(deposited));
    }

    private static List<String> parcelIds(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.get("type").asText().equals(type))
                .map(e -> e.get("data").get("parcelId").asText()).collect(Collectors.toList());
    }

    private static List<Long> seqs(List<JsonNode> events) {
        return events.stream().map(e -> e.get("seq").asLong()).collect(Collectors.toList());
    }

    private static List<Long> range(long from, int count) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(from + i);
        }
        return out;
    }

    private static SimulatedCabinet cabinet(int coapPort, int boot) {
        SimulatedCabinet cabinet = SimulatedCabinet.builder().cabinetId("g1-c1").groupId("g1").vendor("mqtt-it")
                .model("SIM-48").firmware("1.0.0").boot(boot).compartments(CompartmentSpec.stock(48))
                .gateway("coap://127.0.0.1:" + coapPort).build();
        cabinet.start();
        return cabinet;
    }

    private static SimulatedKiosk kiosk(int coapPort) {
        SimulatedKiosk kiosk = SimulatedKiosk.builder().kioskId("mqtt-kiosk").groupId("g1")
                .gateway("coap://127.0.0.1:" + coapPort).build();
        kiosk.start();
        return kiosk;
    }
}
