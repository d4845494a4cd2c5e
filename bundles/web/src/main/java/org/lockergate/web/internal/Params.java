package org.lockergate.web.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Query parameters with precise 400s that name the field. */
final class Params {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private Params() {}

    static String text(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@code limit}: 1–{@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
    static int limit(HttpServletRequest request) {
        return integer(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    static int integer(HttpServletRequest request, String name, int dflt, int min, int max) {
        String text = text(request, name);
        if (text == null) {
            return dflt;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the 400 below
        }
        throw new ApiException(400, "bad_request", "bad_request.not_integer", name, String.valueOf(min),
                String.valueOf(max)).with("field", name);
    }

    static long longValue(HttpServletRequest request, String name, long dflt) {
        String text = text(request, name);
        if (text == null) {
            return dflt;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the 400 below
        }
        throw ApiException.badRequest("bad_request.bad_cursor", name);
    }

    /** An ISO-8601 date-time with offset ({@code 2025-03-01T08:00:00+08:00} or {@code …Z}); null when absent. */
    static Instant instant(HttpServletRequest request, String name) {
        String text = text(request, name);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad_request.not_instant", name);
        }
    }

    static boolean bool(HttpServletRequest request, String name) {
        String text = text(request, name);
        if (text == null) {
            return false;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.badRequest("bad_request.not_boolean", name);
        };
    }

    /** One or more values of an enum, comma separated or repeated ({@code state=DEPOSITED,OVERDUE}). */
    static <E extends Enum<E>> List<E> enums(HttpServletRequest request, String name, Class<E> type) {
        String[] raw = request.getParameterValues(name);
        List<E> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (String value : raw) {
            for (String part : value.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                out.add(oneOf(name, type, part.trim()));
            }
        }
        return out;
    }

    static <E extends Enum<E>> E oneOf(String name, Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        throw new ApiException(400, "bad_request", "bad_request.unknown_value", name, allowed).with("field", name)
                .with("allowed", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    }

    /** The path segments after the servlet's prefix: {@code /groups/g1/compartments} → [g1, compartments]. */
    static List<String> segments(HttpServletRequest request) {
        String info = request.getPathInfo();
        List<String> parts = new ArrayList<>();
        if (info != null) {
            for (String part : info.split("/")) {
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
        }
        return parts;
    }
}
