package org.lockergate.vendor.coap.internal;

import java.io.IOException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.lockergate.api.spi.CabinetDriver;
import org.lockergate.api.spi.UnlockOutcome;
import org.lockergate.transport.coap.CoapReply;
import org.lockergate.transport.coap.CoapRequestException;
import org.lockergate.transport.coap.CoapService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unlocks a registered cabinet's compartments with {@code POST /locks/{label} {"pulseMs":…}}, sent to the address of
 * its live registration (the one it registered or last refreshed from; over DTLS when it registered over CoAPs).
 * The answer {@code 2.xx {"outcome":"opened"|"already_open"|"jammed"}} is the outcome; anything else completes
 * exceptionally naming the cabinet, the compartment and what came back: no answer in time with a
 * {@link TimeoutException}, a malformed answer with a {@link ProtocolException}, no registration or a send failure
 * with an {@link IOException}.
 */
final class CoapCabinetDriver implements CabinetDriver {

    private static final Logger LOG = LoggerFactory.getLogger(CoapCabinetDriver.class);

    private final String cabinetId;
    private final Registrations registrations;
    private final CoapService coap;
    private final Supplier<Settings> settings;

    CoapCabinetDriver(String cabinetId, Registrations registrations, CoapService coap, Supplier<Settings> settings) {
        this.cabinetId = cabinetId;
        this.registrations = registrations;
        this.coap = coap;
        this.settings = settings;
    }

    @Override
    public CompletionStage<UnlockOutcome> unlock(String compartment, Duration pulse) {
        Optional<Registration> live = registrations.ofCabinet(cabinetId);
        if (live.isEmpty()) {
            return CompletableFuture.failedFuture(new IOException("柜子 " + cabinetId + " 未注册，无法开格口 "
                    + compartment + " / cabinet " + cabinetId + " has no live registration: cannot unlock "
                    + compartment));
        }
        Registration registration = live.get();
        if (compartment == null || !registration.labels().contains(compartment)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("柜子 " + cabinetId + " 没有格口 "
                    + compartment + " / cabinet " + cabinetId + " has no compartment " + compartment));
        }
        long pulseMs = pulse == null ? 0 : Math.max(0, pulse.toMillis());
        Duration timeout = settings.get().unlockTimeout();
        Duration least = Duration.ofMillis(pulseMs).plusSeconds(1);
        if (timeout.compareTo(least) < 0) {
            timeout = least;
        }
        Registration.Peer peer = registration.peer();
        long waited = timeout.toMillis();
        CompletableFuture<CoapReply> sent;
        try {
            sent = coap.post(peer.address(), peer.secure(), "/locks/" + compartment, Map.of("pulseMs", pulseMs),
                    timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure(compartment, "cannot send: " + e.getMessage(), e));
        }
        return sent.handle((reply, error) -> {
            if (error != null) {
                throw new CompletionException(failure(compartment, waited, unwrap(error)));
            }
            return outcome(compartment, reply);
        });
    }

    private UnlockOutcome outcome(String compartment, CoapReply reply) {
        if (reply.isSuccess()) {
            String outcome = reply.body().path("outcome").asText("");
            for (UnlockOutcome candidate : UnlockOutcome.values()) {
                if (candidate.wireName().equals(outcome)) {
                    LOG.debug("cabinet {} compartment {} unlock: {}", cabinetId, compartment, outcome);
                    return candidate;
                }
            }
        }
        String answer = reply.body().isMissingNode() ? reply.code() + " " + printable(reply.payload())
                : reply.toString();
        ProtocolException e = new ProtocolException("柜子 " + cabinetId + " 对格口 " + compartment
                + " 开锁的应答无效 / cabinet " + cabinetId + " answered the unlock of compartment " + compartment
                + " with " + answer + ", expected 2.04 {\"outcome\":\"opened\"|\"already_open\"|\"jammed\"}");
        LOG.warn(e.getMessage());
        throw new CompletionException(e);
    }

    private Exception failure(String compartment, long waitedMillis, Throwable error) {
        if (error instanceof CoapRequestException request && request.reason() == CoapRequestException.Reason.TIMEOUT) {
            TimeoutException timeout = new TimeoutException("柜子 " + cabinetId + " 在 " + waitedMillis + " ms 内未应答格口 "
                    + compartment + " 的开锁 / cabinet " + cabinetId + " did not answer the unlock of compartment "
                    + compartment + " within " + waitedMillis + " ms (" + error.getMessage() + ")");
            timeout.initCause(error);
            return timeout;
        }
        return failure(compartment, String.valueOf(error.getMessage()), error);
    }

    private IOException failure(String compartment, String what, Throwable cause) {
        return new IOException("柜子 " + cabinetId + " 格口 " + compartment + " 开锁失败 / unlock of cabinet " + cabinetId
                + " compartment " + compartment + " failed: " + what, cause);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String printable(byte[] payload) {
        if (payload.length == 0) {
            return "(no body)";
        }
        String text = new String(payload, 0, Math.min(payload.length, 200), java.nio.charset.StandardCharsets.UTF_8);
        return "'" + text.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    @Override
    public String toString() {
        return "CoAP driver of cabinet " + cabinetId;
    }
}
