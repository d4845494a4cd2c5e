package org.lockergate.devices.coap.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.lockergate.devices.coap.UnlockOutcome;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST /locks/{label}} with {@code {"pulseMs":400}}: the one resource a cabinet serves for the gateway.
 * Answers 2.04 {@code {"outcome":…}}, 4.04 {@code unknown_compartment}, 4.00 {@code bad_request}.
 */
public final class LocksResource extends CoapResource {

    /** Pulse length when the body names none (DESIGN.md R13). */
    public static final int DEFAULT_PULSE_MS = 400;

    /** What the cabinet does with an unlock. */
    public interface Locks {
        /** Pulses the lock; {@code null} when there is no compartment with this label. */
        UnlockOutcome unlock(String label, int pulseMs);

        /** How long the controller takes before it answers (the {@code slow} misbehaviour). */
        Duration answerDelay();
    }

    private final Locks locks;
    private final ScheduledExecutorService timers;

    public LocksResource(Locks locks, ScheduledExecutorService timers) {
        super("locks");
        this.locks = locks;
        this.timers = timers;
    }

    /** Every child name ({@code /locks/12}, {@code /locks/B07}) lands here, so unknown labels get a JSON 4.04. */
    @Override
    public Resource getChild(String name) {
        return this;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        List<String> path = exchange.getRequestOptions().getUriPath();
        if (path.size() != 2) {
            respond(exchange, ResponseCode.NOT_FOUND, Json.error("not_found", "use POST /locks/{label}"));
            return;
        }
        String label = path.get(1);
        int pulseMs;
        try {
            pulseMs = pulse(Json.decode(exchange.getRequestPayload(), exchange.getRequestOptions().getContentFormat()));
        } catch (IOException | IllegalArgumentException e) {
            respond(exchange, ResponseCode.BAD_REQUEST,
                    Json.error("bad_request", "body must be {\"pulseMs\":50..5000}: " + e.getMessage()));
            return;
        }
        Duration delay = locks.answerDelay();
        if (delay.isZero() || delay.isNegative()) {
            answer(exchange, label, pulseMs);
            return;
        }
        exchange.accept(); // empty ACK now, the answer later: a slow controller
        try {
            timers.schedule(() -> answer(exchange, label, pulseMs), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            respond(exchange, ResponseCode.SERVICE_UNAVAILABLE, Json.error("stopping", "cabinet is stopping"));
        }
    }

    private static int pulse(JsonNode body) {
        if (body.isNull() || body.isMissingNode()) {
            return DEFAULT_PULSE_MS;
        }
        if (!body.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        JsonNode pulse = body.get("pulseMs");
        if (pulse == null || pulse.isNull()) {
            return DEFAULT_PULSE_MS;
        }
        if (!pulse.canConvertToInt() || !pulse.isIntegralNumber() || pulse.asInt() < 50 || pulse.asInt() > 5000) {
            throw new IllegalArgumentException("pulseMs " + pulse);
        }
        return pulse.asInt();
    }

    private void answer(CoapExchange exchange, String label, int pulseMs) {
        UnlockOutcome outcome = locks.unlock(label, pulseMs);
        if (outcome == null) {
            respond(exchange, ResponseCode.NOT_FOUND,
                    Json.error("unknown_compartment", "no compartment labelled " + label).put("compartment", label));
        } else {
            respond(exchange, ResponseCode.CHANGED, Json.object().put("outcome", outcome.wireName()));
        }
    }

    private static void respond(CoapExchange exchange, ResponseCode code, JsonNode body) {
        int format = exchange.getRequestOptions().getAccept() == Json.CBOR ? Json.CBOR : Json.JSON;
        exchange.respond(code, Json.encode(body, format), format);
    }
}
