package org.lockergate.upstream.mqtt;

import java.util.Map;

/**
 * A refused command: the reply is {@code status} with the body {@code {"error":…,"message":…, …extra}}. Messages are
 * Chinese then English.
 */
public class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final transient Map<String, Object> extra;

    public CommandException(int status, String error, String message) {
        this(status, error, message, Map.of());
    }

    public CommandException(int status, String error, String message, Map<String, Object> extra) {
        super(message);
        this.status = status;
        this.error = error;
        this.extra = Map.copyOf(extra);
    }

    /** 400, 403, 404, 409 or 500. */
    public int status() {
        return status;
    }

    /** Stable error code, e.g. {@code bad_args}, {@code not_found}. */
    public String error() {
        return error;
    }

    public Map<String, Object> extra() {
        return extra;
    }
}
