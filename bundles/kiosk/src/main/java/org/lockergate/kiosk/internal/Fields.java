package org.lockergate.kiosk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapResponseCode;

/**
 * Reads the fields of a kiosk request body, refusing anything malformed with 4.00 {@code bad_request} and the
 * field's path in {@code field} ({@code phone}, {@code consent.at}). Unknown fields are ignored.
 */
final class Fields {

    static final String BAD_REQUEST = "bad_request";

    private final JsonNode body;
    private final String prefix;

    private Fields(JsonNode body, String prefix) {
        this.body = body;
        this.prefix = prefix;
    }

    /** The body, which must be a JSON object. */
    static Fields of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw bad("(body)", "请求体必须是 JSON 对象", "the body must be a JSON object");
        }
        return new Fields(body, "");
    }

    boolean has(String name) {
        JsonNode node = body.get(name);
        return node != null && !node.isNull();
    }

    /** A nested object; {@code null} when absent (or JSON null) and not required. */
    Fields object(String name, boolean required) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw missing(name);
            }
            return null;
        }
        if (!node.isObject()) {
            throw bad(path(name), "必须是 JSON 对象", "must be a JSON object");
        }
        return new Fields(node, path(name) + ".");
    }

    /** A required string matching {@code pattern}; {@code rule} says what it must be, in Chinese and English. */
    String string(String name, Pattern pattern, String ruleZh, String ruleEn) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            throw missing(name);
        }
        if (!node.isTextual()) {
            throw bad(path(name), "必须是字符串，" + ruleZh, "must be a string: " + ruleEn);
        }
        String value = node.textValue();
        if (!pattern.matcher(value).matches()) {
            throw bad(path(name), ruleZh, ruleEn);
        }
        return value;
    }

    /** A required string of 1 to {@code max} characters without control characters or surrounding blanks. */
    String text(String name, int max) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            throw missing(name);
        }
        if (!node.isTextual()) {
            throw bad(path(name), "必须是字符串", "must be a string");
        }
        String value = node.textValue();
        if (value.isEmpty() || value.length() > max || !value.strip().equals(value)
                || value.chars().anyMatch(Character::isISOControl)) {
            throw bad(path(name), "须为 1–" + max + " 个字符，不含控制字符，首尾无空格",
                    "must be 1-" + max + " characters, without control characters or surrounding blanks");
        }
        return value;
    }

    /** An optional string matching {@code pattern}; {@code null} when absent. */
    String optionalString(String name, Pattern pattern, String ruleZh, String ruleEn) {
        return has(name) ? string(name, pattern, ruleZh, ruleEn) : null;
    }

    /** A required boolean. */
    boolean bool(String name) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            throw missing(name);
        }
        if (!node.isBoolean()) {
            throw bad(path(name), "必须是 true 或 false", "must be true or false");
        }
        return node.booleanValue();
    }

    /** An optional boolean, {@code fallback} when absent. */
    boolean bool(String name, boolean fallback) {
        return has(name) ? bool(name) : fallback;
    }

    /** A required ISO-8601 time with offset ({@code 2025-03-01T10:05:00+08:00} or {@code …Z}). */
    Instant time(String name) {
        String value = text(name, 64);
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw bad(path(name), "必须是带时区偏移的 ISO-8601 时间", "must be an ISO-8601 time with offset, like"
                    + " 2025-03-01T10:05:00+08:00");
        }
    }

    private CoapException missing(String name) {
        return bad(path(name), "缺少此字段", "is required");
    }

    private String path(String name) {
        return prefix + name;
    }

    /** 4.00 bad_request naming the field. */
    static CoapException bad(String field, String zh, String en) {
        return new CoapException(CoapResponseCode.BAD_REQUEST, BAD_REQUEST,
                "请求无效：" + field + " " + zh + " / Bad request: " + field + " " + en).with("field", field);
    }
}
