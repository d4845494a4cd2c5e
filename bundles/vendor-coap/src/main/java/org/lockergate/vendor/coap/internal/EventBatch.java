package org.lockergate.vendor.coap.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetEvent.Type;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapResponseCode;

/**
 * A cabinet's {@code {"boot":3,"events":[…]}}, read and checked: every event needs a {@code seq} (from 1, rising
 * within the request), a {@code ts} (ISO-8601 with offset), a known {@code type} and its type's field. Anything else
 * is 4.00 {@code bad_event} with the event's {@code index} and the {@code field} ({@code events[2].ts}).
 *
 * <p>Mapping to {@link CabinetEvent}: {@code door} → DOOR, value {@code closed}; {@code occupancy} → OCCUPANCY, value
 * {@code present} (both need a {@code compartment} of this cabinet); {@code tamper} → TAMPER, value true;
 * {@code power} → POWER, value "on mains", code {@code mains}/{@code battery} — given as {@code "power":"mains"} or as
 * the booleans {@code "mains":true} / {@code "battery":true}; {@code camera} → CAMERA, value {@code ok};
 * {@code fault} → FAULT, value true, code {@code code}.
 */
record EventBatch(long boot, List<CabinetEvent> events) {

    static final String BAD_EVENT = "bad_event";

    static EventBatch parse(JsonNode body, Set<String> labels, int maxEvents) {
        if (body == null || !body.isObject()) {
            throw bad(null, "(body)", "须为 JSON 对象", "must be a JSON object");
        }
        JsonNode bootNode = body.get("boot");
        if (bootNode == null || !bootNode.isIntegralNumber() || !bootNode.canConvertToLong()
                || bootNode.longValue() < 0) {
            throw bad(null, "boot", "须为非负整数", "must be a whole number, at least 0");
        }
        JsonNode list = body.get("events");
        if (list == null || !list.isArray()) {
            throw bad(null, "events", "须为数组", "must be an array");
        }
        if (list.size() > maxEvents) {
            throw bad(null, "events", "一次最多 " + maxEvents + " 个事件，收到 " + list.size(),
                    "at most " + maxEvents + " events per request, got " + list.size()).with("max", maxEvents);
        }
        List<CabinetEvent> events = new ArrayList<>(list.size());
        long previous = 0;
        for (int i = 0; i < list.size(); i++) {
            CabinetEvent event = event(list.get(i), i, labels);
            if (event.seq() <= previous) {
                throw bad(i, "seq", "须大于前一个事件的 seq（" + previous + "）",
                        "must be greater than the previous event's (" + previous + ")");
            }
            previous = event.seq();
            events.add(event);
        }
        return new EventBatch(bootNode.longValue(), events);
    }

    private static CabinetEvent event(JsonNode node, int i, Set<String> labels) {
        if (!node.isObject()) {
            throw bad(i, null, "须为 JSON 对象", "must be a JSON object");
        }
        JsonNode seqNode = node.get("seq");
        if (seqNode == null || !seqNode.isIntegralNumber() || !seqNode.canConvertToLong() || seqNode.longValue() < 1) {
            throw bad(i, "seq", "须为正整数", "must be a whole number, at least 1");
        }
        long seq = seqNode.longValue();
        Instant ts = ts(node.get("ts"), i);
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw bad(i, "type", "缺少或不是字符串", "is missing or not a string");
        }
        String type = typeNode.textValue();
        return switch (type) {
            case "door" -> new CabinetEvent(seq, ts, Type.DOOR, label(node, i, labels), bool(node, "closed", i), null);
            case "occupancy" -> new CabinetEvent(seq, ts, Type.OCCUPANCY, label(node, i, labels),
                    bool(node, "present", i), null);
            case "tamper" -> new CabinetEvent(seq, ts, Type.TAMPER, null, true, null);
            case "power" -> power(node, seq, ts, i);
            case "camera" -> new CabinetEvent(seq, ts, Type.CAMERA, null, bool(node, "ok", i), null);
            case "fault" -> new CabinetEvent(seq, ts, Type.FAULT, null, true, code(node, i));
            default -> throw bad(i, "type", "未知类型 " + type + "（door、occupancy、tamper、power、camera、fault）",
                    "unknown type " + type + " (door, occupancy, tamper, power, camera, fault)");
        };
    }

    private static Instant ts(JsonNode node, int i) {
        if (node == null || !node.isTextual()) {
            throw bad(i, "ts", "缺少或不是字符串", "is missing or not a string");
        }
        try {
            return OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw bad(i, "ts", "须为带时区偏移的 ISO-8601 时间", "must be an ISO-8601 time with offset, like"
                    + " 2025-03-01T10:05:00.000+08:00");
        }
    }

    private static String label(JsonNode node, int i, Set<String> labels) {
        JsonNode value = node.get("compartment");
        if (value == null || !value.isTextual()) {
            throw bad(i, "compartment", "缺少或不是字符串", "is missing or not a string");
        }
        if (!labels.contains(value.textValue())) {
            throw bad(i, "compartment", "不是本柜的格口：" + value.textValue(),
                    "is not a compartment of this cabinet: " + value.textValue());
        }
        return value.textValue();
    }

    private static boolean bool(JsonNode node, String name, int i) {
        JsonNode value = node.get(name);
        if (value == null || !value.isBoolean()) {
            throw bad(i, name, "缺少或不是 true/false", "is missing or not true/false");
        }
        return value.booleanValue();
    }

    private static CabinetEvent power(JsonNode node, long seq, Instant ts, int i) {
        JsonNode source = node.get("power");
        boolean mains;
        if (source != null && !source.isNull()) {
            String text = source.isTextual() ? source.textValue().toLowerCase(Locale.ROOT) : "";
            if (!text.equals("mains") && !text.equals("battery")) {
                throw bad(i, "power", "须为 mains 或 battery", "must be mains or battery");
            }
            mains = text.equals("mains");
        } else if (node.has("mains")) {
            mains = bool(node, "mains", i);
        } else if (node.has("battery")) {
            mains = !bool(node, "battery", i);
        } else {
            throw bad(i, "mains", "缺少电源字段（mains 或 battery）", "is missing (give mains or battery)");
        }
        return new CabinetEvent(seq, ts, Type.POWER, null, mains, mains ? "mains" : "battery");
    }

    private static String code(JsonNode node, int i) {
        JsonNode value = node.get("code");
        if (value != null && (value.isTextual() || value.isIntegralNumber())) {
            String text = value.asText();
            if (!text.isEmpty() && text.length() <= 64 && text.chars().noneMatch(Character::isISOControl)) {
                return text;
            }
        }
        throw bad(i, "code", "须为 1–64 个字符的故障码", "must be a fault code of 1-64 characters");
    }

    /** 4.00 bad_event; {@code index} null for the request's own fields, {@code name} null for the whole event. */
    static CoapException bad(Integer index, String name, String zh, String en) {
        String field = index == null ? name : "events[" + index + "]" + (name == null ? "" : "." + name);
        CoapException e = new CoapException(CoapResponseCode.BAD_REQUEST, BAD_EVENT,
                "事件无效：" + field + " " + zh + " / Bad event: " + field + " " + en);
        if (index != null) {
            e.with("index", index);
        }
        return e.with("field", field);
    }
}
