package org.lockergate.devices.coap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.lockergate.devices.coap.internal.Coap;
import org.lockergate.devices.coap.internal.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tiny gateway for tests: the cabinet API ({@code /rd}, {@code /rd/{id}}, {@code /cabinets/{id}/events}) with
 * switches to misbehave, unlocks sent back to the address a cabinet registered from, and the kiosk API with canned
 * or programmed answers. Real UDP (or DTLS-PSK) on 127.0.0.1 and an ephemeral port.
 */
final class FakeGateway implements AutoCloseable {

    /** One registration as received. */
    record Registration(String regId, String ep, List<String> query, JsonNode descriptor, InetSocketAddress peer,
            EndpointContext context) {
    }

    /** One events request as received (after de-duplication by CoAP). */
    record Batch(int boot, List<Long> seqs) {
    }

    /** One kiosk request as received. */
    record KioskCall(String groupId, String resource, JsonNode body) {
    }

    /** A programmed kiosk answer. */
    record Answer(ResponseCode code, JsonNode body) {
        static Answer of(ResponseCode code, String json) {
            try {
                return new Answer(code, Json.JSON_MAPPER.readTree(json));
            } catch (IOException e) {
                throw new IllegalArgumentException(json, e);
            }
        }
    }

    /** Programs the kiosk API: answers one call. */
    interface KioskHandler {
        Answer handle(KioskCall call) throws Exception;
    }

    private final CoapServer server;
    private final CoapEndpoint endpoint;
    private final String scheme;
    private volatile int heartbeatSeconds = 10;

    final List<Registration> registrations = new CopyOnWriteArrayList<>();
    final Map<String, Registration> active = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> heartbeats = new ConcurrentHashMap<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    final List<Batch> batches = new CopyOnWriteArrayList<>();
    /** Every event stored, per cabinet id, in order, without repeats. */
    final Map<String, List<JsonNode>> stored = new ConcurrentHashMap<>();
    final List<KioskCall> kioskCalls = new CopyOnWriteArrayList<>();
    final Map<String, Answer> cannedAnswers = new ConcurrentHashMap<>();

    private final AtomicInteger regCounter = new AtomicInteger();
    private final AtomicInteger dropEventAnswers = new AtomicInteger();
    private volatile int maxAckPerRequest = Integer.MAX_VALUE;
    private volatile boolean requireRegistration = true;
    private volatile KioskHandler kioskHandler = call -> cannedAnswers.getOrDefault(call.resource(),
            Answer.of(ResponseCode.NOT_FOUND, "{\"error\":\"not_found\",\"message\":\"no canned answer\"}"));
    private final Map<String, Map<Integer, Long>> lastStoredSeq = new ConcurrentHashMap<>();
    private final GroupsResource groups = new GroupsResource();

