package org.lockergate.vendor.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.vendor.coap.internal.Fixture.descriptor;
import static org.lockergate.vendor.coap.internal.Fixture.json;
import static org.lockergate.vendor.coap.internal.Fixture.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CompartmentSpec;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.model.SizeClass;

/** {@code POST /rd}, {@code POST /rd/{regId}}, {@code DELETE /rd/{regId}} over real UDP, the core faked. */
class RegistrationTest {

    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    @TempDir
    Path data;

    private Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(data);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void registration_attaches_the_cabinet_and_answers_its_location_and_the_heartbeat() throws Exception {
        CoapResponse response = post(f.net.client("/rd?ep=c1&lt=60"), descriptor("g1"));

        assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        assertThat(response.getOptions().getLocationPathString()).matches("rd/[0-9a-f]{16}");
        assertThat(json(response)).isEqualTo(Fixture.JSON.readTree("{\"heartbeat\":10}"));
        CabinetDescriptor attached = f.core.last().descriptor();
        assertThat(attached).isEqualTo(new CabinetDescriptor("c1", "g1", "coap", "acme M1", "1.4.2", 3, List.of(
                new CompartmentSpec("11", SizeClass.S, 1, 11), new CompartmentSpec("12", SizeClass.M, 1, 12))));
        assertThat(f.core.last().driver()).isInstanceOf(CoapCabinetDriver.class);
        assertThat(f.vendor.cabinetIds()).containsExactly("c1");
    }

    @Test
    void the_heartbeat_told_to_cabinets_follows_the_configuration() throws Exception {
        f.vendor.update(new Settings(30, Settings.DEFAULTS.unlockTimeout(), 256, true));

        CoapResponse response = post(f.net.client("/rd?ep=c1&lt=90"), descriptor("g1"));

        assertThat(json(response).path("heartbeat").asInt()).isEqualTo(30);
    }

    static Stream<Arguments> bad_descriptors() {
        return Stream.of(
                bad("/rd?lt=60", d -> { }, "ep"),
                bad("/rd?ep=c%201&lt=60", d -> { }, "ep"),
                bad("/rd?ep=c1&lt=5", d -> { }, "lt"),
                bad("/rd?ep=c1&lt=soon", d -> { }, "lt"),
                bad("/rd?ep=c1", d -> d.remove("vendor"), "vendor"),
                bad("/rd?ep=c1", d -> d.put("model", ""), "model"),
                bad("/rd?ep=c1", d -> d.remove("firmware"), "firmware"),
                bad("/rd?ep=c1", d -> d.put("boot", -1), "boot"),
                bad("/rd?ep=c1", d -> d.put("boot", "3"), "boot"),
                bad("/rd?ep=c1", d -> d.remove("groupId"), "groupId"),
                bad("/rd?ep=c1", d -> d.putArray("compartments"), "compartments"),
                bad("/rd?ep=c1", d -> ((ObjectNode) d.get("compartments").get(1)).put("size", "XL"),
                        "compartments[1].size"),
                bad("/rd?ep=c1", d -> ((ObjectNode) d.get("compartments").get(0)).put("channel", 0),
                        "compartments[0].channel"),
                bad("/rd?ep=c1", d -> ((ObjectNode) d.get("compartments").get(0)).remove("board"),
                        "compartments[0].board"),
                bad("/rd?ep=c1", d -> ((ObjectNode) d.get("compartments").get(0)).put("compartment", "a/b"),
                        "compartments[0].compartment"),
                bad("/rd?ep=c1", d -> ((ObjectNode) d.get("compartments").get(1)).put("compartment", "11"),
                        "compartments[1].compartment"),
                bad("/rd?ep=c1", d -> ((ObjectNode) d.get("compartments").get(1)).put("channel", 11),
                        "compartments[1].channel"));
    }

