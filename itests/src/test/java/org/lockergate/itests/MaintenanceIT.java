package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.Test;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.CompartmentState;
import org.lockergate.devices.coap.Consent;
import org.lockergate.devices.coap.Declared;
import org.lockergate.devices.coap.DepositResult;
import org.lockergate.devices.coap.SessionResult;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.Size;
import org.lockergate.upstream.mqtt.internal.Mosquitto;

/**
 * Maintenance and metrics on the packaged gateway process: a jammed door opens a ticket, a technician takes it and
 * closes it over REST (putting the compartment back into service), and the ticket events reach the cloud over MQTT;
 * the configured inspection round is due; {@code /metrics} counts the deposit from loopback and refuses an anonymous
 * scrape from another address.
 */
public class MaintenanceIT {

    private static final String GW = "gw-maint";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    public void a_jammed_door_opens_a_ticket_that_is_taken_and_closed_and_its_events_reach_the_cloud()
            throws Exception {
        Path work = Files.createTempDirectory("lockergate-maintenance-it");
        int port = Mosquitto.freePort();
        Mosquitto broker = Mosquitto.start(work.resolve("broker"), port, List.of());
        Path home = Gateway.prepare();
        try (Stream<Path> demo = Files.list(home.resolve("conf/demo"))) {
            for (Path file : demo.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("org.lockergate.core.") || name.startsWith("org.lockergate.identity.user-demo-")) {
                    Files.copy(file, home.resolve("conf/config").resolve(name));
                }
            }
        }
        Files.writeString(home.resolve("conf/config/org.lockergate.upstream.mqtt.config"),
                "pollMillis=L\"200\"\nreconnectMinMillis=L\"100\"\nreconnectMaxSeconds=I\"1\"\n");
        Path schemas = Path.of(System.getProperty("lockergate.schemas", "../docs/protocols/mqtt-schemas"));
        Gateway gateway = null;
        SimulatedCabinet cabinet = null;
        SimulatedKiosk kiosk = null;
        try (CloudSide cloud = new CloudSide(broker.url(), "county-platform", GW, schemas)) {
            gateway = Gateway.start(home, home.resolveSibling("data"), Map.of("LOCKERGATE_MQTT_URL", broker.url(),
                    "LOCKERGATE_GATEWAY_ID", GW)).awaitReady();
            cabinet = SimulatedCabinet.builder().cabinetId("g1-c9").groupId("g1").vendor("maint-it").model("SIM-12")
                    .firmware("1.0.0").boot(1).compartments(CompartmentSpec.stock(12))
                    .gateway("coap://127.0.0.1:" + gateway.coapPort()).build();
            cabinet.start();
            kiosk = SimulatedKiosk.builder().kioskId("maint-kiosk").groupId("g1")
                    .gateway("coap://127.0.0.1:" + gateway.coapPort()).build();
            kiosk.start();
            assertThat(cabinet.awaitRegistered(Duration.ofSeconds(20))).as("cabinet registered").isTrue();
            String tech = login(gateway, "demo-tech", "demo-tech-2026");

            // every small door of the cabinet is jammed: the deposit skips them (door_jammed alarms) and goes on
            for (CompartmentState c : cabinet.compartments()) {
                if (c.size() == Size.S) {
                    cabinet.jam(c.label());
                }
            }
            SessionResult session = kiosk.signIn("JT-0001", "123456");
            assertThat(session.ok()).as(session.toString()).isTrue();
            DepositResult deposit = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S, "13800001111",
                    new Consent("app", "C-1", OffsetDateTime.now(), true), Declared.NONE);
            assertThat(deposit.ok()).as(deposit.toString()).isTrue();
            assertThat(deposit.skipped()).as("jammed doors skipped").isNotEmpty();
            cabinet.putItem(deposit.compartment());
            cabinet.closeDoor(deposit.compartment());
            String jammed = deposit.skipped().get(0).compartment();

            // the jam opened a ticket for that compartment
            JsonNode ticket = awaitTicket(gateway, tech, jammed);
            long id = ticket.get("ticketId").asLong();
            assertThat(ticket.get("fault").asText()).isEqualTo("door_jammed");
            assertThat(ticket.get("state").asText()).isEqualTo("OPEN");
            assertThat(ticket.get("cabinetId").asText()).isEqualTo("g1-c9");
            assertThat(ticket.get("openedBy").asText()).isEqualTo("system");
            assertThat(ticket.get("vendor").asText()).isEqualTo("coap");

