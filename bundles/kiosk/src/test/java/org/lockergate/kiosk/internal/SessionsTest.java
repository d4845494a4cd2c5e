package org.lockergate.kiosk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.kiosk.internal.Fixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;

/** {@code POST /groups/{groupId}/sessions} over real UDP, the core faked. */
class SessionsTest {

    @TempDir
    Path data;

    private Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(data);
        f.core.session = new CourierSession("S-1", "ZTO-0421", "ZTO", Instant.parse("2025-03-01T02:10:00Z"));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void a_courier_signs_in_with_id_and_pin() throws Exception {
        CoapResponse response = f.post("/groups/g1/sessions", "{'courierId':'ZTO-0421','pin':'123456'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        assertThat(json(response)).isEqualTo(Fixture.JSON.readTree(
                "{\"session\":\"S-1\",\"company\":\"ZTO\",\"expiresAt\":\"2025-03-01T10:10:00.000+08:00\"}"));
        assertThat(f.core.calls).containsExactly("signIn g1 ZTO-0421");
        assertThat(f.core.pin).isEqualTo("123456");
    }

    @Test
    void a_courier_signs_in_with_a_token_from_his_company_app() throws Exception {
        CoapResponse response = f.post("/groups/g1/sessions", "{'token':'tok-abc'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        assertThat(json(response).path("session").asText()).isEqualTo("S-1");
        assertThat(f.core.calls).containsExactly("signInWithToken g1 tok-abc");
    }

    @Test
    void wrong_credentials_answer_4_01_with_attempts_left() throws Exception {
        f.core.refuse = new LockerException(Kind.UNAUTHORIZED, "bad_credentials", "工号或密码错误 / Wrong courier id"
                + " or PIN", Map.of("attemptsLeft", 2));

        CoapResponse response = f.post("/groups/g1/sessions", "{'courierId':'ZTO-0421','pin':'000000'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(json(response)).isEqualTo(Fixture.JSON.readTree("{\"error\":\"bad_credentials\","
                + "\"message\":\"工号或密码错误 / Wrong courier id or PIN\",\"attemptsLeft\":2}"));
    }

    @Test
    void a_locked_courier_id_answers_4_29_with_the_time_it_is_locked_until_with_offset() throws Exception {
        f.core.refuse = new LockerException(Kind.TOO_MANY, "locked", "已锁定 / Locked",
                Map.of("lockedUntil", Instant.parse("2025-03-01T02:15:00Z"), "attemptsLeft", 0));

        CoapResponse response = f.post("/groups/g1/sessions", "{'courierId':'ZTO-0421','pin':'000000'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.TOO_MANY_REQUESTS);
        JsonNode error = json(response);
        assertThat(error.path("error").asText()).isEqualTo("locked");
        assertThat(error.path("lockedUntil").asText()).isEqualTo("2025-03-01T10:15:00.000+08:00");
        assertThat(error.path("attemptsLeft").asInt()).isZero();
    }

    @Test
    void times_follow_the_zone_of_the_gateway_clock() throws Exception {
        f.sessions.clock = Fixture.clock(ZoneOffset.UTC);

        JsonNode answer = json(f.post("/groups/g1/sessions", "{'token':'tok-abc'}"));

        assertThat(answer.path("expiresAt").asText()).isEqualTo("2025-03-01T02:10:00.000+00:00");
    }

    @Test
    void token_and_pin_together_or_a_missing_pin_are_bad_requests_naming_the_field() throws Exception {
        JsonNode both = json(f.post("/groups/g1/sessions", "{'token':'t','courierId':'ZTO-0421','pin':'1'}"));
        JsonNode noPin = json(f.post("/groups/g1/sessions", "{'courierId':'ZTO-0421'}"));
        JsonNode numericPin = json(f.post("/groups/g1/sessions", "{'courierId':'ZTO-0421','pin':123456}"));

        assertThat(both.path("error").asText()).isEqualTo("bad_request");
        assertThat(both.path("field").asText()).isEqualTo("token");
        assertThat(noPin.path("field").asText()).isEqualTo("pin");
        assertThat(numericPin.path("field").asText()).isEqualTo("pin");
        assertThat(f.core.calls).isEmpty();
    }

    @Test
    void an_unknown_group_is_4_04() throws Exception {
        CoapResponse response = f.post("/groups/g9/sessions", "{'token':'tok-abc'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(json(response).path("error").asText()).isEqualTo("unknown_group");
        assertThat(f.core.calls).isEmpty();
    }
}
