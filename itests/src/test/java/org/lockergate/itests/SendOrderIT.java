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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.net.InetSocketAddress;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.Test;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.Consent;
import org.lockergate.devices.coap.Declared;
import org.lockergate.devices.coap.DepositResult;
import org.lockergate.devices.coap.PickupResult;
import org.lockergate.devices.coap.SessionResult;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.Size;
import org.lockergate.upstream.mqtt.internal.Mosquitto;

/**
 * Sending from the locker (R20, docs/sending.md) end to end: the distribution as a process, a private Mosquitto, a
 * simulated CoAP cabinet and kiosk, the cloud signing commands. A {@code send.order} reserves a compartment (reply
 * 200), the resident drops the parcel with the send code the cloud got in {@code notification.requested} (CoAP, a
 * plain Californium client as the kiosk), the ZTO courier sees it on his collection list and collects it; the
 * events {@code send.ordered}, {@code send.dropped}, {@code send.collected} arrive on MQTT in seq order. A repeated
 * order id is refused. Then the cabinet's camera goes offline: a new send order is refused (403
 * {@code camera_offline}) while a pickup goes on; with the camera back, sending works again.
 */
public class SendOrderIT {

    private static final String GW = "gw-send-it";

    private final KeyPair cloudKey;

    public SendOrderIT() throws Exception {
        cloudKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @Test
    public void a_send_order_goes_from_cloud_command_to_courier_collection_and_a_camera_outage_blocks_only_sending()
            throws Exception {
        Path work = Files.createTempDirectory("lockergate-send-it");
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
                        + "\"]",
                "pollMillis=L\"200\"", ""));
        Path data = home.resolveSibling("data");
        Path schemas = Path.of(System.getProperty("lockergate.schemas", "../docs/protocols/mqtt-schemas"));
        Gateway gateway = null;
        SimulatedCabinet cabinet = null;
        SimulatedKiosk kiosk = null;
        try (CloudSide cloud = new CloudSide(broker.url(), "county-platform", GW, schemas)) {
            gateway = Gateway.start(home, data, Map.of("LOCKERGATE_MQTT_URL", broker.url(),
                    "LOCKERGATE_GATEWAY_ID", GW)).awaitReady();
            cabinet = SimulatedCabinet.builder().cabinetId("g1-c1").groupId("g1").vendor("send-it").model("SIM-48")
                    .firmware("1.0.0").boot(1).compartments(CompartmentSpec.stock(48))
                    .gateway("coap://127.0.0.1:" + gateway.coapPort()).build();
            cabinet.start();
            kiosk = SimulatedKiosk.builder().kioskId("send-kiosk").groupId("g1")
                    .gateway("coap://127.0.0.1:" + gateway.coapPort()).build();
            kiosk.start();
            assertThat(cabinet.awaitRegistered(Duration.ofSeconds(20))).as("cabinet registered").isTrue();
            CloudSide.await(20_000, "birth", () -> cloud.on("status").stream()
                    .anyMatch(m -> m.json().get("online").asBoolean()));
            String coap = "coap://127.0.0.1:" + gateway.coapPort();

            // 1. the cloud's signed order reserves a compartment
            Instant now = Instant.now();
            cloud.command(cloudKey, "cloud-1", GW, "send.order", "r-order", now, now.plusSeconds(300),
                    order("SO-IT-1", "M"));
            JsonNode ordered = reply(cloud, "r-order");
            assertThat(ordered.get("status").asInt()).as(ordered.toString()).isEqualTo(200);
            assertThat(ordered.get("body").get("state").asText()).isEqualTo("ORDERED");
            assertThat(ordered.toString()).doesNotContain("\"code\"");
            String compartment = ordered.get("body").get("compartment").asText();

            // a repeated command is refused by the envelope, a repeated order id in a new command by the core
            cloud.command(cloudKey, "cloud-1", GW, "send.order", "r-order", now, now.plusSeconds(300),
                    order("SO-IT-1", "M"));
            cloud.command(cloudKey, "cloud-1", GW, "send.order", "r-order-again", now, now.plusSeconds(300),
                    order("SO-IT-1", "S"));
            CloudSide.await(20_000, "refusals", () -> cloud.replies("r-order").size() == 2
                    && !cloud.replies("r-order-again").isEmpty());
            assertThat(cloud.replies("r-order").get(1).get("body").get("error").asText()).isEqualTo("replayed");
            JsonNode again = cloud.replies("r-order-again").get(0);
            assertThat(again.get("status").asInt()).as(again.toString()).isEqualTo(409);
            assertThat(again.get("body").get("error").asText()).isEqualTo("duplicate_order");

            // 2. the resident drops the parcel with the send code the cloud texted (from notification.requested)
            String code = sendCode(cloud, "SO-IT-1");
            CoapResponse drop = post(coap + "/groups/g1/sends/drops", "{\"code\":\"" + code + "\"}");
            assertThat(drop.getCode()).as(drop.getResponseText()).isEqualTo(ResponseCode.CHANGED);
            JsonNode dropped = CloudSide.JSON.readTree(drop.getResponseText());
            assertThat(dropped.get("compartment").asText()).isEqualTo(compartment);
            assertThat(cabinet.compartment(compartment).doorClosed()).isFalse();
            cabinet.putItem(compartment);
            cabinet.closeDoor(compartment);
            awaitEvent(cloud, "send.dropped", "SO-IT-1");

            // 3. the ZTO courier sees it on his collection list (JT does not) and collects it
            SessionResult zto = kiosk.signIn("ZTO-0001", "123456");
            assertThat(zto.ok()).as(zto.toString()).isTrue();
            SessionResult jt = kiosk.signIn("JT-0001", "123456");
            assertThat(jt.ok()).as(jt.toString()).isTrue();
            JsonNode ztoList = CloudSide.JSON.readTree(get(coap + "/groups/g1/sends?session=" + zto.session())
                    .getResponseText());
            assertThat(ztoList.get("orders").findValuesAsText("orderId")).containsExactly("SO-IT-1");
            JsonNode jtList = CloudSide.JSON.readTree(get(coap + "/groups/g1/sends?session=" + jt.session())
                    .getResponseText());
            assertThat(jtList.get("orders")).isEmpty();
            CoapResponse foreign = post(coap + "/groups/g1/sends/collections", "{\"session\":\"" + jt.session()
                    + "\",\"orderId\":\"SO-IT-1\"}");
            assertThat(foreign.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            CoapResponse collect = post(coap + "/groups/g1/sends/collections", "{\"session\":\"" + zto.session()
                    + "\",\"orderId\":\"SO-IT-1\"}");
            assertThat(collect.getCode()).as(collect.getResponseText()).isEqualTo(ResponseCode.CHANGED);
            cabinet.takeItem(compartment);
            cabinet.closeDoor(compartment);
            awaitEvent(cloud, "send.collected", "SO-IT-1");

            List<JsonNode> events = cloud.deduplicated("events");
            long orderedSeq = seqOf(events, "send.ordered", "SO-IT-1");
            long droppedSeq = seqOf(events, "send.dropped", "SO-IT-1");
            long collectedSeq = seqOf(events, "send.collected", "SO-IT-1");
            assertThat(orderedSeq).isLessThan(droppedSeq);
            assertThat(droppedSeq).isLessThan(collectedSeq);
            JsonNode collected = events.stream().filter(e -> e.get("seq").asLong() == collectedSeq).findFirst()
                    .orElseThrow();
            assertThat(collected.get("data").get("courierId").asText()).isEqualTo("ZTO-0001");
            assertThat(collected.get("compartment").asText()).isEqualTo(compartment);

            // 4. the camera goes offline: sending is refused, a pickup goes on
            DepositResult deposit = kiosk.deposit(jt, "JT" + System.nanoTime(), Size.S, "13800009876",
                    new Consent("app", "C-1", OffsetDateTime.now(), true), Declared.NONE);
            assertThat(deposit.ok()).as(deposit.toString()).isTrue();
            cabinet.putItem(deposit.compartment());
            cabinet.closeDoor(deposit.compartment());
            String pickupCode = pickupCode(cloud, deposit.parcelId());
            cabinet.setCamera(false);
            CloudSide.await(20_000, "camera_offline raised", () -> cloud.deduplicated("alarms").stream()
                    .anyMatch(a -> a.get("type").asText().equals("camera_offline")
                            && a.get("state").asText().equals("raised")));
            cloud.command(cloudKey, "cloud-1", GW, "send.order", "r-blind", Instant.now(),
                    Instant.now().plusSeconds(300), order("SO-IT-2", "S"));
            JsonNode blind = reply(cloud, "r-blind");
            assertThat(blind.get("status").asInt()).as(blind.toString()).isEqualTo(403);
            assertThat(blind.get("body").get("error").asText()).isEqualTo("camera_offline");
            assertThat(blind.get("body").get("message").asText()).contains("摄像头离线").contains("camera");
            PickupResult pickup = kiosk.pickup(pickupCode, null);
            assertThat(pickup.unlock()).as(pickup.toString()).isEqualTo("opened");

            // 5. the camera is back: sending works again
            cabinet.setCamera(true);
            CloudSide.await(20_000, "camera_offline cleared", () -> cloud.deduplicated("alarms").stream()
                    .anyMatch(a -> a.get("type").asText().equals("camera_offline")
                            && a.get("state").asText().equals("cleared")));
            cloud.command(cloudKey, "cloud-1", GW, "send.order", "r-seeing", Instant.now(),
                    Instant.now().plusSeconds(300), order("SO-IT-2", "S"));
            JsonNode seeing = reply(cloud, "r-seeing");
            assertThat(seeing.get("status").asInt()).as(seeing.toString()).isEqualTo(200);

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

    private static Map<String, Object> order(String orderId, String size) {
        return Map.of("orderId", orderId, "groupId", "g1", "size", size, "companyCode", "ZTO", "expiresAt",
                OffsetDateTime.now().plusMinutes(30).toString());
    }

    private static JsonNode reply(CloudSide cloud, String requestId) throws InterruptedException {
        CloudSide.await(20_000, "reply " + requestId, () -> !cloud.replies(requestId).isEmpty());
        return cloud.replies(requestId).get(0);
    }

    private static String sendCode(CloudSide cloud, String orderId) throws InterruptedException {
        CloudSide.await(20_000, "send code for " + orderId, () -> notification(cloud, "orderId", orderId).isPresent());
        return notification(cloud, "orderId", orderId).orElseThrow().get("data").get("code").asText();
    }

    private static String pickupCode(CloudSide cloud, String parcelId) throws InterruptedException {
        CloudSide.await(20_000, "pickup code for " + parcelId, () -> notification(cloud, "parcelId", parcelId)
                .isPresent());
        return notification(cloud, "parcelId", parcelId).orElseThrow().get("data").get("code").asText();
    }

    private static Optional<JsonNode> notification(CloudSide cloud, String key, String id) {
        return cloud.deduplicated("events").stream()
                .filter(e -> e.get("type").asText().equals("notification.requested")
                        && id.equals(e.get("data").path(key).asText()))
                .findFirst();
    }

    private static void awaitEvent(CloudSide cloud, String type, String orderId) throws InterruptedException {
        CloudSide.await(20_000, type + " " + orderId, () -> cloud.deduplicated("events").stream()
                .anyMatch(e -> e.get("type").asText().equals(type)
                        && orderId.equals(e.get("data").path("orderId").asText())));
    }

    private static long seqOf(List<JsonNode> events, String type, String orderId) {
        return events.stream().filter(e -> e.get("type").asText().equals(type)
                && orderId.equals(e.get("data").path("orderId").asText())).findFirst().orElseThrow()
                .get("seq").asLong();
    }

    private static CoapResponse post(String uri, String json) throws Exception {
        return call(uri, client -> client.post(json, MediaTypeRegistry.APPLICATION_JSON));
    }

    private static CoapResponse get(String uri) throws Exception {
        return call(uri, CoapClient::get);
    }

    private interface Exchange {
        CoapResponse run(CoapClient client) throws Exception;
    }

    /** One exchange from a fresh endpoint whose configuration never touches a properties file (STACK.md). */
    private static CoapResponse call(String uri, Exchange exchange) throws Exception {
        CoapConfig.register();
        UdpConfig.register();
        Configuration config = Configuration.createStandardWithoutFile();
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
        CoapClient client = new CoapClient(uri);
        try {
            client.setEndpoint(endpoint);
            client.setTimeout(10_000L);
            CoapResponse response = exchange.run(client);
            assertThat(response).as("answer from " + uri).isNotNull();
            return response;
        } finally {
            client.shutdown();
            endpoint.destroy();
        }
    }
}
