package org.lockergate.kiosk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.kiosk.internal.Fixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Declaration;
import org.lockergate.api.model.SizeClass;

/** {@code POST /groups/{groupId}/deposits} over real UDP, the core faked. */
class DepositsTest {

    @TempDir
    Path data;

    private Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(data);
        f.core.deposit = new DepositResult("P-1", "c1", "12", "opened",
                List.of(new DepositResult.Skipped("11", "jammed")), "smallest fit");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** The deposit body of coap-cabinet-v1.md. */
    static ObjectNode body() {
        ObjectNode body = Fixture.JSON.createObjectNode().put("session", "S-1").put("waybill", "ZT1234567890")
                .put("size", "M").put("phone", "13800001234");
        body.putObject("consent").put("channel", "app").put("ref", "C-889").put("at", "2025-03-01T09:00:00+08:00")
                .put("feeTermsAccepted", true);
        body.putObject("declared").put("damaged", false).put("weightMismatch", false).put("fresh", false)
                .put("valuable", false);
        return body;
    }

    @Test
    void a_deposit_opens_a_compartment_and_names_cabinet_compartment_and_skipped_ones() throws Exception {
        CoapResponse response = f.post("/groups/g1/deposits", body());

        assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        assertThat(json(response)).isEqualTo(Fixture.JSON.readTree("{\"parcelId\":\"P-1\",\"cabinetId\":\"c1\","
                + "\"compartment\":\"12\",\"unlock\":\"opened\",\"skipped\":[{\"compartment\":\"11\","
                + "\"outcome\":\"jammed\"}]}"));
        assertThat(f.core.depositRequest).isEqualTo(new DepositRequest("S-1", "ZT1234567890", SizeClass.M,
                "13800001234", new Consent("app", "C-889", Instant.parse("2025-03-01T01:00:00Z"), true),
                new Declaration(false, false, false, false, false), false));
    }

    @Test
    void prefer_low_and_sender_agreed_reach_the_core() throws Exception {
        ObjectNode top = body().put("preferLow", true).put("senderAgreed", true);
        ObjectNode inside = body();
        ((ObjectNode) inside.get("declared")).put("fresh", true).put("senderAgreed", true);

        f.post("/groups/g1/deposits", top);
        DepositRequest first = f.core.depositRequest;
        f.post("/groups/g1/deposits", inside);
        DepositRequest second = f.core.depositRequest;

        assertThat(first.preferLow()).isTrue();
        assertThat(first.declared().senderAgreed()).isTrue();
        assertThat(second.declared()).isEqualTo(new Declaration(false, false, true, false, true));
    }