    private static Arguments bad(String uri, Consumer<ObjectNode> change, String field) {
        ObjectNode d = descriptor("g1");
        change.accept(d);
        return Arguments.of(uri, d, field);
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("bad_descriptors")
    void a_bad_descriptor_is_refused_naming_the_field(String uri, ObjectNode body, String field) throws Exception {
        CoapResponse response = post(f.net.client(uri), body);

        assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        JsonNode error = json(response);
        assertThat(error.path("error").asText()).isEqualTo("bad_descriptor");
        assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(error.path("message").asText()).contains(field).contains("Bad descriptor");
        assertThat(f.core.attached).isEmpty();
    }

    @Test
    void unknown_group_and_unknown_cabinet_from_the_core_are_4_03_whatever_their_kind() throws Exception {
        f.core.refuseAttach = new LockerException(Kind.NOT_FOUND, "unknown_group", "未知的柜组 g9 / Unknown group g9");
        CoapResponse group = post(f.net.client("/rd?ep=c1"), descriptor("g9"));
        f.core.refuseAttach = new LockerException(Kind.FORBIDDEN, "unknown_cabinet", "未配置 / not configured");
        CoapResponse cabinet = post(f.net.client("/rd?ep=c1"), descriptor("g1"));

        assertThat(group.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(group).path("error").asText()).isEqualTo("unknown_group");
        assertThat(json(group).path("message").asText()).contains("Unknown group g9");
        assertThat(cabinet.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(cabinet).path("error").asText()).isEqualTo("unknown_cabinet");
        assertThat(f.vendor.cabinetIds()).isEmpty();
    }

    @Test
    void a_dtls_peer_may_only_register_its_own_id() throws Exception {
        f.net.psk().put("c1", KEY);

        CoapResponse other = post(f.net.dtlsClient("c1", KEY, "/rd?ep=c2"), descriptor("g1"));
        CoapResponse own = post(f.net.dtlsClient("c1", KEY, "/rd?ep=c1"), descriptor("g1"));

        assertThat(other.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(other).path("error").asText()).isEqualTo("forbidden");
        assertThat(json(other).path("message").asText()).contains("a DTLS peer may only act for its own id");
        assertThat(own.getCode()).isEqualTo(ResponseCode.CREATED);
        assertThat(f.core.attached).hasSize(1);
    }

    @Test
    void a_cabinet_with_a_dtls_key_may_not_register_over_plain_coap() throws Exception {
        f.net.psk().put("c1", KEY);

        CoapResponse response = post(f.net.client("/rd?ep=c1"), descriptor("g1"));

        assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(response).path("message").asText()).contains("has a DTLS key: use CoAPs");
        assertThat(f.core.attached).isEmpty();
    }

    @Test
    void a_heartbeat_refreshes_the_registration_and_reaches_the_core() throws Exception {
        String location = f.register(f.net.client("/rd?ep=c1&lt=60"));

        CoapResponse response = f.net.client("/" + location).post(new byte[0], -1);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(f.core.last().link().heartbeats).isEqualTo(1);
    }

    @Test
    void a_refresh_from_another_address_moves_the_registration_there() throws Exception {
        String location = f.register(f.net.client("/rd?ep=c1&lt=60"));
        CoapEndpoint moved = f.net.plainEndpoint();

        f.net.client(moved, "/" + location).post(new byte[0], -1);

        Registration registration = f.vendor.registrations().ofCabinet("c1").orElseThrow();
        assertThat(registration.peer().address().getPort()).isEqualTo(moved.getAddress().getPort());
    }

    @Test
    void an_unknown_registration_is_4_04_so_the_cabinet_registers_again() throws Exception {
        CoapResponse heartbeat = f.net.client("/rd/0123456789abcdef").post(new byte[0], -1);
        CoapResponse delete = f.net.client("/rd/0123456789abcdef").delete();

        for (CoapResponse response : List.of(heartbeat, delete)) {
            assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
            assertThat(json(response).path("error").asText()).isEqualTo("unknown_registration");
            assertThat(json(response).path("message").asText()).contains("register again");
        }
    }

