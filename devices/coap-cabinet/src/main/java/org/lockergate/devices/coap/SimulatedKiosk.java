package org.lockergate.devices.coap;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.lockergate.devices.coap.internal.Coap;
import org.lockergate.devices.coap.internal.Json;
import org.lockergate.devices.coap.internal.NetworkConditions;
import org.lockergate.devices.coap.internal.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A simulated group kiosk (screen and keypad) speaking the kiosk API of the LockerGate CoAP protocol v1: courier
 * sessions, deposits, pickups, rejections and the group's state, under {@code /groups/{groupId}/…}.
 *
 * <p>Every call blocks until the gateway answers or the request timeout passes, and returns a small immutable
 * result carrying the CoAP code and the parsed body, errors included ({@code wrong_code}, {@code attemptsLeft},
 * {@code lockedUntil} …); a call never throws for a 4.xx or 5.xx answer. Each kiosk has its own endpoint (its own
 * source port, like a real kiosk): many kiosks spread the load over many ports (STACK.md). Thread-safe.
 */
public final class SimulatedKiosk implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedKiosk.class);

    private final String kioskId;
    private final String groupId;
    private final URI gateway;
    private final Coap.Psk psk;
    private final InetSocketAddress bind;
    private final Duration ackTimeout;
    private final Duration requestTimeout;
    private final NetworkConditions network = new NetworkConditions();

    private final Object lock = new Object();
    private CoapEndpoint endpoint;
    private ScheduledThreadPoolExecutor observers;

    private SimulatedKiosk(Builder b) {
        this.kioskId = b.kioskId != null ? b.kioskId : "kiosk-" + b.groupId;
        this.groupId = b.groupId;
        this.gateway = b.gateway;
        this.psk = b.psk;
        this.bind = b.bind;
        this.ackTimeout = b.ackTimeout;
        this.requestTimeout = b.requestTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Opens the kiosk's endpoint. Calls before {@code start()} start it implicitly. */
    public void start() {
        synchronized (lock) {
            if (endpoint != null) {
                return;
            }
            CoapEndpoint newEndpoint = Coap.endpoint(Coap.isSecure(gateway), bind, psk, network,
                    Coap.configuration(ackTimeout), "[kiosk " + kioskId + "] ");
            try {
                newEndpoint.start();
            } catch (java.io.IOException e) {
                newEndpoint.destroy();
                throw new IllegalStateException("kiosk " + kioskId + " cannot open its endpoint on " + bind, e);
            }
            endpoint = newEndpoint;
            observers = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "lockergate-kiosk-" + kioskId + "-observe");
                thread.setDaemon(true);
                return thread;
            });
            LOG.info("终端 {} (柜组 {}) 启动于 {} — kiosk {} of group {} started on {}", kioskId, groupId,
                    newEndpoint.getAddress(), kioskId, groupId, newEndpoint.getAddress());
        }
    }

    /** Closes the endpoint; observations end with it. */
    public void stop() {
        synchronized (lock) {
            if (endpoint == null) {
                return;
            }
            endpoint.destroy();
            observers.shutdownNow();
            endpoint = null;
            observers = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String kioskId() {
        return kioskId;
    }

    public String groupId() {
        return groupId;
    }

    /** The kiosk's own address; {@code null} before {@link #start()}. */
    public InetSocketAddress localAddress() {
        synchronized (lock) {
            return endpoint == null ? null : endpoint.getAddress();
        }
    }

    /** Loses this share (0–100 %) of the kiosk's datagrams in each direction. */
    public void lossPercent(double percent) {
        network.lossPercent(percent);
    }

    // ---------------------------------------------------------------------------------------------- kiosk API

    /** {@code POST /groups/{g}/sessions} {@code {"courierId":…,"pin":…}}. */
    public SessionResult signIn(String courierId, String pin) throws InterruptedException {
        ObjectNode body = Json.object().put("courierId", courierId).put("pin", pin);
        return SessionResult.of(call(Code.POST, "sessions", body));
    }

    /** {@code POST /groups/{g}/sessions} {@code {"token":…}}: a login token from the courier company's app. */
    public SessionResult signInWithToken(String token) throws InterruptedException {
        return SessionResult.of(call(Code.POST, "sessions", Json.object().put("token", token)));
    }

    /**
     * {@code POST /groups/{g}/deposits}. {@code consent} and {@code declared} may be {@code null} (the field is then
     * left out, e.g. to test {@code no_consent}).
     */
    public DepositResult deposit(String session, String waybill, Size size, String phone, Consent consent,
            Declared declared) throws InterruptedException {
        ObjectNode body = Json.object().put("session", session).put("waybill", waybill).put("size", size.wireName())
                .put("phone", phone);
        if (consent != null) {
            body.putObject("consent")
                    .put("channel", consent.channel())
                    .put("ref", consent.ref())
                    .put("at", Wire.timestamp(consent.at()))
                    .put("feeTermsAccepted", consent.feeTermsAccepted());
        }
        if (declared != null) {
            body.putObject("declared")
                    .put("damaged", declared.damaged())
                    .put("weightMismatch", declared.weightMismatch())
                    .put("fresh", declared.fresh())
                    .put("valuable", declared.valuable());
        }
        return DepositResult.of(call(Code.POST, "deposits", body));
    }

    /** A deposit with a session result from {@link #signIn}. */
    public DepositResult deposit(SessionResult session, String waybill, Size size, String phone, Consent consent,
            Declared declared) throws InterruptedException {
        return deposit(session.session(), waybill, size, phone, consent, declared);
    }

    /** {@code POST /groups/{g}/pickups} {@code {"code":…}}, with {@code "phoneLast4"} unless {@code null}. */
    public PickupResult pickup(String code, String phoneLast4) throws InterruptedException {
        ObjectNode body = Json.object().put("code", code);
        if (phoneLast4 != null) {
            body.put("phoneLast4", phoneLast4);
        }
        return PickupResult.of(call(Code.POST, "pickups", body));
    }

    /** {@code POST /groups/{g}/rejections} {@code {"parcelId":…,"reason":…}}, while the pickup's door is open. */
    public KioskReply reject(String parcelId, String reason) throws InterruptedException {
        return call(Code.POST, "rejections", Json.object().put("parcelId", parcelId).put("reason", reason));
    }

    /** {@code GET /groups/{g}/state}. */
    public GroupState state() throws InterruptedException {
        return GroupState.of(call(Code.GET, "state", null));
    }

    /**
     * Observes {@code /groups/{g}/state}: the listener gets the first answer and every notification, on the kiosk's
     * observer thread. Close the returned handle to cancel the observation.
     */
    public Observation observeState(Consumer<GroupState> listener) {
        Objects.requireNonNull(listener, "listener");
        start();
        CoapEndpoint current;
        ScheduledThreadPoolExecutor executor;
        synchronized (lock) {
            current = endpoint;
            executor = observers;
        }
        CoapClient client = new CoapClient();
        client.setEndpoint(current);
        client.setExecutors(executor, executor, true);
        client.setTimeout(requestTimeout.toMillis());
        Request request = groupRequest(Code.GET, "state");
        request.setObserve();
        CoapObserveRelation relation = client.observe(request, new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                listener.accept(GroupState.of(reply(response.advanced())));
            }

            @Override
            public void onError() {
                LOG.warn("kiosk {}: observation of /groups/{}/state failed", kioskId, groupId);
            }
        });
        return () -> {
            relation.proactiveCancel();
            client.shutdown();
        };
    }

    /** An observation; {@link #close()} cancels it. */
    public interface Observation extends AutoCloseable {
        @Override
        void close();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private KioskReply call(Code code, String resource, ObjectNode body) throws InterruptedException {
        start();
        CoapEndpoint current;
        synchronized (lock) {
            current = endpoint;
        }
        Request request = groupRequest(code, resource);
        if (body != null) {
            Json.write(request, body, Json.JSON);
        }
        request.getOptions().setAccept(Json.JSON);
        Response response = Coap.call(current, request, requestTimeout);
        KioskReply reply = response == null ? KioskReply.noAnswer() : reply(response);
        LOG.debug("kiosk {} {} /groups/{}/{} → {}", kioskId, code, groupId, resource, reply);
        return reply;
    }

    private Request groupRequest(Code code, String resource) {
        return Coap.request(code, gateway, List.of("groups", groupId, resource), List.of());
    }

    private static KioskReply reply(Response response) {
        return new KioskReply(response.getCode(), Json.decodeLenient(response));
    }

    @Override
    public String toString() {
        return "SimulatedKiosk[" + kioskId + " of " + groupId + " → " + gateway + "]";
    }

    /** Builds a {@link SimulatedKiosk}. */
    public static final class Builder {
        private String kioskId;
        private String groupId;
        private URI gateway = URI.create("coap://127.0.0.1:5683");
        private Coap.Psk psk;
        private InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 0);
        private Duration ackTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The kiosk's id, also its PSK identity; default {@code kiosk-{groupId}}. */
        public Builder kioskId(String value) {
            this.kioskId = value;
            return this;
        }

        /** The group whose kiosk this is. Required. */
        public Builder groupId(String value) {
            this.groupId = value;
            return this;
        }

        public Builder gateway(String uri) {
            this.gateway = Coap.gatewayUri(uri);
            return this;
        }

        public Builder gateway(URI uri) {
            return gateway(uri.toString());
        }

        public Builder psk(String identity, byte[] key) {
            this.psk = new Coap.Psk(identity, key);
            return this;
        }

        public Builder bind(InetSocketAddress address) {
            this.bind = address;
            return this;
        }

        public Builder ackTimeout(Duration value) {
            this.ackTimeout = value;
            return this;
        }

        /** How long a call waits for its answer; default 30 s. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public SimulatedKiosk build() {
            if (groupId == null || groupId.isBlank()) {
                throw new IllegalArgumentException("groupId is required");
            }
            if (Coap.isSecure(gateway) && psk == null) {
                throw new IllegalArgumentException("coaps:// needs psk(identity, key)");
            }
            return new SimulatedKiosk(this);
        }
    }
}