    private FakeGateway(Map<String, byte[]> psks) throws IOException {
        Configuration config = Coap.configuration(Duration.ofMillis(100));
        // kiosk handlers block on unlocks whose answers need another protocol thread
        config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 4);
        InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 0);
        if (psks == null) {
            endpoint = new CoapEndpoint.Builder().setConfiguration(config).setInetSocketAddress(bind).build();
            scheme = "coap";
        } else {
            AdvancedMultiPskStore store = new AdvancedMultiPskStore();
            psks.forEach(store::setKey);
            DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config).setAddress(bind)
                    .setAdvancedPskStore(store).build();
            endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls))
                    .build();
            scheme = "coaps";
        }
        server = new CoapServer(config);
        server.addEndpoint(endpoint);
        server.add(new RdResource(), new CabinetsResource(), groups);
        server.start();
    }

    static FakeGateway start() throws IOException {
        return new FakeGateway(null);
    }

    /** A gateway on DTLS-PSK that knows these identities and keys. */
    static FakeGateway startSecure(Map<String, byte[]> psks) throws IOException {
        return new FakeGateway(psks);
    }

    URI uri() {
        return URI.create(scheme + "://127.0.0.1:" + endpoint.getAddress().getPort());
    }

    @Override
    public void close() {
        server.destroy();
    }

    // ---------------------------------------------------------------------------------------------- switches

    FakeGateway heartbeatSeconds(int seconds) {
        this.heartbeatSeconds = seconds;
        return this;
    }

    /** The next {@code n} events requests get no answer at all. */
    void dropEventAnswers(int n) {
        dropEventAnswers.set(n);
    }

    /** Acknowledge at most this many new events per request. */
    void maxAckPerRequest(int n) {
        maxAckPerRequest = n;
    }

    void requireRegistration(boolean value) {
        requireRegistration = value;
    }

    /** Forgets every registration: heartbeats get 4.04, events 4.03 (as after a gateway restart). */
    void forgetRegistrations() {
        active.clear();
    }

    void kioskHandler(KioskHandler handler) {
        this.kioskHandler = handler;
    }

    void answer(String resource, ResponseCode code, String json) {
        cannedAnswers.put(resource, Answer.of(code, json));
    }

    /** Notifies the observers of {@code /groups/{g}/state}. */
    void stateChanged() {
        groups.changed();
    }

    // ---------------------------------------------------------------------------------------------- queries

    int heartbeats(String regId) {
        AtomicInteger count = heartbeats.get(regId);
        return count == null ? 0 : count.get();
    }

    int totalHeartbeats() {
        return heartbeats.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    Registration lastRegistration() {
        return registrations.isEmpty() ? null : registrations.get(registrations.size() - 1);
    }

    List<JsonNode> events(String cabinetId) {
        return stored.getOrDefault(cabinetId, List.of());
    }

    List<Long> storedSeqs(String cabinetId) {
        List<Long> seqs = new ArrayList<>();
        events(cabinetId).forEach(e -> seqs.add(e.path("seq").asLong()));
        return seqs;
    }

    /** Sends an unlock to the address the cabinet registered from, as the real gateway does. */
    Response unlock(String cabinetId, String label, Duration timeout) throws InterruptedException {
        Registration registration = active.values().stream().filter(r -> r.ep().equals(cabinetId)).findFirst()
                .orElseThrow(() -> new IllegalStateException(cabinetId + " is not registered"));
        Request request = new Request(Code.POST);
        request.setDestinationContext(registration.context());
        request.getOptions().addUriPath("locks").addUriPath(label);
        Json.write(request, Json.object().put("pulseMs", 400), Json.JSON);
        endpoint.sendRequest(request);
        Response response = request.waitForResponse(timeout.toMillis());
        if (response == null) {
            request.cancel();
        }
        return response;
    }

    static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    // ---------------------------------------------------------------------------------------------- resources

    private final class RdResource extends CoapResource {
        RdResource() {
            super("rd");
        }

        @Override
        public Resource getChild(String name) {
            return this;
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            List<String> path = exchange.getRequestOptions().getUriPath();
            if (path.size() == 1) {
                register(exchange);
            } else if (active.containsKey(path.get(1))) {
                heartbeats.computeIfAbsent(path.get(1), k -> new AtomicInteger()).incrementAndGet();
                exchange.respond(ResponseCode.CHANGED);
            } else {
                respond(exchange, ResponseCode.NOT_FOUND, Json.error("unknown_registration", "register again"));
            }
        }

        @Override
        public void handleDELETE(CoapExchange exchange) {
            List<String> path = exchange.getRequestOptions().getUriPath();
            if (path.size() == 2 && active.remove(path.get(1)) != null) {
                deleted.add(path.get(1));
                exchange.respond(ResponseCode.DELETED);
            } else {
                respond(exchange, ResponseCode.NOT_FOUND, Json.error("unknown_registration", "no such registration"));
            }
        }

        private void register(CoapExchange exchange) {
            JsonNode descriptor;
            try {
                descriptor = Json.decode(exchange.getRequestPayload(), exchange.getRequestOptions().getContentFormat());
            } catch (IOException e) {
                respond(exchange, ResponseCode.BAD_REQUEST, Json.error("bad_descriptor", e.getMessage()));
                return;
            }
            List<String> query = exchange.getRequestOptions().getUriQuery();
            String ep = query.stream().filter(q -> q.startsWith("ep=")).map(q -> q.substring(3)).findFirst()
                    .orElse(null);
            if (ep == null || !descriptor.isObject()) {
                respond(exchange, ResponseCode.BAD_REQUEST, Json.error("bad_descriptor", "ep and descriptor needed"));
                return;
            }
            active.values().removeIf(r -> r.ep().equals(ep));
            String regId = "r" + regCounter.incrementAndGet();
            Request request = exchange.advanced().getRequest();
            Registration registration = new Registration(regId, ep, List.copyOf(query), descriptor,
                    request.getSourceContext().getPeerAddress(), request.getSourceContext());
            registrations.add(registration);
            active.put(regId, registration);
            Response response = new Response(ResponseCode.CREATED);
            response.getOptions().setLocationPath("rd/" + regId);
            Json.write(response, Json.object().put("heartbeat", heartbeatSeconds), Json.JSON);
            exchange.respond(response);
        }
    }

    private final class CabinetsResource extends CoapResource {
        CabinetsResource() {
            super("cabinets");
        }

        @Override
        public Resource getChild(String name) {
            return this;
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            List<String> path = exchange.getRequestOptions().getUriPath();
            if (path.size() != 3 || !path.get(2).equals("events")) {
                respond(exchange, ResponseCode.NOT_FOUND, Json.error("not_found", "no such resource"));
                return;
            }
            String cabinetId = path.get(1);
            JsonNode body;
            try {
                body = Json.decode(exchange.getRequestPayload(), exchange.getRequestOptions().getContentFormat());
            } catch (IOException e) {
                respond(exchange, ResponseCode.BAD_REQUEST, Json.error("bad_event", "not JSON"));
                return;
            }
            if (!body.isObject() || !body.path("boot").canConvertToInt() || !body.path("events").isArray()) {
                respond(exchange, ResponseCode.BAD_REQUEST, Json.error("bad_event", "boot and events needed"));
                return;
            }
            if (requireRegistration && active.values().stream().noneMatch(r -> r.ep().equals(cabinetId))) {
                respond(exchange, ResponseCode.FORBIDDEN, Json.error("not_registered", "register first"));
                return;
            }
            if (dropEventAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return; // no answer: the cabinet has to retry
            }
            int boot = body.path("boot").asInt();
            List<Long> seqs = new ArrayList<>();
            body.path("events").forEach(e -> seqs.add(e.path("seq").asLong()));
            batches.add(new Batch(boot, seqs));
            Map<Integer, Long> lastByBoot = lastStoredSeq.computeIfAbsent(cabinetId, k -> new ConcurrentHashMap<>());
            long last = lastByBoot.getOrDefault(boot, 0L);
            int storedNow = 0;
            for (JsonNode event : body.path("events")) {
                long seq = event.path("seq").asLong();
                if (seq == last + 1 && storedNow < maxAckPerRequest) {
                    ((ObjectNode) event).put("boot", boot);
                    stored.computeIfAbsent(cabinetId, k -> new CopyOnWriteArrayList<>()).add(event);
                    last = seq;
                    storedNow++;
                }
            }
            lastByBoot.put(boot, last);
            respond(exchange, ResponseCode.CHANGED, Json.object().put("boot", boot).put("acked", last));
        }
    }

    private final class GroupsResource extends CoapResource {
        GroupsResource() {
            super("groups");
            setObservable(true);
        }

        @Override
        public Resource getChild(String name) {
            return this;
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            handle(exchange);
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            handle(exchange);
        }

        private void handle(CoapExchange exchange) {
            List<String> path = exchange.getRequestOptions().getUriPath();
            if (path.size() != 3) {
                respond(exchange, ResponseCode.NOT_FOUND, Json.error("not_found", "no such resource"));
                return;
            }
            JsonNode body;
            try {
                body = Json.decode(exchange.getRequestPayload(), exchange.getRequestOptions().getContentFormat());
            } catch (IOException e) {
                respond(exchange, ResponseCode.BAD_REQUEST, Json.error("bad_request", "not JSON"));
                return;
            }
            KioskCall call = new KioskCall(path.get(1), path.get(2), body);
            kioskCalls.add(call);
            try {
                Answer answer = kioskHandler.handle(call);
                if (answer == null) {
                    return; // no answer
                }
                respond(exchange, answer.code(), answer.body());
            } catch (Exception e) {
                respond(exchange, ResponseCode.INTERNAL_SERVER_ERROR, Json.error("internal", e.toString()));
            }
        }
    }

    private static void respond(CoapExchange exchange, ResponseCode code, JsonNode body) {
        exchange.respond(code, Json.encode(body, Json.JSON), Json.JSON);
    }
}
