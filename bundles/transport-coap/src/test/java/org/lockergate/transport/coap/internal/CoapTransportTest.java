package org.lockergate.transport.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapResponseCode;

/** The server side over real UDP on 127.0.0.1, with Californium's CoapClient as the cabinet or kiosk. */
class CoapTransportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new CBORMapper();

    @TempDir
    Path data;

    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new TestGateway(data);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void registration_gets_query_parameters_location_path_and_json_answer() throws Exception {
        AtomicReference<CoapCall> seen = new AtomicReference<>();
        gateway.register(call -> {
            seen.set(call);
            call.setLocationPath("/rd/" + call.query("ep").orElseThrow() + "-1");
            call.respond(CoapResponseCode.CREATED, Map.of("heartbeat", 10));
        }, "/rd", "POST", false);

        CoapResponse response = gateway.client("/rd?ep=c1&lt=60").post("{\"vendor\":\"acme\"}",
                MediaTypeRegistry.APPLICATION_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        assertThat(response.getOptions().getLocationPathString()).isEqualTo("rd/c1-1");
        assertThat(response.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"heartbeat\":10}"));
        CoapCall call = seen.get();
        assertThat(call.queryParameters()).containsExactly(Map.entry("ep", "c1"), Map.entry("lt", "60"));
        assertThat(call.json().path("vendor").asText()).isEqualTo("acme");
        assertThat(call.peer().getAddress().isLoopbackAddress()).isTrue();
        assertThat(call.secure()).isFalse();
        assertThat(call.peerIdentity()).isEmpty();
        assertThat(call.template()).isEqualTo("/rd");
    }

    @Test
    void path_variables_reach_the_handler() throws Exception {
        gateway.register(call -> call.respond(CoapResponseCode.CHANGED, Map.of(
                "group", call.pathVariable("groupId"), "path", call.path(), "method", call.method().name())),
                "/groups/{groupId}/pickups", "POST", false);

        CoapResponse response = gateway.client("/groups/g7/pickups").post("{\"code\":\"12345678\"}",
                MediaTypeRegistry.APPLICATION_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(json(response)).isEqualTo(JSON.readTree(
                "{\"group\":\"g7\",\"path\":\"/groups/g7/pickups\",\"method\":\"POST\"}"));
    }

    @Test
    void a_literal_template_beats_a_variable_one() throws Exception {
        gateway.register(call -> call.respond(CoapResponseCode.CONTENT, Map.of("by", "variable")), "/rd/{regId}",
                "GET", false);
        gateway.register(call -> call.respond(CoapResponseCode.CONTENT, Map.of("by", "literal")), "/rd/lookup",
                "GET", false);

        assertThat(json(gateway.client("/rd/lookup").get()).path("by").asText()).isEqualTo("literal");
        assertThat(json(gateway.client("/rd/r42").get()).path("by").asText()).isEqualTo("variable");
    }

    @Test
    void unknown_path_and_removed_handler_get_404_with_json_error() throws Exception {
        long id = gateway.register(call -> call.respond(CoapResponseCode.CONTENT, Map.of()), "/cabinets/{cabinetId}/state",
                "GET", false);
        CoapClient client = gateway.client("/cabinets/c1/state");
        assertThat(client.get().getCode()).isEqualTo(ResponseCode.CONTENT);

        gateway.unregister(id);
        CoapResponse gone = client.get();
        CoapResponse unknown = gateway.client("/nothing/here").get();

        for (CoapResponse response : List.of(gone, unknown)) {
            assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
            assertThat(response.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
            assertThat(json(response).path("error").asText()).isEqualTo("not_found");
            assertThat(json(response).path("message").asText()).contains("No resource at /");
        }
    }

    @Test
    void a_method_the_handler_does_not_declare_gets_405_naming_the_allowed_ones() throws Exception {
        gateway.register(call -> call.respond(CoapResponseCode.CHANGED), "/cabinets/{cabinetId}/events", "POST",
                false);

        CoapResponse response = gateway.client("/cabinets/c1/events").get();

        assertThat(response.getCode()).isEqualTo(ResponseCode.METHOD_NOT_ALLOWED);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo("method_not_allowed");
        assertThat(body.path("allowed")).isEqualTo(JSON.readTree("[\"POST\"]"));
    }

    @Test
    void cbor_request_is_read_and_answered_in_cbor_when_asked() throws Exception {
        gateway.register(call -> call.respond(CoapResponseCode.CHANGED,
                Map.of("boot", call.json().path("boot").asInt(), "acked", 17)), "/cabinets/{cabinetId}/events",
                "POST", false);
        byte[] body = CBOR.writeValueAsBytes(Map.of("boot", 3, "events", List.of()));

        CoapResponse response = gateway.client("/cabinets/c1/events").post(body, MediaTypeRegistry.APPLICATION_CBOR,
                MediaTypeRegistry.APPLICATION_CBOR);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(response.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_CBOR);
        assertThat(CBOR.readTree(response.getPayload())).isEqualTo(JSON.readTree("{\"boot\":3,\"acked\":17}"));
    }

    @Test
    void json_body_binds_to_a_record_and_a_misfit_field_is_named() throws Exception {
        record Pickup(String code, int attempts) {}
        gateway.register(call -> call.respond(CoapResponseCode.CHANGED, call.json(Pickup.class)),
                "/groups/{groupId}/pickups", "POST", false);
        CoapClient client = gateway.client("/groups/g1/pickups");

        CoapResponse ok = client.post("{\"code\":\"1\",\"attempts\":2,\"extra\":true}", MediaTypeRegistry.APPLICATION_JSON);
        CoapResponse bad = client.post("{\"code\":\"1\",\"attempts\":\"many\"}", MediaTypeRegistry.APPLICATION_JSON);

        assertThat(json(ok)).isEqualTo(JSON.readTree("{\"code\":\"1\",\"attempts\":2}"));
        assertThat(bad.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(json(bad).path("error").asText()).isEqualTo("bad_json");
        assertThat(json(bad).path("field").asText()).isEqualTo("attempts");
    }

    @Test
    void bad_json_gets_400_saying_where() throws Exception {
        gateway.register(call -> call.respond(CoapResponseCode.CHANGED, call.json()), "/groups/{groupId}/pickups",
                "POST", false);
        CoapClient client = gateway.client("/groups/g1/pickups");

        CoapResponse broken = client.post("{\"code\": 12,}", MediaTypeRegistry.APPLICATION_JSON);
        CoapResponse empty = client.post(new byte[0], MediaTypeRegistry.APPLICATION_JSON);

        assertThat(broken.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(json(broken).path("error").asText()).isEqualTo("bad_json");
        assertThat(json(broken).path("message").asText()).contains("Invalid JSON body: line 1, column 13");
        assertThat(json(empty).path("error").asText()).isEqualTo("bad_json");
        assertThat(json(empty).path("message").asText()).contains("no body");
    }

    @Test
    void a_content_format_other_than_json_or_cbor_gets_415() throws Exception {
        gateway.register(call -> call.respond(CoapResponseCode.CHANGED, call.json()), "/groups/{groupId}/pickups",
                "POST", false);

        CoapResponse response = gateway.client("/groups/g1/pickups").post("code=1", MediaTypeRegistry.TEXT_PLAIN);

        assertThat(response.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo("unsupported_content_format");
        assertThat(body.path("message").asText()).contains("Unsupported content format 0 (text/plain)");
        assertThat(body.path("contentFormat").asInt()).isEqualTo(0);
    }

    @Test
    void an_oversized_body_gets_413_in_one_datagram_and_blockwise() throws Exception {
        gateway.close();
        gateway = new TestGateway(TransportSettings.loopback().withLimits(600, 4, 16), data.resolve("small"));
        List<Integer> handled = new CopyOnWriteArrayList<>();
        gateway.register(call -> {
            handled.add(call.payload().length);
            call.respond(CoapResponseCode.CHANGED);
        }, "/cabinets/{cabinetId}/events", "POST", false);
        CoapClient client = gateway.client("/cabinets/c1/events");

        CoapResponse single = client.post(new byte[700], MediaTypeRegistry.APPLICATION_JSON); // < 1024: one datagram
        CoapResponse blockwise = client.post(new byte[3000], MediaTypeRegistry.APPLICATION_JSON); // block1 transfer
        CoapResponse fits = client.post(new byte[600], MediaTypeRegistry.APPLICATION_JSON);

        for (CoapResponse response : List.of(single, blockwise)) {
            assertThat(response.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
            assertThat(response.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
            assertThat(json(response).path("error").asText()).isEqualTo("too_large");
            assertThat(json(response).path("maxBytes").asInt()).isEqualTo(600);
        }
        assertThat(fits.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(handled).containsExactly(600);
    }

    @Test
    void a_throwing_handler_gets_500_with_a_generic_body_and_one_log_line() throws Exception {
        gateway.register(call -> {
            throw new IllegalStateException("secret internals at line 42");
        }, "/groups/{groupId}/deposits", "POST", false);

        CoapResponse response;
        try (LogCapture log = new LogCapture()) {
            response = gateway.client("/groups/g1/deposits").post("{}", MediaTypeRegistry.APPLICATION_JSON);
            assertThat(log.lines("ERROR")).singleElement().asString()
                    .contains("CoAP handler failed", "POST /groups/g1/deposits", "IllegalStateException");
            assertThat(log.text()).doesNotContain("\tat ");
        }

        assertThat(response.getCode()).isEqualTo(ResponseCode.INTERNAL_SERVER_ERROR);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo("internal_error");
        assertThat(response.getResponseText()).doesNotContain("secret", "IllegalState", "at org.");
    }

    @Test
    void a_coap_exception_becomes_the_spec_error_body_with_extra_fields() throws Exception {
        gateway.register(call -> {
            throw new CoapException(CoapResponseCode.FORBIDDEN, "wrong_code", "取件码错误 / Wrong pickup code")
                    .with("attemptsLeft", 2);
        }, "/groups/{groupId}/pickups", "POST", false);

        CoapResponse response = gateway.client("/groups/g1/pickups").post("{}", MediaTypeRegistry.APPLICATION_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(response.getResponseText()).isEqualTo(
                "{\"error\":\"wrong_code\",\"message\":\"取件码错误 / Wrong pickup code\",\"attemptsLeft\":2}");
    }

    @Test
    void a_full_handler_pool_answers_503_busy_at_once() throws Exception {
        gateway.close();
        gateway = new TestGateway(TransportSettings.loopback().withLimits(8192, 1, 1), data.resolve("busy"));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        gateway.register(call -> {
            first.countDown();
            release.await(10, TimeUnit.SECONDS);
            call.respond(CoapResponseCode.CHANGED);
        }, "/groups/{groupId}/deposits", "POST", false);
        BlockingQueue<CoapResponse> answers = new LinkedBlockingQueue<>();
        try {
            gateway.client("/groups/g1/deposits").post(handler(answers), "{}", MediaTypeRegistry.APPLICATION_JSON);
            assertThat(first.await(5, TimeUnit.SECONDS)).isTrue(); // the one thread is busy
            gateway.client("/groups/g1/deposits").post(handler(answers), "{}", MediaTypeRegistry.APPLICATION_JSON);
            Thread.sleep(200); // the second waits in the queue of one

            long started = System.nanoTime();
            CoapResponse busy = gateway.client("/groups/g1/deposits").post("{}", MediaTypeRegistry.APPLICATION_JSON);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(busy.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
            assertThat(json(busy).path("error").asText()).isEqualTo("busy");
            assertThat(busy.getOptions().getMaxAge()).isEqualTo(1);
            assertThat(millis).isLessThan(1000);
        } finally {
            release.countDown();
        }
        assertThat(answers.poll(5, TimeUnit.SECONDS).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(answers.poll(5, TimeUnit.SECONDS).getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    @Test
    void observers_get_a_notification_after_changed_and_404_when_the_handler_goes() throws Exception {
        AtomicReference<String> state = new AtomicReference<>("FREE");
        List<Boolean> notifications = new CopyOnWriteArrayList<>();
        long id = gateway.register(call -> {
            notifications.add(call.notification());
            call.respond(CoapResponseCode.CONTENT, Map.of("group", call.pathVariable("groupId"), "state", state.get()));
        }, "/groups/{groupId}/state", "GET", true);
        BlockingQueue<CoapResponse> received = new LinkedBlockingQueue<>();
        CoapClient client = gateway.client("/groups/g1/state");

        CoapObserveRelation relation = client.observeAndWait(handler(received));
        assertThat(relation.isCanceled()).isFalse();
        CoapResponse initial = received.poll(5, TimeUnit.SECONDS);
        assertThat(initial.getOptions().hasObserve()).isTrue();
        assertThat(json(initial).path("state").asText()).isEqualTo("FREE");

        state.set("OCCUPIED");
        gateway.transport.changed("/groups/g2/state"); // another group: nobody observes it
        gateway.transport.changed("/groups/g1/state");

        CoapResponse notification = received.poll(5, TimeUnit.SECONDS);
        assertThat(notification).isNotNull();
        assertThat(json(notification).path("state").asText()).isEqualTo("OCCUPIED");
        assertThat(notification.getOptions().getObserve()).isGreaterThan(initial.getOptions().getObserve());
        assertThat(notifications).containsExactly(false, true);

        gateway.unregister(id);
        CoapResponse ended = received.poll(5, TimeUnit.SECONDS);
        assertThat(ended.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(json(ended).path("error").asText()).isEqualTo("not_found");
        relation.proactiveCancel();
    }

    @Test
    void a_slow_handler_gets_an_empty_ack_first_and_a_separate_response() throws Exception {
        gateway.close();
        gateway = new TestGateway(new TransportSettings("127.0.0.1", 0, null, 8192, 4, 16,
                java.time.Duration.ofMillis(300), java.time.Duration.ofSeconds(2)), data.resolve("slow"));
        gateway.register(call -> {
            Thread.sleep(1200);
            call.respond(CoapResponseCode.CHANGED, Map.of("unlock", "opened"));
        }, "/groups/{groupId}/pickups", "POST", false);
        Request request = Request.newPost();
        request.setURI(gateway.uri("/groups/g1/pickups"));
        request.setPayload("{}");
        List<String> events = new ArrayList<>();
        request.addMessageObserver(new org.eclipse.californium.core.coap.MessageObserverAdapter() {
            @Override
            public void onAcknowledgement() {
                events.add("ack");
            }
        });

        CoapResponse response = gateway.client("/").advanced(request);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(response.advanced().getType()).isEqualTo(CoAP.Type.CON); // separate, not piggybacked
        assertThat(events).containsExactly("ack");
    }

    private static org.eclipse.californium.core.CoapHandler handler(BlockingQueue<CoapResponse> into) {
        return new org.eclipse.californium.core.CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                into.add(response);
            }

            @Override
            public void onError() {}
        };
    }

    private static JsonNode json(CoapResponse response) throws Exception {
        return JSON.readTree(new String(response.getPayload(), StandardCharsets.UTF_8));
    }
}
