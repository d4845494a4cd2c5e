package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.junit.Test;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.Consent;
import org.lockergate.devices.coap.Declared;
import org.lockergate.devices.coap.DepositResult;
import org.lockergate.devices.coap.KioskReply;
import org.lockergate.devices.coap.NotificationLogTailer;
import org.lockergate.devices.coap.PickupNotice;
import org.lockergate.devices.coap.PickupResult;
import org.lockergate.devices.coap.SessionResult;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.Size;

/**
 * Hostile input against the real gateway (the distribution as a process, CoAP and HTTP on loopback):
 * <ul>
 * <li>pickup-code brute force from many keypads at once: every keypad is locked after 5 wrong codes and stays
 * locked even for the right code, nothing is opened, and the resident's own pickup still works from another keypad;
 * </li>
 * <li>codes are not enumerable: the right code of a parcel locked by wrong codes naming its phone answers exactly as
 * an unknown code;</li>
 * <li>a courier depositing without the recipient's consent is refused and no door opens;</li>
 * <li>oversized and deeply nested JSON over CoAP (4.13, 4.00) and REST (413, 400) get precise errors;</li>
 * <li>REST login brute force: unknown and known users answer alike, the account is locked (429 with Retry-After)
 * and stays locked for the right password.</li>
 * </ul>
 * Replayed, expired and forged cloud commands are in {@code MqttIT} (against a real broker) and fuzzed in
 * {@code CommandEnvelopeFuzzTest}.
 */
