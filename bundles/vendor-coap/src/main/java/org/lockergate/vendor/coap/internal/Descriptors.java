package org.lockergate.vendor.coap.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CompartmentSpec;
import org.lockergate.api.model.SizeClass;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapResponseCode;

/**
 * Reads a registration: {@code ep} and {@code lt} from the query and the descriptor from the body, refusing anything
 * malformed with 4.00 {@code bad_descriptor} naming the field ({@code compartments[3].size}).
 *
 * <p>The core's descriptor has no field for the cabinet's maker: {@link CabinetDescriptor#vendor()} is this bundle's
 * {@code lockergate.vendor} ({@code coap}), as {@code Cabinet.vendor} documents and the core matches on, and the maker
 * goes in front of the model ({@code "acme M1"}).
 */
final class Descriptors {

    static final String BAD_DESCRIPTOR = "bad_descriptor";

    /** Ids: what a DTLS-PSK identity may contain, and safe as a path segment. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");
    /** Door labels: 1–32 characters that need no escaping in a path segment or a query. */
    static final Pattern LABEL = Pattern.compile("[^\\s/?#&\\p{Cntrl}]{1,32}");
    static final Pattern TEXT = Pattern.compile("[^\\p{Cntrl}]{1,64}");
    static final Pattern SIZE = Pattern.compile("[SML]");
    static final int MAX_COMPARTMENTS = 1024;
    static final int MAX_NUMBER = 65535;
    /** RFC 9176 §5: the lifetime when a registration gives none (25 h). */
    static final long DEFAULT_LIFETIME = 90_000;

    private Descriptors() {
    }

    /** A registration request, read and checked. */
    record Parsed(CabinetDescriptor descriptor, long lifetimeSeconds) {
    }

    static Parsed parse(Map<String, String> query, JsonNode body, int heartbeatSeconds) {
        String ep = query.get("ep");
        if (ep == null || ep.isEmpty()) {
            throw bad("ep", "缺少查询参数 ep（柜子 ID）", "the query parameter ep (the cabinet id) is required");
        }
        if (!ID.matcher(ep).matches()) {
            throw bad("ep", "须为 1–64 个 A-Z a-z 0-9 . _ - : @ 字符", "must be 1-64 of A-Z a-z 0-9 . _ - : @");
        }
        long lifetime = DEFAULT_LIFETIME;
        String lt = query.get("lt");
        if (lt != null) {
            try {
                lifetime = Long.parseLong(lt);
            } catch (NumberFormatException e) {
                lifetime = -1;
            }
            if (lifetime < heartbeatSeconds || lifetime > Integer.MAX_VALUE) {
                throw bad("lt", "须为不小于心跳（" + heartbeatSeconds + " 秒）的整数秒", "must be whole seconds, at least"
                        + " the heartbeat (" + heartbeatSeconds + " s)");
            }
        }
        if (body == null || !body.isObject()) {
            throw bad("(body)", "须为 JSON 对象", "must be a JSON object");
        }
        String maker = text(body, "vendor");
        String model = text(body, "model");
        String firmware = text(body, "firmware");
        long boot = number(body, "boot", "boot", 0, Long.MAX_VALUE);
        String groupId = string(body, "groupId", "groupId", ID, "须为 1–64 个 A-Z a-z 0-9 . _ - : @ 字符",
                "must be 1-64 of A-Z a-z 0-9 . _ - : @");
        JsonNode list = body.get("compartments");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_COMPARTMENTS) {
            throw bad("compartments", "须为 1–" + MAX_COMPARTMENTS + " 个格口的数组",
                    "must be an array of 1-" + MAX_COMPARTMENTS + " compartments");
        }
        List<CompartmentSpec> specs = new ArrayList<>(list.size());
        Map<String, Integer> labels = new HashMap<>();
        Map<Long, Integer> channels = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String at = "compartments[" + i + "]";
            if (!node.isObject()) {
                throw bad(at, "须为 JSON 对象", "must be a JSON object");
            }
            String label = string(node, "compartment", at + ".compartment", LABEL,
                    "须为 1–32 个字符，不含空白和 / ? # &", "must be 1-32 characters without blanks or / ? # &");
            SizeClass size = SizeClass.valueOf(string(node, "size", at + ".size", SIZE, "须为 S、M 或 L",
                    "must be S, M or L"));
            int board = (int) number(node, "board", at + ".board", 1, MAX_NUMBER);
            int channel = (int) number(node, "channel", at + ".channel", 1, MAX_NUMBER);
            Integer sameLabel = labels.putIfAbsent(label, i);
            if (sameLabel != null) {
                throw bad(at + ".compartment", "与 compartments[" + sameLabel + "] 重复：" + label,
                        "repeats compartments[" + sameLabel + "]: " + label);
            }
            Integer sameChannel = channels.putIfAbsent((long) board << 32 | channel, i);
            if (sameChannel != null) {
                throw bad(at + ".channel", "板 " + board + " 通道 " + channel + " 已用于 compartments[" + sameChannel + "]",
                        "board " + board + " channel " + channel + " is also compartments[" + sameChannel + "]");
            }
            specs.add(new CompartmentSpec(label, size, board, channel));
        }
        CabinetDescriptor descriptor = new CabinetDescriptor(ep, groupId, CoapVendor.VENDOR,
                maker.equals(model) || model.startsWith(maker + " ") ? model : maker + " " + model, firmware, boot,
                specs);
        return new Parsed(descriptor, lifetime);
    }

    private static String text(JsonNode body, String name) {
        return string(body, name, name, TEXT, "须为 1–64 个字符，不含控制字符", "must be 1-64 characters without control"
                + " characters");
    }

    private static String string(JsonNode node, String name, String field, Pattern pattern, String zh, String en) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw bad(field, "缺少此字段", "is required");
        }
        if (!value.isTextual() || !pattern.matcher(value.textValue()).matches()) {
            throw bad(field, zh, en);
        }
        return value.textValue();
    }

    private static long number(JsonNode node, String name, String field, long min, long max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw bad(field, "缺少此字段", "is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                || value.longValue() > max) {
            throw bad(field, "须为 " + min + " 到 " + max + " 的整数", "must be a whole number from " + min + " to " + max);
        }
        return value.longValue();
    }

    static CoapException bad(String field, String zh, String en) {
        return new CoapException(CoapResponseCode.BAD_REQUEST, BAD_DESCRIPTOR,
                "柜子描述无效：" + field + " " + zh + " / Bad descriptor: " + field + " " + en).with("field", field);
    }
}