    @Test
    void delete_detaches_the_cabinet_and_forgets_the_registration() throws Exception {
        String location = f.register(f.net.client("/rd?ep=c1&lt=60"));

        CoapResponse deleted = f.net.client("/" + location).delete();
        CoapResponse heartbeat = f.net.client("/" + location).post(new byte[0], -1);

        assertThat(deleted.getCode()).isEqualTo(ResponseCode.DELETED);
        assertThat(f.core.last().link().detached).containsExactly("deregistered");
        assertThat(heartbeat.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(f.vendor.cabinetIds()).isEmpty();
    }

    @Test
    void registering_again_replaces_the_old_registration() throws Exception {
        String first = f.register(f.net.client("/rd?ep=c1&lt=60"));
        String second = f.register(f.net.client("/rd?ep=c1&lt=60"));

        assertThat(second).isNotEqualTo(first);
        assertThat(f.net.client("/" + first).post(new byte[0], -1).getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(f.net.client("/" + second).post(new byte[0], -1).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(f.core.attached).hasSize(2);
        assertThat(f.core.attached.get(0).link().detached).as("the core replaced that link itself").isEmpty();
        assertThat(f.vendor.cabinetIds()).containsExactly("c1");
    }

    @Test
    void a_registration_not_refreshed_within_its_lifetime_expires_and_detaches() throws Exception {
        String location = f.register(f.net.client("/rd?ep=c1&lt=30"));
        f.advanceSeconds(20);
        assertThat(f.net.client("/" + location).post(new byte[0], -1).getCode()).isEqualTo(ResponseCode.CHANGED);

        f.advanceSeconds(29);
        f.vendor.sweep();
        assertThat(f.core.last().link().detached).isEmpty();
        f.advanceSeconds(1);
        f.vendor.sweep();

        assertThat(f.core.last().link().detached).containsExactly("registration expired (lt 30 s)");
        assertThat(f.vendor.cabinetIds()).isEmpty();
        assertThat(f.net.client("/" + location).post(new byte[0], -1).getCode()).isEqualTo(ResponseCode.NOT_FOUND);
    }

    @Test
    void an_expired_registration_is_unknown_even_before_the_sweep() throws Exception {
        String location = f.register(f.net.client("/rd?ep=c1&lt=30"));
        f.advanceSeconds(31);

        CoapResponse response = f.net.client("/" + location).post(new byte[0], -1);

        assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(f.core.last().link().detached).containsExactly("registration expired (lt 30 s)");
        assertThat(f.core.last().link().heartbeats).isZero();
    }

    @Test
    void without_lt_a_registration_lives_the_rfc_9176_default_of_25_hours() throws Exception {
        f.register(f.net.client("/rd?ep=c1"));

        f.advanceSeconds(89_999);
        assertThat(f.vendor.cabinetIds()).containsExactly("c1");
        f.advanceSeconds(1);
        assertThat(f.vendor.cabinetIds()).isEmpty();
    }

    @Test
    void a_dtls_registration_can_only_be_refreshed_over_dtls_by_its_cabinet() throws Exception {
        f.net.psk().put("c1", KEY);
        f.net.psk().put("c2", KEY);
        CoapEndpoint cabinet = f.net.dtlsEndpoint("c1", KEY);
        String location = f.register(f.net.dtlsClient(cabinet, "/rd?ep=c1"));

        CoapResponse plain = f.net.client("/" + location).post(new byte[0], -1);
        CoapResponse stranger = f.net.dtlsClient("c2", KEY, "/" + location).post(new byte[0], -1);
        CoapResponse own = f.net.dtlsClient(cabinet, "/" + location).post(new byte[0], -1);

        assertThat(plain.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(stranger.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(own.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(f.core.last().link().heartbeats).isEqualTo(1);
    }

    @Test
    void closing_detaches_every_cabinet_and_refuses_later_registrations() throws Exception {
        f.register(f.net.client("/rd?ep=c1"));
        FakeCore.Link first = f.core.last().link();

        f.vendor.close();
        CoapResponse late = post(f.net.client("/rd?ep=c2"), descriptor("g1"));

        assertThat(first.detached).containsExactly("vendor bundle stopping");
        assertThat(late.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
        assertThat(f.core.last().link().detached).containsExactly("vendor bundle stopping");
        assertThat(f.vendor.cabinetIds()).isEmpty();
    }
}
