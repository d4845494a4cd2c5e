package org.lockergate.devices.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.devices.coap.internal.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

class TrafficGeneratorTest {

    @TempDir
    Path dir;

    /**
     * A gateway that really allocates: a deposit unlocks a free compartment of the registered cabinet (skipping
     * jammed ones), writes the pickup code to the notifications log; a pickup with the right code unlocks again.
     */
    private static final class AllocatingGateway {
        final FakeGateway gateway;
        final Path log;
        final Map<String, String> parcelByLabel = new ConcurrentHashMap<>();
        final Map<String, String> labelByCode = new ConcurrentHashMap<>();
        final AtomicInteger parcels = new AtomicInteger();

        AllocatingGateway(FakeGateway gateway, Path log, List<String> labels) {
            this.gateway = gateway;
            this.log = log;
            gateway.kioskHandler(call -> switch (call.resource()) {
                case "sessions" -> FakeGateway.Answer.of(ResponseCode.CREATED,
                        "{\"session\":\"s-1\",\"company\":\"ZTO\",\"expiresAt\":\"2030-01-01T00:00:00+08:00\"}");
                case "deposits" -> deposit(labels);
                case "pickups" -> pickup(call.body().path("code").asText());
                default -> FakeGateway.Answer.of(ResponseCode.NOT_FOUND, "{\"error\":\"not_found\"}");
            });
        }

        private synchronized FakeGateway.Answer deposit(List<String> labels) throws Exception {
            ObjectNode answer = Json.object();
            var skipped = answer.putArray("skipped");
            for (String label : labels) {
                if (parcelByLabel.containsKey(label)) {
                    continue;
                }
                Response unlock = gateway.unlock("c1", label, Duration.ofSeconds(2));
                String outcome = Json.decodeLenient(unlock).path("outcome").asText();
                if (!outcome.equals("opened")) {
                    skipped.addObject().put("compartment", label).put("outcome", outcome);
                    continue;
                }
                String parcelId = "p-" + parcels.incrementAndGet();
                String code = String.format("%08d", 10_000_000 + parcels.get());
                parcelByLabel.put(label, parcelId);
                labelByCode.put(code, label);
                Files.writeString(log, "{\"parcelId\":\"" + parcelId + "\",\"groupId\":\"g1\",\"cabinetId\":\"c1\","
                        + "\"compartment\":\"" + label + "\",\"code\":\"" + code + "\",\"phoneMasked\":\"138****1234\","
                        + "\"freeUntil\":\"2030-01-01T00:00:00+08:00\"}\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                answer.put("parcelId", parcelId).put("cabinetId", "c1").put("compartment", label)
                        .put("unlock", outcome);
                return new FakeGateway.Answer(ResponseCode.CREATED, answer);
            }
            return FakeGateway.Answer.of(ResponseCode.SERVICE_UNAVAILABLE, "{\"error\":\"full\"}");
        }

        private synchronized FakeGateway.Answer pickup(String code) throws Exception {
            String label = labelByCode.remove(code);
            if (label == null) {
                return FakeGateway.Answer.of(ResponseCode.FORBIDDEN, "{\"error\":\"wrong_code\",\"attemptsLeft\":4}");
            }
            String parcelId = parcelByLabel.remove(label);
            Response unlock = gateway.unlock("c1", label, Duration.ofSeconds(2));
            return new FakeGateway.Answer(ResponseCode.CHANGED, Json.object().put("parcelId", parcelId)
                    .put("cabinetId", "c1").put("compartment", label)
                    .put("unlock", Json.decodeLenient(unlock).path("outcome").asText())
                    .put("feeFen", 0).put("feeOwed", false));
        }
    }

    @Test
    void couriers_deposit_and_residents_pick_up_with_codes_from_the_notifications_log() throws Exception {
        Path log = dir.resolve("logs/notifications.log");
        Files.createDirectories(log.getParent());
        try (FakeGateway gateway = FakeGateway.start();
                SimulatedCabinet cabinet = SimulatedCabinet.builder().cabinetId("c1").groupId("g1")
                        .compartments(CompartmentSpec.stock(4)).gateway(gateway.uri())
                        .ackTimeout(Duration.ofMillis(50)).requestTimeout(Duration.ofSeconds(1))
                        .retry(Duration.ofMillis(50), Duration.ofMillis(400)).build();
                SimulatedKiosk kiosk = SimulatedKiosk.builder().groupId("g1").gateway(gateway.uri())
                        .ackTimeout(Duration.ofMillis(50)).requestTimeout(Duration.ofSeconds(3)).build();
                NotificationLogTailer tailer = new NotificationLogTailer(log, Duration.ofMillis(20)).start()) {
            new AllocatingGateway(gateway, log, List.of("1", "2", "3", "4"));
            cabinet.jam("1");
            cabinet.start();
            assertThat(cabinet.awaitRegistered(Duration.ofSeconds(5))).isTrue();

            try (TrafficGenerator traffic = TrafficGenerator.builder()
                    .kiosk(kiosk)
                    .cabinets(List.of(cabinet))
                    .codes(tailer)
                    .courier("ZTO-0001", "123456")
                    .depositsPerMinute(600)
                    .cycles(4)
                    .wrongCodeRate(1.0)
                    .longStayRate(0)
                    .pickupDelay(Duration.ZERO, Duration.ofMillis(50))
                    .codeWait(Duration.ofSeconds(2))
                    .seed(42)
                    .build()) {
                traffic.start();

                assertThat(traffic.awaitDone(Duration.ofSeconds(10))).isTrue();
                TrafficGenerator.Stats stats = traffic.stats();
                assertThat(stats.deposits()).isEqualTo(4);
                assertThat(stats.pickups()).isEqualTo(4);
                assertThat(stats.wrongCodes()).isEqualTo(4);
                assertThat(stats.depositFailures() + stats.pickupFailures()).isZero();
            }

            assertThat(cabinet.compartments()).allSatisfy(c -> {
                assertThat(c.doorClosed()).isTrue();
                assertThat(c.itemPresent()).isFalse();
            });
            assertThat(gateway.kioskCalls.stream().filter(c -> c.resource().equals("sessions"))).hasSize(1);
            assertThat(gateway.kioskCalls.stream().filter(c -> c.resource().equals("deposits")))
                    .allSatisfy(c -> assertThat(c.body().path("size").asText()).isIn("S", "M", "L"));
            // each cycle: door opens, item in, door closes, door opens, item out, door closes
            assertThat(cabinet.awaitAllAcked(Duration.ofSeconds(5))).isTrue();
            List<String> kinds = new ArrayList<>();
            gateway.events("c1").forEach(e -> kinds.add(e.path("type").asText()));
            assertThat(kinds).hasSize(4 * 6).containsOnly("door", "occupancy");
        }
    }
}
