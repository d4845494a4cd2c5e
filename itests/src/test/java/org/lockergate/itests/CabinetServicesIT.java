package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.Test;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.Consent;
import org.lockergate.devices.coap.Declared;
import org.lockergate.devices.coap.DepositResult;
import org.lockergate.devices.coap.NotificationLogTailer;
import org.lockergate.devices.coap.PickupNotice;
import org.lockergate.devices.coap.PickupResult;
import org.lockergate.devices.coap.ScreenItem;
import org.lockergate.devices.coap.SessionResult;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.Size;
import org.lockergate.upstream.mqtt.internal.Mosquitto;

/**
 * Screen content and cabinet firmware end to end (issue 11): the distribution as a process, a private Mosquitto, the
 * cloud's signed commands, and three simulated CoAP cabinets with screens.
 *
 * <p>Screen: a playlist (a public notice and a 20 KB advertisement, so the media goes in Block2 blocks) is pushed,
 * cached and hash-checked, observed by the cabinets and by a plain Californium client, played only while the
 * cabinet is idle — a deposit and a pickup run in between and are not held up — and the plays come back as a
 * {@code screen.impressions} event. A playlist with a wrong hash and one naming an unknown group are refused.
 *
 * <p>Firmware: a signed image is staged (a forged one refused), rolled out to the three cabinets of the model: the
 * canary waits while its door is open for a deposit, then updates, reboots and registers with the new version; the
 * second fails its own verification, stays on the old version and raises {@code firmware_failed}; the wave stops, so
 * the third is skipped.
 */
public class CabinetServicesIT {

    private static final String GW = "gw-cabinet-services";

