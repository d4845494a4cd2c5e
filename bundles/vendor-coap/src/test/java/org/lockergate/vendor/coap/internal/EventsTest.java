package org.lockergate.vendor.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.vendor.coap.internal.Fixture.json;
import static org.lockergate.vendor.coap.internal.Fixture.post;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetEvent.Type;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;

/** {@code POST /cabinets/{cabinetId}/events} over real UDP, the core faked. */
class EventsTest {

    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final String TS = "2025-03-01T10:05:00.000+08:00";

    @TempDir
    Path data;

    private Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(data, new Settings(10, Settings.DEFAULTS.unlockTimeout(), 4, true));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void every_event_type_is_mapped_reported_and_acked() throws Exception {
        f.register(f.net.client("/rd?ep=c1"));
        String body = "{\"boot\":3,\"events\":["
                + "{\"seq\":14,\"ts\":\"" + TS + "\",\"type\":\"door\",\"compartment\":\"12\",\"closed\":true},"
                + "{\"seq\":15,\"ts\":\"2025-03-01T02:05:01Z\",\"type\":\"occupancy\",\"compartment\":\"11\","
                + "\"present\":false},"
                + "{\"seq\":16,\"ts\":\"" + TS + "\",\"type\":\"power\",\"power\":\"battery\"},"
                + "{\"seq\":17,\"ts\":\"" + TS + "\",\"type\":\"fault\",\"code\":\"E42\"}]}";

        CoapResponse response = post(f.net.client("/cabinets/c1/events"), body);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(json(response)).isEqualTo(Fixture.JSON.readTree("{\"boot\":3,\"acked\":17}"));
        Instant at = Instant.parse("2025-03-01T02:05:00Z");
        assertThat(f.core.last().link().boots).containsExactly(3L);
        assertThat(f.core.last().link().reports).containsExactly(List.of(
                new CabinetEvent(14, at, Type.DOOR, "12", true, null),
                new CabinetEvent(15, at.plusSeconds(1), Type.OCCUPANCY, "11", false, null),
                new CabinetEvent(16, at, Type.POWER, null, false, "battery"),
                new CabinetEvent(17, at, Type.FAULT, null, true, "E42")));
    }

    @Test
    void tamper_camera_and_power_as_booleans_are_mapped_too() throws Exception {
        f.register(f.net.client("/rd?ep=c1"));
        String body = "{\"boot\":1,\"events\":["
                + "{\"seq\":1,\"ts\":\"" + TS + "\",\"type\":\"tamper\"},"
                + "{\"seq\":2,\"ts\":\"" + TS + "\",\"type\":\"camera\",\"ok\":false},"
                + "{\"seq\":3,\"ts\":\"" + TS + "\",\"type\":\"power\",\"mains\":true,\"battery\":false},"
                + "{\"seq\":4,\"ts\":\"" + TS + "\",\"type\":\"power\",\"battery\":true}]}";

        CoapResponse response = post(f.net.client("/cabinets/c1/events"), body);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        Instant at = Instant.parse("2025-03-01T02:05:00Z");
        assertThat(f.core.last().link().reports.get(0)).containsExactly(
                new CabinetEvent(1, at, Type.TAMPER, null, true, null),
                new CabinetEvent(2, at, Type.CAMERA, null, false, null),
                new CabinetEvent(3, at, Type.POWER, null, true, "mains"),
                new CabinetEvent(4, at, Type.POWER, null, false, "battery"));
    }