    @Test
    void without_consent_the_core_decides_and_answers_no_consent() throws Exception {
        ObjectNode body = body();
        body.remove("consent");
        f.core.refuse = new LockerException(Kind.FORBIDDEN, "no_consent", "收件人未同意 / No consent");

        CoapResponse response = f.post("/groups/g1/deposits", body);

        assertThat(f.core.depositRequest.consent()).isNull();
        assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(response).path("error").asText()).isEqualTo("no_consent");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad(b -> b.remove("session"), "session"),
                bad(b -> b.put("session", ""), "session"),
                bad(b -> b.remove("waybill"), "waybill"),
                bad(b -> b.put("waybill", "ZT" + "1".repeat(39)), "waybill"),
                bad(b -> b.put("waybill", "ZT 123"), "waybill"),
                bad(b -> b.put("waybill", "ZT\u00e9123"), "waybill"),
                bad(b -> b.put("size", "XL"), "size"),
                bad(b -> b.put("size", "m"), "size"),
                bad(b -> b.remove("phone"), "phone"),
                bad(b -> b.put("phone", "1380000123"), "phone"),
                bad(b -> b.put("phone", "23800001234"), "phone"),
                bad(b -> b.put("phone", 13800001234L), "phone"),
                bad(b -> b.put("consent", "yes"), "consent"),
                bad(b -> ((ObjectNode) b.get("consent")).remove("channel"), "consent.channel"),
                bad(b -> ((ObjectNode) b.get("consent")).remove("ref"), "consent.ref"),
                bad(b -> ((ObjectNode) b.get("consent")).put("at", "2025-03-01T09:00:00"), "consent.at"),
                bad(b -> ((ObjectNode) b.get("consent")).put("feeTermsAccepted", "yes"),
                        "consent.feeTermsAccepted"),
                bad(b -> b.remove("declared"), "declared"),
                bad(b -> ((ObjectNode) b.get("declared")).remove("fresh"), "declared.fresh"),
                bad(b -> ((ObjectNode) b.get("declared")).put("valuable", 0), "declared.valuable"),
                bad(b -> b.put("preferLow", "yes"), "preferLow"),
                bad(b -> b.put("senderAgreed", 1), "senderAgreed"));
    }

    private static Arguments bad(Consumer<ObjectNode> change, String field) {
        ObjectNode body = body();
        change.accept(body);
        return Arguments.of(body, field);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void a_malformed_body_is_a_bad_request_naming_the_field(ObjectNode body, String field) throws Exception {
        CoapResponse response = f.post("/groups/g1/deposits", body);

        assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        JsonNode error = json(response);
        assertThat(error.path("error").asText()).isEqualTo("bad_request");
        assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(error.path("message").asText()).contains("Bad request: " + field);
        assertThat(f.core.calls).as("the core never sees a malformed deposit").isEmpty();
    }

    static Stream<Arguments> refusals() {
        Map<String, Object> suggest = Map.of("groupId", "g2", "name", "阳光小区 2 号柜", "distanceM", 800);
        return Stream.of(
                Arguments.of(Kind.UNAUTHORIZED, "no_session", Map.of(), ResponseCode.UNAUTHORIZED),
                Arguments.of(Kind.FORBIDDEN, "no_consent", Map.of(), ResponseCode.FORBIDDEN),
                Arguments.of(Kind.FORBIDDEN, "excluded", Map.of(), ResponseCode.FORBIDDEN),
                Arguments.of(Kind.UNAVAILABLE, "full", Map.of("suggest", suggest), ResponseCode.SERVICE_UNAVAILABLE),
                Arguments.of(Kind.UNAVAILABLE, "full", Map.of("suggest", Map.of("station", "驿站 / station")),
                        ResponseCode.SERVICE_UNAVAILABLE),
                Arguments.of(Kind.UNAVAILABLE, "no_working_compartment", Map.of(), ResponseCode.SERVICE_UNAVAILABLE),
                Arguments.of(Kind.UNAVAILABLE, "paused", Map.of(), ResponseCode.SERVICE_UNAVAILABLE),
                Arguments.of(Kind.UNAVAILABLE, "storage_full", Map.of(), ResponseCode.SERVICE_UNAVAILABLE));
    }

    @ParameterizedTest(name = "{1} {3}")
    @MethodSource("refusals")
    void every_refusal_of_the_core_has_its_code_and_extra_fields(Kind kind, String code, Map<String, Object> extra,
            ResponseCode expected) throws Exception {
        f.core.refuse = new LockerException(kind, code, "中文 / English", extra);

        CoapResponse response = f.post("/groups/g1/deposits", body());

        assertThat(response.getCode()).isEqualTo(expected);
        ObjectNode wanted = Fixture.JSON.createObjectNode().put("error", code).put("message", "中文 / English");
        wanted.setAll((ObjectNode) Fixture.JSON.valueToTree(extra));
        assertThat(json(response)).isEqualTo(wanted);
    }

    @Test
    void an_unknown_group_is_4_04_before_the_body_is_read() throws Exception {
        CoapResponse response = f.post("/groups/g9/deposits", "{}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(json(response).path("error").asText()).isEqualTo("unknown_group");
    }
}
