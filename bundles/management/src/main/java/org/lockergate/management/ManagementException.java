package org.lockergate.management;

/**
 * A management operation was refused or failed; the gateway is as it was before.
 *
 * <p>{@link #code()} is stable for programs (e.g. {@code signature.invalid}); the message is for operators
 * (zh-CN / English) and names the artifact, bundle or field at fault.
 */
public class ManagementException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an operation did not happen; REST and MQTT map these to status codes. */
    public enum Kind {
        /** The request itself is wrong: not a bundle, malformed snapshot, unknown bundle (400/404). */
        BAD_REQUEST,
        /** The artifact is unsigned, tampered or signed by an untrusted key (403). */
        UNTRUSTED,
        /** The bundle or snapshot does not exist (404). */
        NOT_FOUND,
        /** It conflicts with the running gateway: self-update, newer snapshot format, another operation running (409). */
        CONFLICT,
        /** Download failed, or the new version failed its checks and was rolled back (502/500). */
        FAILED
    }

    private final Kind kind;
    private final String code;

    public ManagementException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public ManagementException(Kind kind, String code, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
