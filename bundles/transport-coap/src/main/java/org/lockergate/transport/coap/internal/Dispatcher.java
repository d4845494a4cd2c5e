package org.lockergate.transport.coap.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.observe.ObserveRelation;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapMethod;
import org.lockergate.transport.coap.CoapResponseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a request Californium delivered into a {@link CoapCall} for its handler. The cheap checks (route, method,
 * size) and the refusal when the pool is full run on Californium's protocol thread; the handler runs on the bounded
 * handler pool.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long NOTIFICATION_RETRY_MILLIS = 200;

    private final Codec codec;
    private final int maxPayloadBytes;
    private final Executor handlers;
    private final ScheduledExecutorService timer;
    private final Set<CallImpl> inFlight = ConcurrentHashMap.newKeySet();

    Dispatcher(Codec codec, int maxPayloadBytes, Executor handlers, ScheduledExecutorService timer) {
        this.codec = codec;
        this.maxPayloadBytes = maxPayloadBytes;
        this.handlers = handlers;
        this.timer = timer;
    }

    Codec codec() {
        return codec;
    }

    void dispatch(RouteResource resource, Exchange exchange) {
        Request request = exchange.getRequest();
        Route route = resource.route();
        String path = "/" + request.getOptions().getUriPathString();
        if (route == null) {
            answerNow(exchange, CoapResponseCode.NOT_FOUND, "not_found", Messages.notFound(path), Map.of());
            return;
        }
        CoapMethod method = method(request.getCode());
        if (method == null || !route.methods().contains(method)) {
            answerNow(exchange, CoapResponseCode.METHOD_NOT_ALLOWED, "method_not_allowed",
                    Messages.methodNotAllowed(String.valueOf(request.getCode()), path, route.methods()),
                    Map.of("allowed", route.methods().stream().sorted().map(Enum::name).toList()));
            return;
        }
        int size = request.getPayloadSize();
        if (size > maxPayloadBytes) {
            answerNow(exchange, CoapResponseCode.REQUEST_ENTITY_TOO_LARGE, "too_large",
                    Messages.tooLarge(size, maxPayloadBytes), Map.of("maxBytes", maxPayloadBytes));
            return;
        }
        ObserveRelation relation = exchange.getRelation();
        boolean notification = relation != null && relation.isEstablished();
        List<String> segments = request.getOptions().getUriPath();
        CallImpl call = new CallImpl(this, route, exchange, method, path,
                route.template().variables(segments), notification);
        try {
            handlers.execute(() -> run(call));
        } catch (RejectedExecutionException e) {
            if (notification) {
                retryNotification(resource);
            } else {
                Response busy = answer(exchange, CoapResponseCode.SERVICE_UNAVAILABLE, "busy", Messages.BUSY, Map.of());
                busy.getOptions().setMaxAge(1); // CoAP's Retry-After (RFC 7252 §5.9.3.4)
                exchange.sendResponse(busy);
                LOG.debug("CoAP handler pool full: answered 5.03 to {} {}", method, path);
            }
        }
    }

    /** Runs a call's handler and makes sure it is answered exactly once. */
    void run(CallImpl call) {
        inFlight.add(call);
        try {
            call.route().handler().handle(call);
            if (!call.answered()) {
                LOG.warn(Messages.handlerNoAnswer(call.route(), call.method().name(), call.path()));
                call.respondError(CoapResponseCode.INTERNAL_SERVER_ERROR, "internal_error", Messages.INTERNAL_ERROR);
            }
        } catch (CoapException e) {
            if (call.answered()) {
                LOG.debug("CoAP handler threw {} after answering {} {}", e.error(), call.method(), call.path());
            } else {
                call.respondError(e.code(), e.error(), e.getMessage(), e.extra());
            }
        } catch (Throwable t) {
            LOG.error(Messages.handlerFailed(call.route(), call.method().name(), call.path(), call.peer(), t));
            LOG.debug("CoAP handler stack trace", t);
            if (!call.answered()) {
                try {
                    call.respondError(CoapResponseCode.INTERNAL_SERVER_ERROR, "internal_error",
                            Messages.INTERNAL_ERROR);
                } catch (RuntimeException ignored) {
                    // the exchange is gone (transport stopping)
                }
            }
            if (t instanceof VirtualMachineError error) {
                throw error;
            }
        } finally {
            inFlight.remove(call);
        }
    }

    /**
     * Sends an empty ACK for confirmable requests whose handler has been busy longer than {@code afterNanos}, so the
     * client stops retransmitting while it waits for the separate response (RFC 7252 §5.2.2).
     */
    void acceptSlowCalls(long afterNanos) {
        long now = System.nanoTime();
        for (CallImpl call : inFlight) {
            if (now - call.startedNanos() > afterNanos) {
                call.acceptOnce();
            }
        }
    }

    int inFlight() {
        return inFlight.size();
    }

    private void retryNotification(RouteResource resource) {
        if (!resource.claimRetry()) {
            return;
        }
        LOG.debug("CoAP handler pool full: notification for {} retried in {} ms", resource.getName(),
                NOTIFICATION_RETRY_MILLIS);
        try {
            timer.schedule(() -> {
                resource.retryDone();
                resource.changed();
            }, NOTIFICATION_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            resource.retryDone(); // stopping
        }
    }

    private void answerNow(Exchange exchange, CoapResponseCode code, String error, String message,
            Map<String, ?> extra) {
        exchange.sendResponse(answer(exchange, code, error, message, extra));
    }

    Response answer(Exchange exchange, CoapResponseCode code, String error, String message, Map<String, ?> extra) {
        boolean cbor = wantsCbor(exchange.getRequest());
        Response response = new Response(toCalifornium(code));
        response.setPayload(codec.error(error, message, extra, cbor));
        response.getOptions().setContentFormat(cbor ? CoapCall.CBOR : CoapCall.JSON);
        return response;
    }

    static boolean wantsCbor(Request request) {
        return request.getOptions().getAccept() == CoapCall.CBOR;
    }

    static CoAP.ResponseCode toCalifornium(CoapResponseCode code) {
        return CoAP.ResponseCode.valueOf(code.name());
    }

    static CoapMethod method(CoAP.Code code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case GET -> CoapMethod.GET;
            case POST -> CoapMethod.POST;
            case PUT -> CoapMethod.PUT;
            case DELETE -> CoapMethod.DELETE;
            default -> null;
        };
    }

    static int contentFormat(Request request) {
        return request.getOptions().hasContentFormat() ? request.getOptions().getContentFormat()
                : MediaTypeRegistry.UNDEFINED;
    }
}
