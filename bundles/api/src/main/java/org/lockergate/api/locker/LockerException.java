package org.lockergate.api.locker;

import java.util.Map;

/**
 * A refused request, with a stable error code (the {@code error} field of the CoAP and REST error bodies),
 * a message for people (Chinese and English) and extra fields such as {@code attemptsLeft} or {@code lockedUntil}.
 */
public class LockerException extends Exception {

    private static final long serialVersionUID = 1L;

    /** How each protocol maps the error: CoAP 4.xx/5.xx, HTTP status, MQTT reply status. */
    public enum Kind {
        /** 4.00 / 400 */
        BAD_REQUEST,
        /** 4.01 / 401 */
        UNAUTHORIZED,
        /** 4.03 / 403 */
        FORBIDDEN,
        /** 4.04 / 404 */
        NOT_FOUND,
        /** 4.09 / 409 */
        CONFLICT,
        /** 4.29 / 429 */
        TOO_MANY,
        /** 5.03 / 503 */
        UNAVAILABLE
    }

    private final String code;
    private final Kind kind;
    private final transient Map<String, Object> extra;

    public LockerException(Kind kind, String code, String message) {
        this(kind, code, message, Map.of());
    }

    public LockerException(Kind kind, String code, String message, Map<String, Object> extra) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.extra = Map.copyOf(extra);
    }

    /** e.g. {@code wrong_code}, {@code locked}, {@code full}, {@code no_session}. */
    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    /** Extra top-level fields of the error body (JSON-friendly values). */
    public Map<String, Object> extra() {
        return extra;
    }
}