            // a technician takes it, notes and closes it, putting the compartment back into service
            HttpResponse<String> take = post(gateway, tech, "/api/v1/maintenance/tickets/" + id + "/take", "{}");
            assertThat(take.statusCode()).as(take.body()).isEqualTo(200);
            cabinet.unjam(jammed);
            HttpResponse<String> note = post(gateway, tech, "/api/v1/maintenance/tickets/" + id + "/note",
                    "{\"text\":\"锁舌卡住，已更换 / latch replaced\"}");
            assertThat(note.statusCode()).as(note.body()).isEqualTo(200);
            HttpResponse<String> close = post(gateway, tech, "/api/v1/maintenance/tickets/" + id + "/close",
                    "{\"resolution\":\"latch replaced\",\"enableCompartment\":true}");
            assertThat(close.statusCode()).as(close.body()).isEqualTo(200);
            JsonNode closed = CloudSide.JSON.readTree(close.body());
            assertThat(closed.get("state").asText()).isEqualTo("CLOSED");
            assertThat(closed.get("closedBy").asText()).isEqualTo("operator:demo-tech");
            HttpResponse<String> again = post(gateway, tech, "/api/v1/maintenance/tickets/" + id + "/close",
                    "{\"resolution\":\"twice\"}");
            assertThat(again.statusCode()).isEqualTo(409);

            // the ticket's events reach the cloud on the events stream
            CloudSide.await(30_000, "ticket.opened, ticket.taken and ticket.closed on MQTT", () -> Stream.of(
                    "ticket.opened", "ticket.taken", "ticket.closed").allMatch(type -> event(cloud, type, id)
                            .isPresent()));
            assertThat(event(cloud, "ticket.opened", id).orElseThrow().get("data").get("compartment").asText())
                    .isEqualTo(jammed);
            assertThat(event(cloud, "ticket.closed", id).orElseThrow().get("data").get("closedBy").asText())
                    .isEqualTo("operator:demo-tech");
            assertThat(cloud.deduplicated("events").stream().anyMatch(e -> e.get("type").asText().equals(
                    "compartment.enabled") && e.get("data").get("compartment").asText().equals(jammed))).isTrue();

            // the demo's inspection schedules (ConfigAdmin factory configurations) have pending rounds
            HttpResponse<String> rounds = gateway.get("/api/v1/maintenance/inspections?groupId=g1", tech);
            assertThat(rounds.statusCode()).isEqualTo(200);
            assertThat(CloudSide.JSON.readTree(rounds.body()).findValuesAsText("scheduleId"))
                    .contains("g1-weekly-inspection", "g1-daily-cleaning");

            // metrics from loopback: the deposit is counted, tickets and compartments are there
            HttpResponse<String> metrics = gateway.get("/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).containsPattern("lockergate_deposits_total\\{group=\"g1\"} [1-9]")
                    .contains("lockergate_cabinet_online{cabinet=\"g1-c9\",group=\"g1\",vendor=\"coap\"} 1.0")
                    .containsPattern("lockergate_tickets_open\\{fault=\"door_jammed\"} [1-9]")
                    // take, note and close answered 200, the second close 409
                    .contains("lockergate_http_request_duration_seconds_count{method=\"POST\",resource="
                            + "\"/maintenance/tickets/*\",status=\"200\"} 3\n")
                    .contains("lockergate_http_request_duration_seconds_count{method=\"POST\",resource="
                            + "\"/maintenance/tickets/*\",status=\"409\"} 1\n")
                    .contains("jvm_memory_used_bytes");

            // from another address of this host (HTTP listens on every interface) without a token: 401
            Optional<InetAddress> lan = nonLoopbackAddress();
            if (lan.isPresent()) {
                String url = gateway.baseUrl().replace("127.0.0.1", lan.get().getHostAddress()) + "/metrics";
                HttpResponse<String> remote = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(remote.statusCode()).isEqualTo(401);
                HttpResponse<String> withToken = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + tech).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(withToken.statusCode()).isEqualTo(200);
            } else {
                System.out.println("MaintenanceIT: no non-loopback address; the 401 is covered by MetricsAccessTest");
            }
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

    private static Optional<JsonNode> event(CloudSide cloud, String type, long ticketId) {
        return cloud.deduplicated("events").stream().filter(e -> e.get("type").asText().equals(type)
                && e.get("data").get("ticketId").asLong() == ticketId).findFirst();
    }

    private JsonNode awaitTicket(Gateway gateway, String token, String compartment) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> list = gateway.get("/api/v1/maintenance/tickets?state=OPEN", token);
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            for (JsonNode t : CloudSide.JSON.readTree(list.body())) {
                if (compartment.equals(t.path("compartment").asText())) {
                    return t;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no ticket for compartment " + compartment);
    }

    private String login(Gateway gateway, String user, String password) throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/auth/login",
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CloudSide.JSON.readTree(response.body()).get("token").asText();
    }

    private HttpResponse<String> post(Gateway gateway, String token, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
