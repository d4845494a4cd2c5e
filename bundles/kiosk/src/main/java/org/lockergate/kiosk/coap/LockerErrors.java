package org.lockergate.kiosk.coap;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lockergate.api.locker.LockerException;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapResponseCode;

/**
 * The one mapping from {@link LockerException} to a CoAP error answer (coap-cabinet-v1.md): the code from the
 * exception's {@link LockerException.Kind}, the body {@code {"error":code(),"message":getMessage(), …extra()…}}
 * with every {@link Instant} (also inside maps and lists) written as ISO-8601 with the offset of the gateway's zone
 * ({@code 2025-03-01T10:05:00.000+08:00}).
 *
 * <pre>
 * try {
 *     call.respond(CoapResponseCode.CHANGED, kiosk.pickup(groupId, code, last4, keypad));
 * } catch (LockerException e) {
 *     LockerErrors.respond(call, e, clock.zone());
 * }
 * </pre>
 */
public final class LockerErrors {

    /** The zone used when no other is given (DESIGN.md R5: Asia/Shanghai unless configured). */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    /** ISO-8601 with milliseconds and a numeric offset: {@code 2025-03-01T10:05:00.000+08:00}. */
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    private LockerErrors() {
    }

    /**
     * The CoAP code of a kind: BAD_REQUEST 4.00, UNAUTHORIZED 4.01, FORBIDDEN 4.03, NOT_FOUND 4.04, CONFLICT 4.09,
     * TOO_MANY 4.29, UNAVAILABLE 5.03; {@code null} (a core bug) 5.00.
     */
    public static CoapResponseCode code(LockerException.Kind kind) {
        if (kind == null) {
            return CoapResponseCode.INTERNAL_SERVER_ERROR;
        }
        return switch (kind) {
            case BAD_REQUEST -> CoapResponseCode.BAD_REQUEST;
            case UNAUTHORIZED -> CoapResponseCode.UNAUTHORIZED;
            case FORBIDDEN -> CoapResponseCode.FORBIDDEN;
            case NOT_FOUND -> CoapResponseCode.NOT_FOUND;
            case CONFLICT -> CoapResponseCode.CONFLICT;
            case TOO_MANY -> CoapResponseCode.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> CoapResponseCode.SERVICE_UNAVAILABLE;
        };
    }

    /** Answers the call with the exception's error, times in {@code zone} ({@link #DEFAULT_ZONE} when null). */
    public static void respond(CoapCall call, LockerException e, ZoneId zone) {
        CoapException error = toCoapException(e, zone);
        call.respondError(error.code(), error.error(), error.getMessage(), error.extra());
    }

    /** {@link #respond(CoapCall, LockerException, ZoneId)} in {@link #DEFAULT_ZONE}. */
    public static void respond(CoapCall call, LockerException e) {
        respond(call, e, DEFAULT_ZONE);
    }

    /** The exception as a {@link CoapException} to throw from a handler, with the code of its kind. */
    public static CoapException toCoapException(LockerException e, ZoneId zone) {
        return toCoapException(e, code(e.kind()), zone);
    }

    /**
     * The exception as a {@link CoapException} with a code the protocol pins for this request (for example 4.03
     * for {@code unknown_group} at registration, whatever its kind).
     */
    public static CoapException toCoapException(LockerException e, CoapResponseCode code, ZoneId zone) {
        Objects.requireNonNull(e, "e");
        String error = e.code() == null || e.code().isBlank() ? "error" : e.code();
        String message = e.getMessage() == null ? error : e.getMessage();
        CoapException coap = new CoapException(code, error, message);
        ZoneId in = zone == null ? DEFAULT_ZONE : zone;
        e.extra().forEach((name, value) -> coap.with(name, jsonValue(value, in)));
        return coap;
    }

    /** An instant as ISO-8601 with the offset of {@code zone} ({@link #DEFAULT_ZONE} when null). */
    public static String timestamp(Instant instant, ZoneId zone) {
        return TIMESTAMP.format(instant.atZone(zone == null ? DEFAULT_ZONE : zone));
    }

    /**
     * A value ready for a JSON body: instants (and zoned or offset date-times) become ISO-8601 text with offset,
     * maps and collections are converted element by element, anything else is returned as it is.
     */
    public static Object jsonValue(Object value, ZoneId zone) {
        if (value instanceof Instant instant) {
            return timestamp(instant, zone);
        }
        if (value instanceof ZonedDateTime || value instanceof OffsetDateTime) {
            return timestamp(Instant.from((TemporalAccessor) value), zone);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), jsonValue(v, zone)));
            return out;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>(collection.size());
            collection.forEach(v -> out.add(jsonValue(v, zone)));
            return out;
        }
        return value;
    }
}
