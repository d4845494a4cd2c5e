package org.lockergate.transport.coap;

import java.util.Optional;

/**
 * CoAP response codes (RFC 7252 §12.1.2, RFC 7959, RFC 8132, RFC 8516), named as in the RFCs. {@link #toString()}
 * gives the dotted form ({@code "2.05"}).
 */
public enum CoapResponseCode {
    CREATED(2, 1),
    DELETED(2, 2),
    VALID(2, 3),
    CHANGED(2, 4),
    CONTENT(2, 5),
    CONTINUE(2, 31),
    BAD_REQUEST(4, 0),
    UNAUTHORIZED(4, 1),
    BAD_OPTION(4, 2),
    FORBIDDEN(4, 3),
    NOT_FOUND(4, 4),
    METHOD_NOT_ALLOWED(4, 5),
    NOT_ACCEPTABLE(4, 6),
    REQUEST_ENTITY_INCOMPLETE(4, 8),
    CONFLICT(4, 9),
    PRECONDITION_FAILED(4, 12),
    REQUEST_ENTITY_TOO_LARGE(4, 13),
    UNSUPPORTED_CONTENT_FORMAT(4, 15),
    UNPROCESSABLE_ENTITY(4, 22),
    TOO_MANY_REQUESTS(4, 29),
    INTERNAL_SERVER_ERROR(5, 0),
    NOT_IMPLEMENTED(5, 1),
    BAD_GATEWAY(5, 2),
    SERVICE_UNAVAILABLE(5, 3),
    GATEWAY_TIMEOUT(5, 4),
    PROXY_NOT_SUPPORTED(5, 5);

    private final int codeClass;
    private final int detail;

    CoapResponseCode(int codeClass, int detail) {
        this.codeClass = codeClass;
        this.detail = detail;
    }

    /** 2, 4 or 5. */
    public int codeClass() {
        return codeClass;
    }

    /** The two digits after the dot. */
    public int detail() {
        return detail;
    }

    /** The code as one byte on the wire: {@code class << 5 | detail}. */
    public int value() {
        return codeClass << 5 | detail;
    }

    public boolean isSuccess() {
        return codeClass == 2;
    }

    /** The code with this class and detail, if it is one of the named ones. */
    public static Optional<CoapResponseCode> of(int codeClass, int detail) {
        for (CoapResponseCode code : values()) {
            if (code.codeClass == codeClass && code.detail == detail) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }

    /** {@code "2.05"}. */
    @Override
    public String toString() {
        return codeClass + "." + (detail < 10 ? "0" : "") + detail;
    }
}