    @Test
    void events_of_a_cabinet_without_a_live_registration_are_refused() throws Exception {
        String location = f.register(f.net.client("/rd?ep=c1&lt=30"));
        CoapResponse unknown = post(f.net.client("/cabinets/c2/events"), "{\"boot\":1,\"events\":[]}");
        f.net.client("/" + location).delete();
        CoapResponse deregistered = post(f.net.client("/cabinets/c1/events"), "{\"boot\":1,\"events\":[]}");

        for (CoapResponse response : List.of(unknown, deregistered)) {
            assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(json(response).path("error").asText()).isEqualTo("not_registered");
        }
        assertThat(f.core.last().link().reports).isEmpty();
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{'ts':'" + TS + "','type':'tamper'}|0|events[0].seq",
        "{'seq':0,'ts':'" + TS + "','type':'tamper'}|0|events[0].seq",
        "{'seq':1,'type':'tamper'}|0|events[0].ts",
        "{'seq':1,'ts':'2025-03-01 10:05','type':'tamper'}|0|events[0].ts",
        "{'seq':1,'ts':'2025-03-01T10:05:00','type':'tamper'}|0|events[0].ts",
        "{'seq':1,'ts':'" + TS + "'}|0|events[0].type",
        "{'seq':1,'ts':'" + TS + "','type':'smoke'}|0|events[0].type",
        "{'seq':1,'ts':'" + TS + "','type':'door','closed':true}|0|events[0].compartment",
        "{'seq':1,'ts':'" + TS + "','type':'door','compartment':'99','closed':true}|0|events[0].compartment",
        "{'seq':1,'ts':'" + TS + "','type':'door','compartment':'12','closed':'yes'}|0|events[0].closed",
        "{'seq':1,'ts':'" + TS + "','type':'occupancy','compartment':'12'}|0|events[0].present",
        "{'seq':1,'ts':'" + TS + "','type':'camera'}|0|events[0].ok",
        "{'seq':1,'ts':'" + TS + "','type':'power','power':'solar'}|0|events[0].power",
        "{'seq':1,'ts':'" + TS + "','type':'power'}|0|events[0].mains",
        "{'seq':1,'ts':'" + TS + "','type':'fault'}|0|events[0].code",
        "7|0|events[0]"})
    void a_malformed_event_is_refused_naming_its_index_and_field(String event, int index, String field)
            throws Exception {
        f.register(f.net.client("/rd?ep=c1"));
        String body = "{'boot':3,'events':[" + event + "]}";

        CoapResponse response = post(f.net.client("/cabinets/c1/events"), body.replace('\'', '"'));

        assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        JsonNode error = json(response);
        assertThat(error.path("error").asText()).isEqualTo("bad_event");
        assertThat(error.path("index").asInt(-1)).isEqualTo(index);
        assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(error.path("message").asText()).contains(field);
        assertThat(f.core.last().link().reports).as("nothing of a bad batch is stored").isEmpty();
    }

    @Test
    void the_index_is_that_of_the_bad_event_and_sequence_numbers_must_rise() throws Exception {
        f.register(f.net.client("/rd?ep=c1"));
        String body = "{\"boot\":3,\"events\":[{\"seq\":5,\"ts\":\"" + TS + "\",\"type\":\"tamper\"},"
                + "{\"seq\":5,\"ts\":\"" + TS + "\",\"type\":\"tamper\"}]}";

        JsonNode error = json(post(f.net.client("/cabinets/c1/events"), body));

        assertThat(error.path("index").asInt()).isEqualTo(1);
        assertThat(error.path("field").asText()).isEqualTo("events[1].seq");
    }

    @Test
    void a_missing_boot_or_events_list_is_a_bad_event_without_index() throws Exception {
        f.register(f.net.client("/rd?ep=c1"));

        JsonNode boot = json(post(f.net.client("/cabinets/c1/events"), "{\"events\":[]}"));
        JsonNode events = json(post(f.net.client("/cabinets/c1/events"), "{\"boot\":1}"));

        assertThat(boot.path("field").asText()).isEqualTo("boot");
        assertThat(boot.has("index")).isFalse();
        assertThat(events.path("field").asText()).isEqualTo("events");
    }

    @Test
    void more_events_than_configured_in_one_request_are_refused() throws Exception {
        f.register(f.net.client("/rd?ep=c1"));
        StringBuilder body = new StringBuilder("{\"boot\":1,\"events\":[");
        for (int seq = 1; seq <= 5; seq++) {
            body.append(seq > 1 ? "," : "").append("{\"seq\":").append(seq).append(",\"ts\":\"").append(TS)
                    .append("\",\"type\":\"tamper\"}");
        }

        CoapResponse response = post(f.net.client("/cabinets/c1/events"), body.append("]}").toString());

        assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(json(response).path("error").asText()).isEqualTo("bad_event");
        assertThat(json(response).path("field").asText()).isEqualTo("events");
        assertThat(json(response).path("max").asInt()).isEqualTo(4);
    }

    @Test
    void over_dtls_only_the_cabinet_itself_may_report() throws Exception {
        f.net.psk().put("c1", KEY);
        f.net.psk().put("c2", KEY);
        f.register(f.net.dtlsClient("c1", KEY, "/rd?ep=c1"));
        String body = "{\"boot\":1,\"events\":[{\"seq\":1,\"ts\":\"" + TS + "\",\"type\":\"tamper\"}]}";

        CoapResponse stranger = post(f.net.dtlsClient("c2", KEY, "/cabinets/c1/events"), body);
        CoapResponse plain = post(f.net.client("/cabinets/c1/events"), body);
        CoapResponse own = post(f.net.dtlsClient("c1", KEY, "/cabinets/c1/events"), body);

        assertThat(stranger.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(stranger).path("message").asText()).contains("a DTLS peer may only act for its own id");
        assertThat(plain.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(own.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(f.core.last().link().reports).hasSize(1);
    }

    @Test
    void events_of_an_earlier_boot_are_answered_with_that_boot_and_its_acked_seq() throws Exception {
        f.register(f.net.client("/rd?ep=c1"));
        String body = "{\"boot\":2,\"events\":[{\"seq\":7,\"ts\":\"" + TS + "\",\"type\":\"door\","
                + "\"compartment\":\"12\",\"closed\":true}]}";

        CoapResponse response = post(f.net.client("/cabinets/c1/events"), body);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(json(response)).isEqualTo(Fixture.JSON.readTree("{\"boot\":2,\"acked\":7}"));
        assertThat(f.core.last().link().boots).containsExactly(2L);
    }

    @Test
    void a_boot_the_core_no_longer_accepts_is_a_bad_event_naming_the_boot() throws Exception {
        f.register(f.net.client("/rd?ep=c1"));
        f.core.refuseReport = new LockerException(Kind.BAD_REQUEST, "bad_event", "事件的 boot 1 早于… / Events of "
                + "boot 1 are older than the last 4 boots of cabinet c1 (boot 3-6) and are no longer accepted: drop "
                + "them", java.util.Map.of("field", "boot"));

        CoapResponse response = post(f.net.client("/cabinets/c1/events"), "{\"boot\":1,\"events\":[]}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(json(response).path("error").asText()).isEqualTo("bad_event");
        assertThat(json(response).path("field").asText()).isEqualTo("boot");
    }

    @Test
    void a_refusal_of_the_core_is_answered_with_the_code_of_its_kind() throws Exception {
        f.register(f.net.client("/rd?ep=c1"));
        f.core.refuseReport = new LockerException(Kind.UNAVAILABLE, "store_unavailable", "稍后再试 / try later");

        CoapResponse response = post(f.net.client("/cabinets/c1/events"), "{\"boot\":1,\"events\":[]}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
        assertThat(json(response).path("error").asText()).isEqualTo("store_unavailable");
    }
}
