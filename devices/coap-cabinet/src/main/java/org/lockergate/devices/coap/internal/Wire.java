package org.lockergate.devices.coap.internal;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.lockergate.devices.coap.CabinetEvent;
import org.lockergate.devices.coap.CompartmentSpec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The cabinet API's bodies, field for field as in coap-cabinet-v1.md. */
public final class Wire {

    /** ISO-8601 with milliseconds and a numeric offset ({@code +08:00}, also {@code +00:00} rather than Z). */
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    private Wire() {
    }

    public static String timestamp(OffsetDateTime ts) {
        return TIMESTAMP.format(ts);
    }

    /** {@code {"vendor":…,"model":…,"firmware":…,"boot":3,"groupId":"g1","compartments":[…]}}. */
    public static ObjectNode descriptor(String vendor, String model, String firmware, int boot, String groupId,
            List<CompartmentSpec> compartments) {
        ObjectNode descriptor = Json.object()
                .put("vendor", vendor)
                .put("model", model)
                .put("firmware", firmware)
                .put("boot", boot)
                .put("groupId", groupId);
        ArrayNode list = descriptor.putArray("compartments");
        for (CompartmentSpec spec : compartments) {
            list.addObject()
                    .put("compartment", spec.label())
                    .put("size", spec.size().wireName())
                    .put("board", spec.board())
                    .put("channel", spec.channel());
        }
        return descriptor;
    }

    /** {@code {"boot":3,"events":[{"seq":17,"ts":"…","type":"door","compartment":"12","closed":true}, …]}}. */
    public static ObjectNode events(int boot, List<CabinetEvent> events) {
        ObjectNode body = Json.object().put("boot", boot);
        ArrayNode list = body.putArray("events");
        for (CabinetEvent event : events) {
            ObjectNode node = list.addObject()
                    .put("seq", event.seq())
                    .put("ts", timestamp(event.ts()))
                    .put("type", event.type());
            if (event.compartment() != null) {
                node.put("compartment", event.compartment());
            }
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                Object value = field.getValue();
                if (value instanceof Boolean b) {
                    node.put(field.getKey(), b);
                } else if (value instanceof Number n) {
                    node.put(field.getKey(), n.longValue());
                } else if (value != null) {
                    node.put(field.getKey(), value.toString());
                }
            }
        }
        return body;
    }
}
