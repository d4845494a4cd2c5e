package org.lockergate.screen.internal;

import java.util.Map;

/** A refused playlist, media or impression report: an HTTP-like status, a stable code and a zh-CN / English message. */
public final class ScreenException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, Object> extra;

    public ScreenException(int status, String code, String message, Map<String, Object> extra) {
        super(message);
        this.status = status;
        this.code = code;
        this.extra = Map.copyOf(extra);
    }

    static ScreenException bad(String field, String zh, String en) {
        return new ScreenException(400, "bad_playlist", "播放列表无效：" + field + " " + zh + " / Bad playlist: " + field
                + " " + en, Map.of("field", field));
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