    @Test
    public void playlists_are_served_and_counted_while_pickups_run_and_a_firmware_wave_stops_at_a_failing_cabinet()
            throws Exception {
        KeyPair cloudKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair vendorKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair forger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path work = Files.createTempDirectory("lockergate-cabinet-services-it");
        int port = Mosquitto.freePort();
        Mosquitto broker = Mosquitto.start(work.resolve("broker"), port, List.of());
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
                        + "\"]", "pollMillis=L\"200\"", "reconnectMinMillis=L\"100\"", "reconnectMaxSeconds=I\"1\"", ""));
        Files.writeString(home.resolve("conf/config/org.lockergate.screen.config"),
                "reportSeconds=I\"3\"\ntickSeconds=I\"1\"\n");
        Files.writeString(home.resolve("conf/config/org.lockergate.firmware.config"), String.join("\n",
                "busyRetrySeconds=I\"1\"", "transferTimeoutSeconds=I\"20\"", "rebootTimeoutSeconds=I\"30\"",
                "pollMillis=I\"200\"", ""));
        Path data = home.resolveSibling("data");
        Files.writeString(Files.createDirectories(data.resolve("secrets/trust")).resolve("acme.pub"),
                "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                        vendorKey.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Path schemas = Path.of(System.getProperty("lockergate.schemas", "../docs/protocols/mqtt-schemas"));

        byte[] notice = "元旦停电通知 / power cut on 1 January".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] advert = new byte[20_000];
        new Random(11).nextBytes(advert);
        byte[] firmware = new byte[40_000];
        new Random(12).nextBytes(firmware);

        Gateway gateway = null;
        List<SimulatedCabinet> cabinets = new ArrayList<>();
        SimulatedKiosk kiosk = null;
        try (CloudSide cloud = new CloudSide(broker.url(), "county-platform", GW, schemas);
                TinyHttp noticeHttp = new TinyHttp(notice, false); TinyHttp advertHttp = new TinyHttp(advert, false);
                TinyHttp firmwareHttp = new TinyHttp(firmware, false)) {
            gateway = Gateway.start(home, data, Map.of("LOCKERGATE_MQTT_URL", broker.url(),
                    "LOCKERGATE_GATEWAY_ID", GW)).awaitReady();
            int coap = gateway.coapPort();
            SimulatedCabinet c1 = cabinet(coap, "it-c1", "g1", CompartmentSpec.stock(24));
            SimulatedCabinet c2 = cabinet(coap, "it-c2", "g2", CompartmentSpec.stock(8));
            SimulatedCabinet c3 = cabinet(coap, "it-c3", "g2", List.of(new CompartmentSpec("31", Size.M, 1, 1)));
            cabinets.addAll(List.of(c1, c2, c3));
            for (SimulatedCabinet c : cabinets) {
                assertThat(c.awaitRegistered(Duration.ofSeconds(20))).as(c.cabinetId() + " registered").isTrue();
            }
            kiosk = SimulatedKiosk.builder().kioskId("kiosk-g1").groupId("g1").gateway("coap://127.0.0.1:" + coap)
                    .build();
            kiosk.start();
            CloudSide.await(20_000, "birth", () -> cloud.on("status").stream()
                    .anyMatch(m -> m.json().get("online").asBoolean()));
            Instant now = Instant.now();

            // ---------------------------------------------------------------- screen: bad playlists refused
            cloud.command(cloudKey, "cloud-1", GW, "screen.playlist.set", "p-badhash", now, now.plusSeconds(300),
                    Map.of("playlist", Map.of("playlistId", "bad", "groups", List.of("g1"), "items", List.of(
                            item("x", advertHttp, sha256(notice))))));
            cloud.command(cloudKey, "cloud-1", GW, "screen.playlist.set", "p-unknown", now, now.plusSeconds(300),
                    Map.of("playlist", Map.of("playlistId", "far", "groups", List.of("g1", "g9"), "items", List.of(
                            item("n", noticeHttp, sha256(notice))))));
            CloudSide.await(30_000, "refusals", () -> !cloud.replies("p-badhash").isEmpty()
                    && !cloud.replies("p-unknown").isEmpty());
            JsonNode badHash = cloud.replies("p-badhash").get(0);
            assertThat(badHash.get("status").asInt()).as(badHash.toString()).isEqualTo(400);
            assertThat(badHash.get("body").get("error").asText()).isEqualTo("hash_mismatch");
            assertThat(badHash.get("body").get("actual").asText()).isEqualTo(sha256(advert));
            JsonNode unknown = cloud.replies("p-unknown").get(0);
            assertThat(unknown.get("status").asInt()).as(unknown.toString()).isEqualTo(400);
            assertThat(unknown.get("body").get("error").asText()).isEqualTo("unknown_groups");
            assertThat(unknown.get("body").get("groups").toString()).isEqualTo("[\"g9\"]");

            // ---------------------------------------------------------------- screen: a playlist delivered
            cloud.command(cloudKey, "cloud-1", GW, "screen.playlist.set", "p-ads", now, now.plusSeconds(300),
                    Map.of("playlist", Map.of("playlistId", "ads-12", "priority", 10, "groups", List.of("g1", "g2"),
                            "items", List.of(item("ad1", advertHttp, sha256(advert))))));
            cloud.command(cloudKey, "cloud-1", GW, "screen.playlist.set", "p-notice", now, now.plusSeconds(300),
                    Map.of("playlist", Map.of("playlistId", "outage", "notice", true, "groups", List.of("g1"),
                            "items", List.of(item("n1", noticeHttp, sha256(notice))))));
            CloudSide.await(30_000, "playlists set", () -> !cloud.replies("p-ads").isEmpty()
                    && !cloud.replies("p-notice").isEmpty());
            assertThat(cloud.replies("p-ads").get(0).get("status").asInt()).as(cloud.replies("p-ads").toString())
                    .isEqualTo(200);
            assertThat(cloud.replies("p-notice").get(0).get("status").asInt()).isEqualTo(200);
            assertThat(data.resolve("screen/media").resolve(sha256(advert))).exists();
            CloudSide.await(20_000, "c1 shows notice then ad, media fetched by Block2", () -> c1.screenPlaylist()
                    .stream().filter(ScreenItem::cached).map(ScreenItem::itemId).toList().equals(List.of("n1", "ad1")));
            CloudSide.await(20_000, "c2 shows the ad", () -> c2.screenPlaylist().stream().anyMatch(
                    i -> i.itemId().equals("ad1") && i.cached()));

            // an independent Californium client reads the same resource and the media (Block2)
            org.eclipse.californium.elements.config.Configuration config =
                    org.eclipse.californium.elements.config.Configuration.createStandardWithoutFile();
            config.set(org.eclipse.californium.core.config.CoapConfig.MAX_RESOURCE_BODY_SIZE, 1 << 20);
            org.eclipse.californium.core.network.CoapEndpoint endpoint =
                    new org.eclipse.californium.core.network.CoapEndpoint.Builder().setConfiguration(config).build();
            CoapClient client = new CoapClient("coap://127.0.0.1:" + coap + "/screen/g1");
            client.setEndpoint(endpoint);
            CoapResponse playlist = client.get();
            assertThat(playlist.getCode()).isEqualTo(ResponseCode.CONTENT);
            assertThat(playlist.getResponseText()).contains("\"itemId\":\"n1\"", "\"idleOnly\":true");
            client.setURI("coap://127.0.0.1:" + coap + "/screen/media/" + sha256(advert));
            CoapResponse media = client.get();
            assertThat(media.getPayload()).isEqualTo(advert);
            client.shutdown();
            endpoint.destroy();

            // ---------------------------------------------------------------- pickups run, the screen waits
            SessionResult session = kiosk.signIn("JT-0001", "123456");
            assertThat(session.ok()).as(session.toString()).isTrue();
            try (NotificationLogTailer codes = new NotificationLogTailer(data.resolve("logs/notifications.log"))
                    .start()) {
                DepositResult deposit = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S, "13800001234",
                        new Consent("app", "C-1", OffsetDateTime.now(), true), Declared.NONE);
                assertThat(deposit.ok()).as(deposit.toString()).isTrue();
                assertThat(deposit.cabinetId()).isEqualTo("it-c1");
                assertThat(c1.playScreenIfIdle()).as("door open for the deposit: no content").isZero();
                c1.putItem(deposit.compartment());
                c1.closeDoor(deposit.compartment());
                PickupNotice code = codes.await(deposit.parcelId(), Duration.ofSeconds(20)).orElseThrow();
                assertThat(c1.playScreenIfIdle()).as("idle: notice and ad shown").isEqualTo(2);
                PickupResult pickup = kiosk.pickup(code.code(), null);
                assertThat(pickup.ok()).as(pickup.toString()).isTrue();
                assertThat(c1.playScreenIfIdle()).as("door open for the pickup: no content").isZero();
                c1.takeItem(pickup.compartment());
                c1.closeDoor(pickup.compartment());
            }
            assertThat(c1.playScreenIfIdle()).isEqualTo(2);
            assertThat(c2.playScreenIfIdle()).isEqualTo(1);
            assertThat(c1.reportScreenPlays()).isTrue();
            assertThat(c2.reportScreenPlays()).isTrue();
            CloudSide.await(30_000, "screen.impressions", () -> cloud.deduplicated("events").stream()
                    .anyMatch(e -> e.get("type").asText().equals("screen.impressions")));
            JsonNode report = cloud.deduplicated("events").stream()
                    .filter(e -> e.get("type").asText().equals("screen.impressions")).findFirst().orElseThrow();
            assertThat(plays(report, "it-c1", "ad1")).isEqualTo(2);
            assertThat(plays(report, "it-c1", "n1")).isEqualTo(2);
            assertThat(plays(report, "it-c2", "ad1")).isEqualTo(1);

            // ---------------------------------------------------------------- firmware: stage
            String model = "acme M1";
            cloud.command(cloudKey, "cloud-1", GW, "firmware.stage", "f-forged", now, now.plusSeconds(300),
                    Map.of("vendor", "coap", "model", model, "version", "2.0.0", "url", firmwareHttp.uri().toString(),
                            "signature", sign(forger, firmware), "sha256", sha256(firmware)));
            cloud.command(cloudKey, "cloud-1", GW, "firmware.stage", "f-stage", now, now.plusSeconds(300),
                    Map.of("vendor", "coap", "model", model, "version", "2.0.0", "url", firmwareHttp.uri().toString(),
                            "signature", sign(vendorKey, firmware), "sha256", sha256(firmware)));
            CloudSide.await(30_000, "staged", () -> !cloud.replies("f-forged").isEmpty()
                    && !cloud.replies("f-stage").isEmpty());
            assertThat(cloud.replies("f-forged").get(0).get("status").asInt()).isEqualTo(403);
            assertThat(cloud.replies("f-forged").get(0).get("body").get("error").asText())
                    .isEqualTo("signature_invalid");
            JsonNode staged = cloud.replies("f-stage").get(0);
            assertThat(staged.get("status").asInt()).as(staged.toString()).isEqualTo(200);
            assertThat(staged.get("body").get("signer").asText()).isEqualTo("acme");

            // ---------------------------------------------------------------- firmware: the wave
            c2.failFirmwareVerification(true);
            DepositResult open = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S, "13800005678",
                    new Consent("app", "C-2", OffsetDateTime.now(), true), Declared.NONE);
            assertThat(open.ok()).as(open.toString()).isTrue(); // it-c1's door is open now, the compartment RESERVED
            cloud.command(cloudKey, "cloud-1", GW, "firmware.rollout", "f-roll", now, now.plusSeconds(300),
                    Map.of("vendor", "coap", "model", model, "version", "2.0.0"));
            CloudSide.await(20_000, "rollout started", () -> !cloud.replies("f-roll").isEmpty());
            JsonNode plan = cloud.replies("f-roll").get(0);
            assertThat(plan.get("status").asInt()).as(plan.toString()).isEqualTo(200);
            assertThat(plan.get("body").get("canary").asText()).isEqualTo("it-c1");
            CloudSide.await(20_000, "the canary waits for its door", () -> stages(cloud, "it-c1").contains("waiting"));
            assertThat(c1.firmwareUpdates()).isZero();
            c1.putItem(open.compartment());
            c1.closeDoor(open.compartment());
            CloudSide.await(60_000, "wave finished", () -> stages(cloud, "it-c1").contains("updated")
                    && stages(cloud, "it-c2").contains("failed") && stages(cloud, "it-c3").contains("skipped"));
            CloudSide.await(20_000, "c1 registered with 2.0.0", () -> c1.isRegistered()
                    && c1.firmware().equals("2.0.0"));
            assertThat(c1.firmwareUpdates()).isEqualTo(1);
            assertThat(c2.firmware()).as("the failed cabinet keeps its firmware").isEqualTo("1.0.0");
            assertThat(c2.lastFirmwareRefusal()).startsWith("hash_mismatch");
            assertThat(c3.firmware()).isEqualTo("1.0.0");
            assertThat(c3.firmwareUpdates()).isZero();
            CloudSide.await(20_000, "firmware_failed raised for it-c2", () -> cloud.deduplicated("alarms").stream()
                    .anyMatch(a -> a.get("type").asText().equals("firmware_failed")
                            && a.toString().contains("it-c2")));
            assertThat(cloud.deduplicated("alarms").stream().filter(a -> a.get("type").asText()
                    .equals("firmware_failed")).noneMatch(a -> a.toString().contains("it-c1"))).isTrue();
            cloud.command(cloudKey, "cloud-1", GW, "firmware.rollout", "f-again", now, now.plusSeconds(300),
                    Map.of("vendor", "coap", "model", "other M9", "version", "2.0.0"));
            CloudSide.await(20_000, "refused for another model", () -> !cloud.replies("f-again").isEmpty());
            assertThat(cloud.replies("f-again").get(0).get("body").get("error").asText()).isEqualTo("not_staged");

            // ---------------------------------------------------------------- firmware over REST (technician)
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String api = gateway.baseUrl() + "/api/v1";
            assertThat(gateway.get("/api/v1/firmware", null).statusCode()).as("no token").isEqualTo(401);
            String password = Files.readString(data.resolve("secrets/initial-admin-password")).strip();
            java.net.http.HttpResponse<String> login = gateway.postJson("/api/v1/auth/login",
                    "{\"username\":\"admin\",\"password\":\"" + password + "\"}");
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(login.body()).get("token")
                    .asText();
            byte[] next = new byte[5_000];
            new Random(13).nextBytes(next);
            java.net.URI upload = java.net.URI.create(api + "/firmware/images?vendor=coap&model=acme%20M1&version=2.0.1");
            java.net.http.HttpResponse<String> forged = http.send(java.net.http.HttpRequest.newBuilder(upload)
                    .header("Authorization", "Bearer " + token).header("X-LockerGate-Signature", sign(forger, next))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(next)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
            assertThat(forged.body()).contains("signature_invalid");
            java.net.http.HttpResponse<String> uploaded = http.send(java.net.http.HttpRequest.newBuilder(upload)
                    .header("Authorization", "Bearer " + token).header("X-LockerGate-Signature", sign(vendorKey, next))
                    .header("X-LockerGate-SHA256", sha256(next))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(next)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            assertThat(uploaded.body()).contains("\"stagedBy\":\"operator:admin\"", sha256(next));
            java.net.http.HttpResponse<String> rollout = gateway.get("/api/v1/firmware/rollouts/"
                    + plan.get("body").get("rolloutId").asText(), token);
            assertThat(rollout.statusCode()).isEqualTo(200);
            JsonNode cabinetsState = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rollout.body())
                    .get("cabinets");
            assertThat(cabinetsState.toString()).contains("\"cabinetId\":\"it-c2\"", "\"result\":\"failed\"",
                    "\"result\":\"skipped_wave_stopped\"", "\"result\":\"updated\"");

            assertThat(cloud.violations()).as("every payload matches its JSON Schema").isEmpty();
        } finally {
            if (kiosk != null) {
                kiosk.close();
            }
            for (SimulatedCabinet c : cabinets) {
                c.close();
            }
            if (gateway != null) {
                gateway.close();
            }
            broker.close();
        }
    }

    private static List<String> stages(CloudSide cloud, String cabinetId) {
        return cloud.deduplicated("events").stream().filter(e -> e.get("type").asText().equals("firmware.progress")
                && e.get("data").get("cabinetId").asText().equals(cabinetId))
                .map(e -> e.get("data").get("stage").asText()).toList();
    }

    private static long plays(JsonNode report, String cabinetId, String itemId) {
        long sum = 0;
        for (JsonNode row : report.get("data").get("impressions")) {
            if (row.get("cabinetId").asText().equals(cabinetId) && row.get("itemId").asText().equals(itemId)) {
                sum += row.get("plays").asLong();
            }
        }
        return sum;
    }

    private static Map<String, Object> item(String id, TinyHttp http, String sha256) {
        return Map.of("itemId", id, "type", "image", "url", http.uri().toString(), "sha256", sha256,
                "durationSeconds", 8);
    }

    private static SimulatedCabinet cabinet(int coapPort, String id, String group, List<CompartmentSpec> specs) {
        SimulatedCabinet cabinet = SimulatedCabinet.builder().cabinetId(id).groupId(group).vendor("acme")
                .model("M1").firmware("1.0.0").compartments(specs).screen(true)
                .gateway("coap://127.0.0.1:" + coapPort).build();
        cabinet.start();
        return cabinet;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String sign(KeyPair key, byte[] content) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key.getPrivate());
        signer.update(MessageDigest.getInstance("SHA-256").digest(content));
        return Base64.getEncoder().encodeToString(signer.sign());
    }
}
