package org.lockergate.devices.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.devices.coap.FakeGateway.eventually;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class SimulatedKioskTest {

    private FakeGateway gateway;
    private SimulatedKiosk kiosk;

    @BeforeEach
    void start() throws Exception {
        gateway = FakeGateway.start();
        kiosk = SimulatedKiosk.builder().groupId("g1").gateway(gateway.uri()).ackTimeout(Duration.ofMillis(50))
                .requestTimeout(Duration.ofSeconds(1)).build();
    }

    @AfterEach
    void stop() {
        kiosk.stop();
        gateway.close();
    }

    @Test
    void sign_in_parses_the_session() throws Exception {
        gateway.answer("sessions", ResponseCode.CREATED,
                "{\"session\":\"s-1\",\"company\":\"ZTO\",\"expiresAt\":\"2025-03-01T10:10:00+08:00\"}");

        SessionResult result = kiosk.signIn("ZTO-0421", "123456");

        assertThat(result.ok()).isTrue();
        assertThat(result.session()).isEqualTo("s-1");
        assertThat(result.company()).isEqualTo("ZTO");
        assertThat(result.expiresAt()).isEqualTo(OffsetDateTime.parse("2025-03-01T10:10:00+08:00"));
        FakeGateway.KioskCall call = gateway.kioskCalls.get(0);
        assertThat(call.groupId()).isEqualTo("g1");
        assertThat(call.body().path("courierId").asText()).isEqualTo("ZTO-0421");
        assertThat(call.body().path("pin").asText()).isEqualTo("123456");
    }

    @Test
    void bad_credentials_and_locked_carry_attempts_left_and_locked_until() throws Exception {
        gateway.answer("sessions", ResponseCode.UNAUTHORIZED,
                "{\"error\":\"bad_credentials\",\"message\":\"wrong PIN\",\"attemptsLeft\":2}");
        SessionResult wrong = kiosk.signInWithToken("expired-token");

        assertThat(wrong.ok()).isFalse();
        assertThat(wrong.reply().code()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(wrong.reply().error()).isEqualTo("bad_credentials");
        assertThat(wrong.reply().attemptsLeft()).isEqualTo(2);
        assertThat(gateway.kioskCalls.get(0).body().path("token").asText()).isEqualTo("expired-token");

        gateway.answer("sessions", ResponseCode.TOO_MANY_REQUESTS,
                "{\"error\":\"locked\",\"message\":\"try later\",\"lockedUntil\":\"2025-03-01T10:05:00+08:00\"}");
        SessionResult locked = kiosk.signIn("ZTO-0421", "000000");

        assertThat(locked.reply().codeText()).isEqualTo("4.29");
        assertThat(locked.reply().error()).isEqualTo("locked");
        assertThat(locked.reply().lockedUntil()).isEqualTo(OffsetDateTime.parse("2025-03-01T10:05:00+08:00"));
    }

    @Test
    void a_deposit_sends_consent_and_declarations_and_parses_the_compartment() throws Exception {
        gateway.answer("deposits", ResponseCode.CREATED, "{\"parcelId\":\"p-7\",\"cabinetId\":\"c1\",\"compartment\":\"12\","
                + "\"unlock\":\"opened\",\"skipped\":[{\"compartment\":\"11\",\"outcome\":\"jammed\"}]}");
        Consent consent = new Consent("app", "C-889", OffsetDateTime.parse("2025-03-01T09:00:00+08:00"), true);

        DepositResult result = kiosk.deposit("s-1", "ZT1234567890", Size.M, "13800001234", consent, Declared.NONE);

        assertThat(result.ok()).isTrue();
        assertThat(result.parcelId()).isEqualTo("p-7");
        assertThat(result.cabinetId()).isEqualTo("c1");
        assertThat(result.compartment()).isEqualTo("12");
        assertThat(result.unlock()).isEqualTo("opened");
        assertThat(result.skipped()).containsExactly(new DepositResult.Skipped("11", "jammed"));
        JsonNode body = gateway.kioskCalls.get(0).body();
        assertThat(body.path("session").asText()).isEqualTo("s-1");
        assertThat(body.path("waybill").asText()).isEqualTo("ZT1234567890");
        assertThat(body.path("size").asText()).isEqualTo("M");
        assertThat(body.path("phone").asText()).isEqualTo("13800001234");
        assertThat(body.path("consent").path("channel").asText()).isEqualTo("app");
        assertThat(body.path("consent").path("ref").asText()).isEqualTo("C-889");
        assertThat(body.path("consent").path("at").asText()).isEqualTo("2025-03-01T09:00:00.000+08:00");
        assertThat(body.path("consent").path("feeTermsAccepted").asBoolean()).isTrue();
        assertThat(body.path("declared").path("damaged").isBoolean()).isTrue();
        assertThat(body.path("declared").path("weightMismatch").asBoolean(true)).isFalse();
    }

    @Test
    void a_full_group_answers_with_a_suggestion() throws Exception {
        gateway.answer("deposits", ResponseCode.SERVICE_UNAVAILABLE,
                "{\"error\":\"full\",\"message\":\"no free M\",\"suggest\":{\"groupId\":\"g2\",\"name\":\"东门\",\"distanceM\":800}}");

        DepositResult result = kiosk.deposit("s-1", "ZT1", Size.L, "13800001234", null, null);

        assertThat(result.ok()).isFalse();
        assertThat(result.reply().error()).isEqualTo("full");
        assertThat(result.reply().body().path("suggest").path("distanceM").asInt()).isEqualTo(800);
        assertThat(gateway.kioskCalls.get(0).body().has("consent")).isFalse();
    }

    @Test
    void a_pickup_parses_the_fee_and_a_wrong_code_the_attempts_left() throws Exception {
        gateway.answer("pickups", ResponseCode.FORBIDDEN,
                "{\"error\":\"wrong_code\",\"message\":\"wrong code\",\"attemptsLeft\":4}");
        PickupResult wrong = kiosk.pickup("00000000", "1234");

        assertThat(wrong.ok()).isFalse();
        assertThat(wrong.reply().error()).isEqualTo("wrong_code");
        assertThat(wrong.reply().attemptsLeft()).isEqualTo(4);
        assertThat(gateway.kioskCalls.get(0).body().path("phoneLast4").asText()).isEqualTo("1234");

        gateway.answer("pickups", ResponseCode.CHANGED, "{\"parcelId\":\"p-7\",\"cabinetId\":\"c1\","
                + "\"compartment\":\"12\",\"unlock\":\"opened\",\"feeFen\":50,\"feeOwed\":true}");
        PickupResult ok = kiosk.pickup("12345678", null);

        assertThat(ok.ok()).isTrue();
        assertThat(ok.compartment()).isEqualTo("12");
        assertThat(ok.feeFen()).isEqualTo(50);
        assertThat(ok.feeOwed()).isTrue();
        assertThat(gateway.kioskCalls.get(1).body().has("phoneLast4")).isFalse();
    }

    @Test
    void a_rejection_while_the_door_is_closed_answers_not_open() throws Exception {
        gateway.answer("rejections", ResponseCode.CONFLICT, "{\"error\":\"not_open\",\"message\":\"door closed\"}");

        KioskReply reply = kiosk.reject("p-7", "damaged");

        assertThat(reply.code()).isEqualTo(ResponseCode.CONFLICT);
        assertThat(reply.error()).isEqualTo("not_open");
        assertThat(reply.message()).isEqualTo("door closed");
        assertThat(gateway.kioskCalls.get(0).body().path("reason").asText()).isEqualTo("damaged");
    }

    @Test
    void state_is_read_and_observed() throws Exception {
        String state = "{\"compartments\":[{\"cabinetId\":\"c1\",\"compartment\":\"12\",\"size\":\"M\","
                + "\"state\":\"OCCUPIED\",\"doorClosed\":true,\"present\":true}]}";
        gateway.answer("state", ResponseCode.CONTENT, state);

        GroupState read = kiosk.state();

        assertThat(read.ok()).isTrue();
        assertThat(read.compartments()).containsExactly(
                new GroupState.CompartmentView("c1", "12", "M", "OCCUPIED", true, true));

        List<GroupState> seen = new CopyOnWriteArrayList<>();
        try (SimulatedKiosk.Observation observation = kiosk.observeState(seen::add)) {
            assertThat(eventually(Duration.ofSeconds(5), () -> seen.size() == 1)).isTrue();
            gateway.answer("state", ResponseCode.CONTENT, state.replace("OCCUPIED", "FREE").replace(
                    "\"present\":true", "\"present\":false"));
            gateway.stateChanged();
            assertThat(eventually(Duration.ofSeconds(5), () -> seen.size() == 2)).isTrue();
            assertThat(seen.get(1).compartments().get(0).state()).isEqualTo("FREE");
        }
    }

    @Test
    void no_answer_is_a_reply_without_code() throws Exception {
        gateway.kioskHandler(call -> null);

        PickupResult result = kiosk.pickup("12345678", null);

        assertThat(result.reply().answered()).isFalse();
        assertThat(result.reply().error()).isEqualTo(KioskReply.NO_ANSWER);
    }

    @Test
    void each_kiosk_sends_from_its_own_port() throws Exception {
        gateway.answer("state", ResponseCode.CONTENT, "{\"compartments\":[]}");
        try (SimulatedKiosk other = SimulatedKiosk.builder().groupId("g2").gateway(gateway.uri()).build()) {
            kiosk.state();
            other.state();

            assertThat(kiosk.localAddress().getPort()).isNotEqualTo(other.localAddress().getPort());
            assertThat(gateway.kioskCalls).extracting(FakeGateway.KioskCall::groupId).containsExactly("g1", "g2");
        }
    }
}
