package org.lockergate.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lockergate.identity.AuthenticationException;

/**
 * A request that ends with a JSON error: {@code {"error":code,"message":text,"status":status, ...extra}}.
 *
 * <p>The code is stable English ({@code not_found}); the message is looked up in {@link Messages} under
 * {@code messageKey} in the caller's language when the response is written. No stack trace is captured: this is
 * flow control, not a fault.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String messageKey;
    private final transient List<Object> args;
    private final transient Map<String, Object> extra = new LinkedHashMap<>();
    private final transient Map<String, String> headers = new LinkedHashMap<>();
    /** A bilingual text "中文 / English" from the core, used instead of the message key when set. */
    private String bilingual;

    ApiException(int status, String code, String messageKey, Object... args) {
        super(code, null, false, false);
        this.status = status;
        this.code = code;
        this.messageKey = messageKey;
        this.args = List.of(args);
    }

    /** Adds a top-level field to the error body ({@code field}, {@code attemptsLeft}, ...). */
    ApiException with(String name, Object value) {
        extra.put(name, value);
        return this;
    }

    /** Adds a response header ({@code WWW-Authenticate}, {@code Allow}, {@code Retry-After}). */
    ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The message for people as the core wrote it ("中文 / English"); the caller's half is shown. */
    ApiException bilingual(String text) {
        this.bilingual = text;
        return this;
    }

    String bilingual() {
        return bilingual;
    }

    /**
     * A refusal of the locker core, with its stable code and status: not_found 404, busy/conflicts 409,
     * bad requests 400, unavailable 503, and so on.
     */
    static ApiException locker(org.lockergate.api.locker.LockerException e) {
        int status = switch (e.kind()) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_MANY -> 429;
            case UNAVAILABLE -> 503;
        };
        ApiException error = new ApiException(status, e.code(), "locker_refused").bilingual(e.getMessage());
        e.extra().forEach(error::with);
        return error;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String messageKey() {
        return messageKey;
    }

    Object[] args() {
        return args.toArray();
    }

    Map<String, Object> extra() {
        return Collections.unmodifiableMap(extra);
    }

    Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    static ApiException badRequest(String messageKey, String field) {
        return new ApiException(400, "bad_request", messageKey, field).with("field", field);
    }

    static ApiException unauthorized(String messageKey, String challenge) {
        return new ApiException(401, "unauthorized", messageKey).header("WWW-Authenticate", challenge);
    }

    static ApiException forbidden() {
        return new ApiException(403, "forbidden", "forbidden");
    }

    static ApiException notFound() {
        return new ApiException(404, "not_found", "not_found");
    }

    static ApiException methodNotAllowed(String method, String allow) {
        return new ApiException(405, "method_not_allowed", "method_not_allowed", method, allow)
                .header("Allow", allow);
    }

    /** A service this bundle needs (identity, health) is not running. */
    static ApiException serviceUnavailable(String service) {
        return new ApiException(503, "service_unavailable", "service_unavailable." + service)
                .with("service", service);
    }

    static ApiException internalError() {
        return new ApiException(500, "internal_error", "internal_error");
    }

    /**
     * A refused password check: 429 {@code locked} with {@code lockedUntil} and {@code Retry-After}, or 401
     * {@code bad_credentials} with {@code attemptsLeft} and the text under {@code badCredentialsKey}.
     */
    static ApiException refused(AuthenticationException e, Instant now, String badCredentialsKey) {
        if (e.reason() == AuthenticationException.Reason.LOCKED) {
            Instant until = e.lockedUntil();
            long seconds = until == null ? 60 : Math.max(1, ceilSeconds(Duration.between(now, until)));
            return new ApiException(429, "locked", "locked", String.valueOf(seconds))
                    .with("lockedUntil", until)
                    .header("Retry-After", String.valueOf(seconds));
        }
        return new ApiException(401, "bad_credentials", badCredentialsKey, String.valueOf(e.attemptsLeft()))
                .with("attemptsLeft", e.attemptsLeft())
                .header("WWW-Authenticate", AuthFilter.CHALLENGE);
    }

    private static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() > 0 ? seconds + 1 : seconds;
    }
}