public class AbuseIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void brute_force_forged_and_oversized_input_is_refused_and_nothing_opens() throws Exception {
        Path home = Gateway.prepare();
        try (Stream<Path> demo = Files.list(home.resolve("conf/demo"))) {
            for (Path file : demo.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("org.lockergate.core.")
                        || name.equals("org.lockergate.identity.user-demo-admin.config")) {
                    Files.copy(file, home.resolve("conf/config").resolve(name));
                }
            }
        }
        Path data = home.resolveSibling("data");
        Gateway gateway = Gateway.start(home, data, Map.of()).awaitReady();
        int port = gateway.coapPort();
        String uri = "coap://127.0.0.1:" + port;
        SimulatedCabinet cabinet = SimulatedCabinet.builder().cabinetId("g1-c1").groupId("g1").vendor("abuse")
                .model("SIM-48").firmware("1.0.0").boot(1).compartments(CompartmentSpec.stock(48)).gateway(uri).build();
        cabinet.start();
        SimulatedKiosk courierKiosk = SimulatedKiosk.builder().kioskId("abuse-courier").groupId("g1").gateway(uri)
                .build();
        courierKiosk.start();
        NotificationLogTailer codes = new NotificationLogTailer(data.resolve("logs/notifications.log")).start();
        List<SimulatedKiosk> keypads = new ArrayList<>();
        try {
            assertThat(cabinet.awaitRegistered(Duration.ofSeconds(30))).as("cabinet registered").isTrue();
            SessionResult session = courierKiosk.signIn("JT-0001", "123456");
            assertThat(session.ok()).as(session.toString()).isTrue();

            // ---- a courier without the recipient's consent: refused, no door opens
            long opensBefore = cabinet.unlocks();
            DepositResult noConsent = courierKiosk.deposit(session, "JTNOCONSENT1", Size.S, "13800009999", null,
                    Declared.NONE);
            assertThat(noConsent.ok()).isFalse();
            assertThat(noConsent.reply().codeText()).isEqualTo("4.03");
            assertThat(noConsent.reply().error()).isEqualTo("no_consent");
            assertThat(noConsent.reply().message()).isNotBlank();
            assertThat(cabinet.unlocks()).as("no door opened without consent").isEqualTo(opensBefore);

            PickupNotice victim = deposit(courierKiosk, session, cabinet, codes, "13800001234");
            PickupNotice locked = deposit(courierKiosk, session, cabinet, codes, "13900004321");
            int digits = victim.code().length();

            // ---- brute force from 12 keypads at once, 6 guesses each
            for (int i = 0; i < 12; i++) {
                keypads.add(keypad(uri, "127.88.0." + (10 + i)));
            }
            long opensBeforeBruteForce = cabinet.unlocks();
            ExecutorService pool = Executors.newFixedThreadPool(keypads.size());
            List<Future<List<KioskReply>>> runs = new ArrayList<>();
            for (SimulatedKiosk k : keypads) {
                runs.add(pool.submit((Callable<List<KioskReply>>) () -> {
                    List<KioskReply> replies = new ArrayList<>();
                    for (int g = 0; g < 6; g++) {
                        replies.add(k.pickup(guess(digits, victim.code(), locked.code()), null).reply());
                    }
                    return replies;
                }));
            }
            for (Future<List<KioskReply>> run : runs) {
                List<KioskReply> replies = run.get();
                for (int g = 0; g < 4; g++) {
                    assertThat(replies.get(g).error()).as("guess %d: %s", g + 1, replies.get(g).body())
                            .isEqualTo("wrong_code");
                    assertThat(replies.get(g).attemptsLeft()).isEqualTo(4 - g);
                }
                for (int g = 4; g < 6; g++) {
                    assertThat(replies.get(g).codeText()).isEqualTo("4.29");
                    assertThat(replies.get(g).error()).as("guess %d", g + 1).isEqualTo("locked");
                    assertThat(replies.get(g).lockedUntil()).isNotNull();
                }
            }
            pool.shutdown();
            assertThat(cabinet.unlocks()).as("nothing opened by the brute force").isEqualTo(opensBeforeBruteForce);
            // the lock holds for the right code too
            PickupResult rightButLocked = keypads.get(0).pickup(victim.code(), null);
            assertThat(rightButLocked.reply().error()).isEqualTo("locked");
            assertThat(cabinet.unlocks()).isEqualTo(opensBeforeBruteForce);

            // ---- codes are not enumerable: a parcel locked by wrong codes naming its phone
            SimulatedKiosk attacker = keypad(uri, "127.88.1.1");
            keypads.add(attacker);
            attacker.pickup(guess(digits, victim.code(), locked.code()), "4321");
            attacker.pickup(guess(digits, victim.code(), locked.code()), "4321");
            KioskReply third = attacker.pickup(guess(digits, victim.code(), locked.code()), "4321").reply();
            assertThat(third.error()).as("the 3rd wrong code naming the parcel locks it").isEqualTo("locked");
            SimulatedKiosk probeRight = keypad(uri, "127.88.1.2");
            SimulatedKiosk probeWrong = keypad(uri, "127.88.1.3");
            keypads.add(probeRight);
            keypads.add(probeWrong);
            KioskReply right = probeRight.pickup(locked.code(), null).reply();
            KioskReply wrong = probeWrong.pickup(guess(digits, victim.code(), locked.code()), null).reply();
            assertThat(right.codeText()).as("right code of a locked parcel vs unknown code")
                    .isEqualTo(wrong.codeText());
            assertThat(right.error()).isEqualTo(wrong.error()).isEqualTo("wrong_code");
            assertThat(fieldNames(right.body())).isEqualTo(fieldNames(wrong.body()));
            assertThat(right.attemptsLeft()).isEqualTo(wrong.attemptsLeft());
            assertThat(cabinet.unlocks()).isEqualTo(opensBeforeBruteForce);

            // the resident is not locked out by strangers' guessing: their code opens from a fresh keypad
            SimulatedKiosk resident = keypad(uri, "127.88.2.1");
            keypads.add(resident);
            PickupResult pickup = resident.pickup(victim.code(), null);
            assertThat(pickup.ok()).as(pickup.toString()).isTrue();
            assertThat(pickup.parcelId()).isEqualTo(victim.parcelId());
            assertThat(cabinet.unlocks()).isEqualTo(opensBeforeBruteForce + 1);

            // ---- oversized and deeply nested JSON over CoAP
            CoapEndpoint endpoint = CoapEndpoint.builder().setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                    .build();
            CoapClient client = new CoapClient(uri + "/groups/g1/pickups").setEndpoint(endpoint).setTimeout(10_000L);
            try {
                String big = "{\"code\":\"" + "1".repeat(20_000) + "\"}";
                CoapResponse tooLarge = client.post(big.getBytes(StandardCharsets.UTF_8),
                        MediaTypeRegistry.APPLICATION_JSON);
                assertThat(tooLarge).as("an answer to an oversized request").isNotNull();
                assertThat(tooLarge.getCode().toString()).isEqualTo("4.13");
                assertThat(JSON.readTree(tooLarge.getPayload()).path("error").asText()).isEqualTo("too_large");
                String deep = "[".repeat(4_000) + "]".repeat(4_000);
                CoapResponse nested = client.post(deep.getBytes(StandardCharsets.UTF_8),
                        MediaTypeRegistry.APPLICATION_JSON);
                assertThat(nested.getCode().toString()).isEqualTo("4.00");
                JsonNode nestedBody = JSON.readTree(nested.getPayload());
                assertThat(nestedBody.path("error").asText()).isEqualTo("bad_json");
                assertThat(nestedBody.path("message").asText()).isNotBlank();
            } finally {
                client.shutdown();
                endpoint.destroy();
            }

            // ---- oversized and deeply nested JSON over REST
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> large = post(http, gateway, "/api/v1/auth/login",
                    "{\"username\":\"" + "a".repeat(100_000) + "\",\"password\":\"x\"}", "en");
            assertThat(large.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(large.body()).path("error").asText()).isEqualTo("payload_too_large");
            HttpResponse<String> deepRest = post(http, gateway, "/api/v1/auth/login",
                    "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000), "zh-CN");
            assertThat(deepRest.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(deepRest.body()).path("error").asText()).isEqualTo("bad_request");
            assertThat(JSON.readTree(deepRest.body()).path("message").asText()).isNotBlank();

            // ---- REST login brute force: unknown and known users alike, then a lock that holds
            HttpResponse<String> unknownUser = post(http, gateway, "/api/v1/auth/login",
                    "{\"username\":\"no-such-user\",\"password\":\"guess-1\"}", "en");
            HttpResponse<String> knownUser = post(http, gateway, "/api/v1/auth/login",
                    "{\"username\":\"demo-admin\",\"password\":\"guess-1\"}", "en");
            assertThat(unknownUser.statusCode()).isEqualTo(knownUser.statusCode()).isEqualTo(401);
            assertThat(fieldNames(JSON.readTree(unknownUser.body())))
                    .isEqualTo(fieldNames(JSON.readTree(knownUser.body())));
            assertThat(JSON.readTree(unknownUser.body()).path("error").asText())
                    .isEqualTo(JSON.readTree(knownUser.body()).path("error").asText());
            HttpResponse<String> last = knownUser;
            int attempts = 1;
            while (last.statusCode() == 401 && attempts < 30) {
                last = post(http, gateway, "/api/v1/auth/login",
                        "{\"username\":\"demo-admin\",\"password\":\"guess-" + ++attempts + "\"}", "en");
            }
            assertThat(last.statusCode()).as("locked after %d attempts: %s", attempts, last.body()).isEqualTo(429);
            assertThat(attempts).as("wrong passwords before the lock").isLessThanOrEqualTo(10);
            assertThat(last.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(last.body()).path("error").asText()).isEqualTo("locked");
            HttpResponse<String> rightPassword = post(http, gateway, "/api/v1/auth/login",
                    "{\"username\":\"demo-admin\",\"password\":\"demo-admin-2026\"}", "en");
            assertThat(rightPassword.statusCode()).as("the lock holds for the right password").isEqualTo(429);
            assertThat(rightPassword.body()).doesNotContain("token");

            // the gateway is still healthy after all this
            assertThat(gateway.get("/api/v1/health", null).statusCode()).isEqualTo(200);
        } finally {
            keypads.forEach(SimulatedKiosk::close);
            codes.close();
            courierKiosk.close();
            cabinet.close();
            gateway.close();
        }
    }

    private static PickupNotice deposit(SimulatedKiosk kiosk, SessionResult session, SimulatedCabinet cabinet,
            NotificationLogTailer codes, String phone) throws Exception {
        DepositResult deposit = kiosk.deposit(session, "JT" + ThreadLocalRandom.current().nextLong(1L << 40), Size.S,
                phone, new Consent("app", "C-" + phone, OffsetDateTime.now(), true), Declared.NONE);
        assertThat(deposit.ok()).as(deposit.toString()).isTrue();
        cabinet.putItem(deposit.compartment());
        cabinet.closeDoor(deposit.compartment());
        return codes.await(deposit.parcelId(), Duration.ofSeconds(30)).orElseThrow();
    }

    private static SimulatedKiosk keypad(String uri, String address) {
        SimulatedKiosk kiosk = SimulatedKiosk.builder().kioskId("keypad-" + address).groupId("g1").gateway(uri)
                .bind(new InetSocketAddress(address, 0)).requestTimeout(Duration.ofSeconds(15)).build();
        kiosk.start();
        return kiosk;
    }

    /** A random code of the right length that is none of the real ones. */
    private static String guess(int digits, String... real) {
        while (true) {
            StringBuilder code = new StringBuilder();
            for (int i = 0; i < digits; i++) {
                code.append(ThreadLocalRandom.current().nextInt(10));
            }
            if (!List.of(real).contains(code.toString())) {
                return code.toString();
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(String::compareTo);
        return names;
    }

    private static HttpResponse<String> post(HttpClient http, Gateway gateway, String path, String body,
            String language) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("Accept-Language", language).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
