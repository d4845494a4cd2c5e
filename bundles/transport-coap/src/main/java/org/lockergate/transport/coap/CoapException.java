package org.lockergate.transport.coap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Ends a {@link CoapCall} with an error answer {@code {"error":error,"message":message, …extra…}}. Thrown by
 * {@link CoapCall#json()} for a bad body, and by handlers for their own errors:
 *
 * <pre>
 * throw new CoapException(CoapResponseCode.FORBIDDEN, "wrong_code", "取件码错误 / Wrong pickup code")
 *         .with("attemptsLeft", 2);
 * </pre>
 *
 * <p>Flow control, not a fault: no stack trace is captured and the transport logs it at DEBUG only.
 */
public class CoapException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final CoapResponseCode code;
    private final String error;
    private final transient Map<String, Object> extra = new LinkedHashMap<>();

    /**
     * @param code a 4.xx or 5.xx code
     * @param error the stable error code of the protocol ({@code bad_event}, {@code not_registered})
     * @param message a text for people
     */
    public CoapException(CoapResponseCode code, String error, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.error = Objects.requireNonNull(error, "error");
        if (code.isSuccess()) {
            throw new IllegalArgumentException("not an error code: " + code);
        }
    }

    /** Adds a top-level field to the error body ({@code attemptsLeft}, {@code lockedUntil}, ...). */
    public CoapException with(String name, Object value) {
        extra.put(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    public CoapResponseCode code() {
        return code;
    }

    public String error() {
        return error;
    }

    /** The extra fields, in the order added. */
    public Map<String, Object> extra() {
        return Collections.unmodifiableMap(extra);
    }
}
