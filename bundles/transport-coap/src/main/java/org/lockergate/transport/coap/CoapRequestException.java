package org.lockergate.transport.coap;

import java.io.IOException;
import java.util.Objects;

/**
 * Why a request the gateway sent with {@link CoapService#request} got no answer. The futures of
 * {@link CoapService} complete exceptionally with this; the message names the peer and the path.
 */
public class CoapRequestException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** No answer within the timeout: the device may or may not have acted. */
        TIMEOUT,
        /** The device answered with a reset (RST): it did not process the request. */
        REJECTED,
        /** The request could not be sent (network error, no DTLS session with the peer, handshake failure). */
        SEND_FAILED,
        /** The endpoint to send from (plain or secure) is not running. */
        NO_ENDPOINT,
        /** The transport stopped before an answer came. */
        CANCELLED
    }

    private final Reason reason;

    public CoapRequestException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public CoapRequestException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
