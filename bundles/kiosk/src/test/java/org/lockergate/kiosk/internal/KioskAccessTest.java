package org.lockergate.kiosk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lockergate.kiosk.internal.Fixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.model.CabinetGroup;

/**
 * DESIGN §4, D6: a DTLS kiosk identity acts only for its own group (configured {@code kioskGroups} first, then the
 * {@code kiosk-G} / {@code G-kiosk} convention); plain CoAP is allowed unless {@code requireDtls}. Over real UDP and
 * DTLS, on every kiosk route.
 */
class KioskAccessTest {

    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final String SIGN_IN = "{'courierId':'YUNDA-0001','pin':'123456'}";

    @TempDir
    Path data;

    private Fixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private void start(KioskAccess access) throws Exception {
        f = new Fixture(data, 8, access);
        f.core.groups.add(new CabinetGroup("g2", "阳光小区 2 号柜", null));
        f.core.session = new CourierSession("S-1", "YUNDA-0001", "YUNDA", Instant.parse("2025-03-01T02:00:00Z"));
    }

    private CoapClient dtls(String identity, String path) throws Exception {
        f.net.psk().put(identity, KEY);
        return f.net.dtlsClient(identity, KEY, path);
    }

    @Test
    void a_configured_identity_acts_for_its_group() throws Exception {
        start(new KioskAccess(Map.of("screen-7", "g1"), false));

        CoapResponse response = Fixture.post(dtls("screen-7", "/groups/g1/sessions"), SIGN_IN);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        assertThat(f.core.calls).containsExactly("signIn g1 YUNDA-0001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kiosk-g1", "g1-kiosk"})
    void an_identity_named_after_the_group_acts_for_it_without_configuration(String identity) throws Exception {
        start(KioskAccess.DEFAULT);

        CoapResponse response = Fixture.post(dtls(identity, "/groups/g1/sessions"), SIGN_IN);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        assertThat(f.core.calls).containsExactly("signIn g1 YUNDA-0001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kiosk-g2", "g2-kiosk", "c5", "kiosk-g1x", "screen-7"})
    void another_identity_is_forbidden_and_the_core_is_not_asked(String identity) throws Exception {
        start(new KioskAccess(Map.of("screen-7", "g2"), false));

        CoapResponse response = Fixture.post(dtls(identity, "/groups/g1/sessions"), SIGN_IN);

        assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        JsonNode body = json(response);
        assertThat(body.get("error").asText()).isEqualTo("forbidden");
        assertThat(body.get("identity").asText()).isEqualTo(identity);
        assertThat(body.get("groupId").asText()).isEqualTo("g1");
        assertThat(body.get("message").asText())
                .contains("终端 " + identity + " 只能操作自己的柜组")
                .contains("Kiosk " + identity + " may only act for its own group")
                .contains("g1");
        assertThat(f.core.calls).isEmpty();
    }

    @Test
    void the_configuration_comes_before_the_convention() throws Exception {
        start(new KioskAccess(Map.of("kiosk-g1", "g2"), false));

        assertThat(Fixture.post(dtls("kiosk-g1", "/groups/g1/sessions"), SIGN_IN).getCode())
                .isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(Fixture.post(dtls("kiosk-g1", "/groups/g2/sessions"), SIGN_IN).getCode())
                .isEqualTo(ResponseCode.CREATED);
        assertThat(f.core.calls).containsExactly("signIn g2 YUNDA-0001");
    }

    @Test
    void a_foreign_kiosk_is_forbidden_before_it_learns_whether_the_group_exists() throws Exception {
        start(KioskAccess.DEFAULT);

        CoapResponse response = Fixture.post(dtls("kiosk-g1", "/groups/g9/sessions"), SIGN_IN);

        assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(response).get("error").asText()).isEqualTo("forbidden");
    }

    static Stream<Arguments> routes() {
        return Stream.of(
                Arguments.of("/groups/g1/sessions", "POST", SIGN_IN),
                Arguments.of("/groups/g1/deposits", "POST", "{}"),
                Arguments.of("/groups/g1/pickups", "POST", "{'code':'01234567'}"),
                Arguments.of("/groups/g1/rejections", "POST", "{'parcelId':'P-1','reason':'broken'}"),
                Arguments.of("/groups/g1/withdrawals", "POST", "{'session':'S-1','parcelId':'P-1'}"),
                Arguments.of("/groups/g1/recalls?session=S-1", "GET", null),
                Arguments.of("/groups/g1/state", "GET", null));
    }

    private static CoapResponse send(CoapClient client, String method, String body) throws Exception {
        return "GET".equals(method) ? client.get() : Fixture.post(client, body);
    }

    @ParameterizedTest
    @MethodSource("routes")
    void every_kiosk_route_refuses_another_groups_kiosk(String path, String method, String body) throws Exception {
        start(KioskAccess.DEFAULT);

        CoapResponse response = send(dtls("kiosk-g2", path), method, body);

        assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(response).get("error").asText()).isEqualTo("forbidden");
        assertThat(f.core.calls).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("routes")
    void every_kiosk_route_refuses_plain_coap_when_dtls_is_required(String path, String method, String body)
            throws Exception {
        start(new KioskAccess(Map.of(), true));

        CoapResponse response = send(f.net.client(path), method, body);

        assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(response).get("error").asText()).isEqualTo("dtls_required");
        assertThat(f.core.calls).isEmpty();
    }

    @Test
    void with_dtls_required_the_groups_own_kiosk_still_passes() throws Exception {
        start(new KioskAccess(Map.of(), true));

        CoapResponse response = Fixture.post(dtls("kiosk-g1", "/groups/g1/sessions"), SIGN_IN);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
    }

    @Test
    void plain_coap_is_allowed_by_default() throws Exception {
        start(KioskAccess.DEFAULT);

        CoapResponse response = Fixture.post(f.net.client("/groups/g1/sessions"), SIGN_IN);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        assertThat(f.core.calls).containsExactly("signIn g1 YUNDA-0001");
    }

    @Test
    void kiosk_groups_are_parsed_as_kiosk_equals_group() {
        assertThat(KioskAccess.parse(new String[] {" screen-7 = g1 ", "", "screen-8=g2", "screen-7=g1"}))
                .containsExactly(Map.entry("screen-7", "g1"), Map.entry("screen-8", "g2"));
        assertThat(KioskAccess.parse(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"screen-7", "=g1", "screen-7=", "a=b=c"})
    void a_malformed_kiosk_groups_entry_is_refused(String entry) {
        assertThatThrownBy(() -> KioskAccess.parse(new String[] {entry}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kioskId=groupId");
    }

    @Test
    void a_kiosk_given_two_groups_is_refused() {
        assertThatThrownBy(() -> KioskAccess.parse(new String[] {"screen-7=g1", "screen-7=g2"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two groups");
    }
}
