package org.lockergate.transport.coap.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapMethod;
import org.lockergate.transport.coap.CoapResponseCode;

/** One request in the hands of a handler. Answered at most once; safe to answer from any thread. */
final class CallImpl implements CoapCall {

    private final Dispatcher dispatcher;
    private final Route route;
    private final Exchange exchange;
    private final Request request;
    private final CoapMethod method;
    private final String path;
    private final Map<String, String> variables;
    private final boolean notification;
    private final long startedNanos = System.nanoTime();
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean accepted = new AtomicBoolean();
    private volatile String locationPath;
    private Map<String, String> query; // lazily, by the handler thread
    private JsonNode json; // lazily, by the handler thread

    CallImpl(Dispatcher dispatcher, Route route, Exchange exchange, CoapMethod method, String path,
            Map<String, String> variables, boolean notification) {
        this.dispatcher = dispatcher;
        this.route = route;
        this.exchange = exchange;
        this.request = exchange.getRequest();
        this.method = method;
        this.path = path;
        this.variables = variables;
        this.notification = notification;
    }

    Route route() {
        return route;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** Sends the empty ACK of a separate response, once, unless the answer went out already. */
    void acceptOnce() {
        if (!notification && !answered.get() && accepted.compareAndSet(false, true)) {
            exchange.sendAccept();
        }
    }

    @Override
    public CoapMethod method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String template() {
        return route.template().text();
    }

    @Override
    public String pathVariable(String name) {
        String value = variables.get(name);
        if (value == null) {
            throw new IllegalArgumentException("path template " + route.template() + " has no variable {" + name + "}");
        }
        return value;
    }

    @Override
    public Map<String, String> pathVariables() {
        return variables;
    }

    @Override
    public Optional<String> query(String name) {
        return Optional.ofNullable(queryParameters().get(name));
    }

    @Override
    public Map<String, String> queryParameters() {
        if (query == null) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String item : request.getOptions().getUriQuery()) {
                int equals = item.indexOf('=');
                String name = equals < 0 ? item : item.substring(0, equals);
                String value = equals < 0 ? "" : item.substring(equals + 1);
                parameters.putIfAbsent(name, value);
            }
            query = Collections.unmodifiableMap(parameters);
        }
        return query;
    }

    @Override
    public byte[] payload() {
        return request.getPayload().clone();
    }

    @Override
    public OptionalInt contentFormat() {
        int format = Dispatcher.contentFormat(request);
        return format == MediaTypeRegistry.UNDEFINED ? OptionalInt.empty() : OptionalInt.of(format);
    }

    @Override
    public JsonNode json() {
        if (json == null) {
            json = dispatcher.codec().read(request.getPayload(), Dispatcher.contentFormat(request));
        }
        return json;
    }

    @Override
    public <T> T json(Class<T> type) {
        return dispatcher.codec().bind(json(), type);
    }

    @Override
    public InetSocketAddress peer() {
        return request.getSourceContext().getPeerAddress();
    }

    @Override
    public boolean secure() {
        return CoAP.COAP_SECURE_URI_SCHEME.equals(request.getScheme());
    }

    @Override
    public Optional<String> peerIdentity() {
        EndpointContext context = request.getSourceContext();
        Principal identity = context == null ? null : context.getPeerIdentity();
        if (identity instanceof PreSharedKeyIdentity psk) {
            return Optional.of(psk.getIdentity());
        }
        return Optional.empty();
    }

    @Override
    public boolean notification() {
        return notification;
    }

    @Override
    public void setLocationPath(String path) {
        String text = path == null ? null : path.strip();
        while (text != null && text.startsWith("/")) {
            text = text.substring(1);
        }
        this.locationPath = text;
    }

    @Override
    public void respond(CoapResponseCode code) {
        send(code, null, MediaTypeRegistry.UNDEFINED);
    }

    @Override
    public void respond(CoapResponseCode code, Object body) {
        if (body == null) {
            respond(code);
            return;
        }
        boolean cbor = Dispatcher.wantsCbor(request);
        byte[] payload = dispatcher.codec().write(body, cbor); // throws before anything is sent
        send(code, payload, cbor ? CBOR : JSON);
    }

    @Override
    public void respondBytes(CoapResponseCode code, byte[] payload, int contentFormat) {
        if (payload == null || payload.length == 0) {
            respond(code);
            return;
        }
        send(code, payload.clone(), contentFormat);
    }

    @Override
    public void respondError(CoapResponseCode code, String error, String message) {
        respondError(code, error, message, Map.of());
    }

    @Override
    public void respondError(CoapResponseCode code, String error, String message, Map<String, ?> extra) {
        if (code != null && code.isSuccess()) {
            throw new IllegalArgumentException("respondError needs a 4.xx or 5.xx code, not " + code);
        }
        boolean cbor = Dispatcher.wantsCbor(request);
        send(code, dispatcher.codec().error(error, message, extra, cbor), cbor ? CBOR : JSON);
    }

    @Override
    public boolean answered() {
        return answered.get();
    }

    private void send(CoapResponseCode code, byte[] payload, int contentFormat) {
        if (code == null) {
            throw new NullPointerException("code");
        }
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("CoAP call already answered: " + method + " " + path);
        }
        Response response = new Response(Dispatcher.toCalifornium(code));
        if (payload != null) {
            response.setPayload(payload);
            response.getOptions().setContentFormat(contentFormat);
        }
        String location = locationPath;
        if (location != null && !location.isEmpty()) {
            response.getOptions().setLocationPath(location);
        }
        exchange.sendResponse(response);
    }

    @Override
    public String toString() {
        return method + " " + path + " from " + Messages.hostAndPort(peer());
    }
}
