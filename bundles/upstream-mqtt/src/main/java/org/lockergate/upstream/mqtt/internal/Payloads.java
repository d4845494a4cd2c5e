package org.lockergate.upstream.mqtt.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.lockergate.api.model.OutboxEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Topics and JSON payloads of DESIGN.md §4 MQTT. */
final class Payloads {

    private static final Logger LOG = LoggerFactory.getLogger(Payloads.class);

    static final ObjectMapper JSON = new ObjectMapper();

    /** Fields lifted from a row's {@code data} to the top level when present and not null. */
    private static final String[] LIFTED = {"groupId", "cabinetId", "compartment"};

    private final String root;
    private final String gatewayId;
    private final ZoneId zone;

    Payloads(String gatewayId, ZoneId zone) {
        this.root = "lockergate/v1/" + gatewayId + "/";
        this.gatewayId = gatewayId;
        this.zone = zone;
    }

    String root() {
        return root;
    }

    String statusTopic() {
        return root + "status";
    }

    String commandFilter() {
        return root + "cmd/#";
    }

    String commandPrefix() {
        return root + "cmd/";
    }

    String replyTopic(String requestId) {
        return root + "reply/" + requestId;
    }

    /** {@code alarms/{type}}, {@code events/{type}} or {@code telemetry}. */
    String topic(OutboxEvent e) {
        return switch (e.stream()) {
            case ALARMS -> root + "alarms/" + segment(e.type());
            case EVENTS -> root + "events/" + segment(e.type());
            case TELEMETRY -> root + "telemetry";
        };
    }

    /** One outbox row as published: ts, eventId, seq, type, gatewayId, the lifted names, (alarms) state, data. */
    byte[] event(OutboxEvent e) {
        ObjectNode out = JSON.createObjectNode();
        out.put("ts", iso(e.ts()));
        out.put("eventId", e.eventId());
        out.put("seq", e.seq());
        out.put("type", e.type());
        out.put("gatewayId", gatewayId);
        JsonNode data = parse(e);
        for (String field : LIFTED) {
            JsonNode value = data.get(field);
            if (value != null && !value.isNull()) {
                out.set(field, value);
            }
        }
        if (e.stream() == OutboxEvent.Stream.ALARMS && data.hasNonNull("state")) {
            out.set("state", data.get("state"));
        }
        out.set("data", data);
        return bytes(out);
    }

    byte[] birth(String version, Instant now) {
        ObjectNode out = JSON.createObjectNode();
        out.put("online", true);
        out.put("gatewayId", gatewayId);
        out.put("version", version);
        out.put("ts", iso(now));
        return bytes(out);
    }

    /** The last will (no ts: it is written at connect time and published by the broker much later). */
    byte[] will() {
        ObjectNode out = JSON.createObjectNode();
        out.put("online", false);
        out.put("gatewayId", gatewayId);
        return bytes(out);
    }

    /** What a clean shutdown publishes instead of the will. */
    byte[] offline(Instant now) {
        ObjectNode out = JSON.createObjectNode();
        out.put("online", false);
        out.put("gatewayId", gatewayId);
        out.put("ts", iso(now));
        return bytes(out);
    }

    byte[] reply(String requestId, int status, Object body, Instant now) {
        ObjectNode out = JSON.createObjectNode();
        out.put("requestId", requestId);
        out.put("status", status);
        out.set("body", body == null ? JSON.createObjectNode() : JSON.valueToTree(body));
        out.put("ts", iso(now));
        return bytes(out);
    }

    String iso(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static JsonNode parse(OutboxEvent e) {
        try {
            JsonNode data = JSON.readTree(e.data());
            return data == null ? NullNode.instance : data;
        } catch (JsonProcessingException | RuntimeException ex) {
            LOG.error("发件箱行 data 不是 JSON，按 null 发送 / Outbox row {} #{} has data that is not JSON; sent as null: {}",
                    e.stream(), e.seq(), ex.getMessage());
            return NullNode.instance;
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A topic segment: MQTT wildcards, separators and NUL become '_'. */
    static String segment(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c == '/' || c == '+' || c == '#' || c == 0 ? '_' : c);
        }
        return out.toString();
    }
}
