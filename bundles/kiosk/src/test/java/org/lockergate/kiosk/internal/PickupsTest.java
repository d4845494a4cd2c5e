package org.lockergate.kiosk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.kiosk.internal.Fixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.locker.PickupResult;

/** {@code POST /groups/{groupId}/pickups} over real UDP, the core faked. */
class PickupsTest {

    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    @TempDir
    Path data;

    private Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(data);
        f.core.pickup = new PickupResult("P-1", "c1", "12", "opened", 50, false);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void a_pickup_opens_the_door_and_names_cabinet_compartment_and_fee() throws Exception {
        CoapResponse response = f.post("/groups/g1/pickups", "{'code':'01234567','phoneLast4':'1234'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(json(response)).isEqualTo(Fixture.JSON.readTree("{\"parcelId\":\"P-1\",\"cabinetId\":\"c1\","
                + "\"compartment\":\"12\",\"unlock\":\"opened\",\"feeFen\":50,\"feeOwed\":false}"));
        assertThat(f.core.calls).containsExactly("pickup g1 01234567 1234");
    }

    @Test
    void the_keypad_is_the_peer_address_without_port_over_plain_coap() throws Exception {
        f.post("/groups/g1/pickups", "{'code':'01234567'}");

        assertThat(f.core.keypadId).isEqualTo("127.0.0.1");
        assertThat(f.core.calls).containsExactly("pickup g1 01234567 null");
    }

    @Test
    void the_keypad_is_the_dtls_identity_over_coaps() throws Exception {
        f.net.psk().put("kiosk-g1", KEY);

        Fixture.post(f.net.dtlsClient("kiosk-g1", KEY, "/groups/g1/pickups"), "{'code':'01234567'}");

        assertThat(f.core.keypadId).isEqualTo("kiosk-g1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'code':'1234567'}", "{'code':'123456789'}", "{'code':'1234567a'}",
        "{'code':12345678}", "{'code':' 12345678'}", "{}"})
    void a_code_that_is_not_8_digits_is_a_bad_request_not_counted_as_a_wrong_code(String body) throws Exception {
        CoapResponse response = f.post("/groups/g1/pickups", body);

        assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(json(response).path("error").asText()).isEqualTo("bad_request");
        assertThat(json(response).path("field").asText()).isEqualTo("code");
        assertThat(f.core.calls).isEmpty();
    }

    @Test
    void phone_last_4_must_be_4_digits() throws Exception {
        JsonNode error = json(f.post("/groups/g1/pickups", "{'code':'12345678','phoneLast4':'123'}"));

        assertThat(error.path("field").asText()).isEqualTo("phoneLast4");
        assertThat(f.core.calls).isEmpty();
    }

    @Test
    void the_code_length_follows_the_configuration() throws Exception {
        f.close();
        f = new Fixture(data.resolve("six"), 6);
        f.core.pickup = new PickupResult("P-1", "c1", "12", "opened", 0, false);

        assertThat(f.post("/groups/g1/pickups", "{'code':'123456'}").getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(f.post("/groups/g1/pickups", "{'code':'12345678'}").getCode())
                .isEqualTo(ResponseCode.BAD_REQUEST);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(Kind.FORBIDDEN, "wrong_code", Map.of("attemptsLeft", 3), ResponseCode.FORBIDDEN,
                        "{\"attemptsLeft\":3}"),
                Arguments.of(Kind.TOO_MANY, "locked", Map.of("lockedUntil", Instant.parse("2025-03-01T02:05:00Z"),
                        "attemptsLeft", 0), ResponseCode.TOO_MANY_REQUESTS,
                        "{\"lockedUntil\":\"2025-03-01T10:05:00.000+08:00\",\"attemptsLeft\":0}"),
                Arguments.of(Kind.FORBIDDEN, "payment_required", Map.of("feeFen", 150), ResponseCode.FORBIDDEN,
                        "{\"feeFen\":150}"),
                Arguments.of(Kind.FORBIDDEN, "held", Map.of(), ResponseCode.FORBIDDEN, "{}"),
                Arguments.of(Kind.UNAVAILABLE, "door_jammed", Map.of(), ResponseCode.SERVICE_UNAVAILABLE, "{}"),
                Arguments.of(Kind.UNAVAILABLE, "unavailable", Map.of(), ResponseCode.SERVICE_UNAVAILABLE, "{}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void every_refusal_of_the_core_has_its_code_and_extra_fields(Kind kind, String code, Map<String, Object> extra,
            ResponseCode expected, String extraJson) throws Exception {
        f.core.refuse = new LockerException(kind, code, "中文 / English", extra);

        CoapResponse response = f.post("/groups/g1/pickups", "{'code':'12345678'}");

        assertThat(response.getCode()).isEqualTo(expected);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isEqualTo("中文 / English");
        Fixture.JSON.readTree(extraJson).fields().forEachRemaining(e ->
                assertThat(body.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue()));
        assertThat(body.size()).isEqualTo(2 + extra.size());
    }
}
