package org.lockergate.firmware.internal;

import java.util.Map;

/** A refused firmware operation: status (HTTP-like), stable code, zh-CN / English message, extra fields. */
public final class FirmwareException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, Object> extra;

    public FirmwareException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public FirmwareException(int status, String code, String message, Map<String, Object> extra) {
        super(message);
        this.status = status;
        this.code = code;
        this.extra = Map.copyOf(extra);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> extra() {
        return extra;
    }
}
