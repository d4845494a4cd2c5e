package org.lockergate.devices.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lockergate.devices.coap.FakeGateway.eventually;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.devices.coap.internal.Json;

import com.fasterxml.jackson.databind.JsonNode;

class SimulatedCabinetTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private FakeGateway gateway;
    private final List<SimulatedCabinet> cabinets = new ArrayList<>();

    @BeforeEach
    void startGateway() throws Exception {
        gateway = FakeGateway.start();
    }

    @AfterEach
    void stopAll() {
        cabinets.forEach(SimulatedCabinet::stop);
        gateway.close();
    }

    /** A cabinet with fast timers for tests: ACK timeout 50 ms, answers within 1 s, retries from 50 ms. */
    private SimulatedCabinet.Builder fast(String cabinetId) {
        return SimulatedCabinet.builder()
                .cabinetId(cabinetId)
                .groupId("g1")
                .vendor("acme")
                .model("M1")
                .firmware("1.4.2")
                .boot(3)
                .compartment("11", Size.S, 1, 11)
                .compartment("12", Size.M, 1, 12)
                .compartment("B07", Size.L, 2, 7)
                .gateway(gateway.uri())
                .ackTimeout(Duration.ofMillis(50))
                .requestTimeout(Duration.ofSeconds(1))
                .retry(Duration.ofMillis(50), Duration.ofMillis(400));
    }

    private SimulatedCabinet started(SimulatedCabinet.Builder builder) throws InterruptedException {
        SimulatedCabinet cabinet = builder.build();
        cabinets.add(cabinet);
        cabinet.start();
        assertThat(cabinet.awaitRegistered(WAIT)).as("registered").isTrue();
        return cabinet;
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).collect(Collectors.toList());
    }

    @Test
    void registration_sends_the_descriptor_with_ep_and_lt_from_the_port_it_serves_on() throws Exception {
        gateway.heartbeatSeconds(7);
        SimulatedCabinet cabinet = started(fast("c1").lifetimeSeconds(45));

        FakeGateway.Registration registration = gateway.lastRegistration();
        assertThat(registration.query()).containsExactlyInAnyOrder("ep=c1", "lt=45");
        JsonNode descriptor = registration.descriptor();
        assertThat(descriptor.path("vendor").asText()).isEqualTo("acme");
        assertThat(descriptor.path("model").asText()).isEqualTo("M1");
        assertThat(descriptor.path("firmware").asText()).isEqualTo("1.4.2");
        assertThat(descriptor.path("boot").asInt()).isEqualTo(3);
        assertThat(descriptor.path("groupId").asText()).isEqualTo("g1");
        assertThat(descriptor.path("compartments")).hasSize(3);
        JsonNode first = descriptor.path("compartments").get(0);
        assertThat(first.path("compartment").asText()).isEqualTo("11");
        assertThat(first.path("size").asText()).isEqualTo("S");
        assertThat(first.path("board").asInt()).isEqualTo(1);
        assertThat(first.path("channel").asInt()).isEqualTo(11);
        assertThat(descriptor.path("compartments").get(2).path("compartment").asText()).isEqualTo("B07");

        assertThat(registration.peer().getPort()).isEqualTo(cabinet.localAddress().getPort());
        assertThat(cabinet.registrationLocation()).isEqualTo("rd/" + registration.regId());
        assertThat(cabinet.heartbeat()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void heartbeats_refresh_the_registration() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1").heartbeatOverride(Duration.ofMillis(100)));
        String regId = gateway.lastRegistration().regId();

        // the gateway counts a heartbeat when it arrives, the cabinet when the answer is back: wait for both
        assertThat(eventually(WAIT, () -> gateway.heartbeats(regId) >= 3 && cabinet.heartbeats() >= 3)).isTrue();
        assertThat(cabinet.registrations()).isEqualTo(1);
    }

    @Test
    void registers_again_when_the_heartbeat_answers_unknown_registration() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1").heartbeatOverride(Duration.ofMillis(100)));
        String firstLocation = cabinet.registrationLocation();

        gateway.forgetRegistrations();

        assertThat(eventually(WAIT, () -> cabinet.registrations() == 2)).isTrue();
        assertThat(cabinet.registrationLocation()).isNotEqualTo(firstLocation);
        assertThat(gateway.registrations).hasSize(2);
    }

    @Test
    void stop_deregisters() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1"));
        String regId = gateway.lastRegistration().regId();

        cabinet.stop();

        assertThat(gateway.deleted).containsExactly(regId);
        assertThat(cabinet.isRunning()).isFalse();
    }

    @Test
    void events_arrive_in_seq_order_in_batches_and_are_acknowledged() throws Exception {
        SimulatedCabinet.Builder builder = fast("c1").maxBatch(4);
        SimulatedCabinet cabinet = builder.build();
        cabinets.add(cabinet);
        // ten events queued before the cabinet is even started
        for (int i = 0; i < 5; i++) {
            cabinet.tamper();
            cabinet.fault("E" + i);
        }
        cabinet.start();

        assertThat(cabinet.awaitAcked(10, WAIT)).isTrue();
        assertThat(gateway.storedSeqs("c1")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(gateway.batches).allSatisfy(b -> assertThat(b.seqs()).hasSizeLessThanOrEqualTo(4));
        assertThat(gateway.batches).allSatisfy(b -> assertThat(b.boot()).isEqualTo(3));
        assertThat(gateway.batches.get(0).seqs()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(cabinet.pendingEvents()).isEmpty();
    }

    @Test
    void unacknowledged_events_are_sent_again_until_acknowledged() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1"));
        gateway.dropEventAnswers(2);

        cabinet.fault("E1");
        cabinet.fault("E2");

        assertThat(cabinet.awaitAcked(2, WAIT)).isTrue();
        assertThat(gateway.storedSeqs("c1")).containsExactly(1L, 2L);
        assertThat(gateway.events("c1")).extracting(e -> e.path("code").asText()).containsExactly("E1", "E2");
    }

    @Test
    void a_partial_acknowledgement_makes_the_cabinet_resend_the_rest_in_order() throws Exception {
        gateway.maxAckPerRequest(1);
        SimulatedCabinet cabinet = started(fast("c1"));

        for (int i = 1; i <= 5; i++) {
            cabinet.fault("E" + i);
        }

        assertThat(cabinet.awaitAcked(5, WAIT)).isTrue();
        assertThat(gateway.storedSeqs("c1")).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void not_registered_makes_the_cabinet_register_again_and_resend() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1"));
        gateway.forgetRegistrations();

        cabinet.tamper();

        assertThat(cabinet.awaitAcked(1, WAIT)).isTrue();
        assertThat(cabinet.registrations()).isEqualTo(2);
        assertThat(types(gateway.events("c1"))).containsExactly("tamper");
    }

    @Test
    void an_unlock_opens_a_closed_door_and_reports_a_door_event() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1"));

        Response response = gateway.unlock("c1", "12", WAIT);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(Json.decodeLenient(response).path("outcome").asText()).isEqualTo("opened");
        assertThat(cabinet.compartment("12").doorClosed()).isFalse();
        assertThat(cabinet.awaitAcked(1, WAIT)).isTrue();
        JsonNode event = gateway.events("c1").get(0);
        assertThat(event.path("type").asText()).isEqualTo("door");
        assertThat(event.path("compartment").asText()).isEqualTo("12");
        assertThat(event.path("closed").asBoolean(true)).isFalse();
        assertThat(cabinet.unlocks()).isEqualTo(1);
    }

    @Test
    void an_unlock_of_an_open_door_answers_already_open() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1"));
        cabinet.openByForce("11");

        Response response = gateway.unlock("c1", "11", WAIT);

        assertThat(Json.decodeLenient(response).path("outcome").asText()).isEqualTo("already_open");
        assertThat(cabinet.awaitAcked(1, WAIT)).isTrue();
        assertThat(cabinet.lastSeq()).as("no second door event").isEqualTo(1);
    }

    @Test
    void an_unlock_of_a_jammed_door_answers_jammed_and_the_door_stays_closed() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1"));
        cabinet.jam("B07");

        Response response = gateway.unlock("c1", "B07", WAIT);

        assertThat(Json.decodeLenient(response).path("outcome").asText()).isEqualTo("jammed");
        assertThat(cabinet.compartment("B07").doorClosed()).isTrue();
        assertThat(cabinet.lastSeq()).isZero();

        cabinet.unjam("B07");
        assertThat(Json.decodeLenient(gateway.unlock("c1", "B07", WAIT)).path("outcome").asText()).isEqualTo("opened");
    }

    @Test
    void an_unlock_of_an_unknown_label_answers_not_found_with_an_error_body() throws Exception {
        started(fast("c1"));

        Response response = gateway.unlock("c1", "99", WAIT);

        assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(Json.decodeLenient(response).path("error").asText()).isEqualTo("unknown_compartment");
    }

    @Test
    void a_slow_cabinet_answers_unlocks_late() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1"));
        cabinet.slow(Duration.ofMillis(300));

        long start = System.nanoTime();
        Response response = gateway.unlock("c1", "12", WAIT);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(280));
        assertThat(Json.decodeLenient(response).path("outcome").asText()).isEqualTo("opened");
    }

    @Test
    void people_and_sensors_become_events_with_the_protocol_fields() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2025-03-01T02:00:00Z"), ZoneOffset.ofHours(8));
        SimulatedCabinet cabinet = started(fast("c1").clock(clock));

        gateway.unlock("c1", "12", WAIT);
        cabinet.putItem("12");
        cabinet.closeDoor("12");
        assertThatThrownBy(() -> cabinet.takeItem("12")).isInstanceOf(IllegalStateException.class);
        cabinet.setPower(PowerSource.BATTERY);
        cabinet.setCamera(false);
        cabinet.setCamera(false); // no change, no event
        cabinet.tamper();
        cabinet.fault("lock_board_2");

        assertThat(cabinet.awaitAcked(7, WAIT)).isTrue();
        List<JsonNode> events = gateway.events("c1");
        assertThat(types(events)).containsExactly("door", "occupancy", "door", "power", "camera", "tamper", "fault");
        assertThat(events.get(1).path("present").asBoolean()).isTrue();
        assertThat(events.get(2).path("closed").asBoolean()).isTrue();
        assertThat(events.get(3).path("mains").asBoolean(true)).isFalse();
        assertThat(events.get(3).path("battery").asBoolean()).isTrue();
        assertThat(events.get(4).path("ok").asBoolean(true)).isFalse();
        assertThat(events.get(6).path("code").asText()).isEqualTo("lock_board_2");
        assertThat(events.get(5).has("compartment")).isFalse();
        assertThat(events.get(0).path("ts").asText()).isEqualTo("2025-03-01T10:00:00.000+08:00");
        assertThat(cabinet.compartment("12")).isEqualTo(new CompartmentState("12", Size.M, true, true, false));
    }

    @Test
    void offline_stops_heartbeats_and_answers_and_online_sends_what_was_queued() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1").heartbeatOverride(Duration.ofMillis(100)));
        String regId = gateway.lastRegistration().regId();
        assertThat(eventually(WAIT, () -> gateway.heartbeats(regId) >= 1)).isTrue();

        cabinet.offline(true);
        Thread.sleep(150); // a heartbeat in flight may still land
        int before = gateway.heartbeats(regId);
        cabinet.tamper();
        assertThat(gateway.unlock("c1", "12", Duration.ofMillis(500))).as("no answer while offline").isNull();
        Thread.sleep(300);
        assertThat(gateway.heartbeats(regId)).isEqualTo(before);
        assertThat(gateway.events("c1")).isEmpty();
        assertThat(cabinet.compartment("12").doorClosed()).isTrue();

        cabinet.offline(false);

        assertThat(cabinet.awaitAcked(1, WAIT)).isTrue();
        assertThat(eventually(WAIT, () -> gateway.heartbeats(regId) > before)).isTrue();
    }

    @Test
    void with_packet_loss_every_event_still_arrives_in_order() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1").lossPercent(30).maxBatch(5));

        for (int i = 1; i <= 30; i++) {
            cabinet.fault("E" + i);
        }

        assertThat(cabinet.awaitAcked(30, Duration.ofSeconds(15))).isTrue();
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 30; i++) {
            expected.add(i);
        }
        assertThat(gateway.storedSeqs("c1")).containsExactlyElementsOf(expected);
        assertThat(cabinet.lossPercent()).isEqualTo(30.0);
    }

    @Test
    void garbage_records_that_the_gateway_refused_it() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1"));

        GarbageResult result = cabinet.garbage();

        assertThat(result.invalidJson()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(result.oversized()).isIn(ResponseCode.BAD_REQUEST, ResponseCode.REQUEST_ENTITY_TOO_LARGE);
        assertThat(result.oversizedBytes()).isGreaterThan(16 * 1024);
        assertThat(cabinet.lastGarbage()).isEqualTo(result);
        assertThat(gateway.events("c1")).isEmpty();
    }

    @Test
    void a_restart_is_a_new_boot_whose_numbering_starts_at_one() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1"));
        cabinet.tamper();
        assertThat(cabinet.awaitAcked(1, WAIT)).isTrue();
        cabinet.stop();

        cabinet.start();
        assertThat(cabinet.awaitRegistered(WAIT)).isTrue();
        cabinet.tamper();

        assertThat(cabinet.boot()).isEqualTo(4);
        assertThat(cabinet.awaitAcked(1, WAIT)).isTrue();
        assertThat(gateway.lastRegistration().descriptor().path("boot").asInt()).isEqualTo(4);
        assertThat(gateway.batches).extracting(FakeGateway.Batch::boot).containsExactly(3, 4);
        assertThat(gateway.events("c1")).extracting(e -> e.path("seq").asLong()).containsExactly(1L, 1L);
    }

    @Test
    void cbor_bodies_carry_the_same_fields() throws Exception {
        SimulatedCabinet cabinet = started(fast("c1").cbor(true));
        cabinet.fault("E1");

        assertThat(cabinet.awaitAcked(1, WAIT)).isTrue();
        assertThat(gateway.lastRegistration().descriptor().path("groupId").asText()).isEqualTo("g1");
        assertThat(gateway.events("c1").get(0).path("code").asText()).isEqualTo("E1");
    }

    @Test
    void over_dtls_psk_the_cabinet_registers_and_answers_unlocks() throws Exception {
        byte[] key = "secret-of-c9".getBytes(StandardCharsets.UTF_8);
        try (FakeGateway secure = FakeGateway.startSecure(Map.of("c9", key))) {
            SimulatedCabinet cabinet = fast("c9").gateway(secure.uri()).psk("c9", key)
                    .requestTimeout(Duration.ofSeconds(3)).build();
            cabinets.add(cabinet);
            cabinet.start();

            assertThat(cabinet.awaitRegistered(WAIT)).isTrue();
            Response response = secure.unlock("c9", "11", WAIT);
            assertThat(Json.decodeLenient(response).path("outcome").asText()).isEqualTo("opened");
            assertThat(cabinet.awaitAcked(1, WAIT)).isTrue();
            assertThat(secure.events("c9")).hasSize(1);
        }
    }

    @Test
    void a_port_in_use_fails_the_start_with_the_address() throws Exception {
        SimulatedCabinet first = started(fast("c1"));
        SimulatedCabinet second = fast("c2").bind(first.localAddress()).build();

        assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("c2");
        assertThat(second.isRunning()).isFalse();
    }

    @Test
    void the_builder_refuses_incomplete_cabinets() {
        assertThatThrownBy(() -> SimulatedCabinet.builder().groupId("g1").compartment("1", Size.S, 1, 1).build())
                .hasMessageContaining("cabinetId");
        assertThatThrownBy(() -> SimulatedCabinet.builder().cabinetId("c1").groupId("g1").build())
                .hasMessageContaining("no compartments");
        assertThatThrownBy(() -> SimulatedCabinet.builder().cabinetId("c1").groupId("g1")
                .compartment("1", Size.S, 1, 1).gateway("coaps://127.0.0.1:5684").build())
                .hasMessageContaining("psk");
        assertThatThrownBy(() -> SimulatedCabinet.builder().gateway("http://x")).hasMessageContaining("coap://");
    }

    @Test
    void the_stock_mix_labels_compartments_from_one() {
        List<CompartmentSpec> specs = CompartmentSpec.stock(24);

        assertThat(specs).hasSize(24);
        assertThat(specs.get(0).label()).isEqualTo("1");
        assertThat(specs.stream().filter(s -> s.size() == Size.S)).hasSize(16);
        assertThat(specs.stream().filter(s -> s.size() == Size.M)).hasSize(6);
        assertThat(specs.stream().filter(s -> s.size() == Size.L)).hasSize(2);
        assertThat(CompartmentSpec.stock(30).get(24)).isEqualTo(new CompartmentSpec("25", Size.M, 2, 1));
    }
}
