package org.lockergate.upstream.mqtt.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lockergate.upstream.mqtt.CommandException;
import org.osgi.service.metatype.AttributeDefinition;

/**
 * Validates a {@code config.set} against the PID's metatype and computes the new properties: every key must be an
 * attribute of the PID's object class definition, its value is converted to the attribute's type and cardinality
 * and checked by {@link AttributeDefinition#validate} (range, options); {@code null} removes the key (back to the
 * default). Keys that look like secrets are refused: secrets are files, never configuration (DESIGN.md §3).
 */
final class ConfigChange {

    /** At most this many properties per command. */
    static final int MAX_KEYS = 50;
    private static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile(
            ".*(password|passwd|secret|token|psk|credential|private|hmac|apikey|key$).*");

    private ConfigChange() {
    }

    /** The new properties (the current ones with the changes applied) and the changed keys with their values. */
    record Result(Hashtable<String, Object> properties, Map<String, Object> changed) {
    }

    static Result apply(String pid, Map<String, AttributeDefinition> attributes, Dictionary<String, Object> current,
            Map<String, Object> changes) throws CommandException {
        if (changes.isEmpty() || changes.size() > MAX_KEYS) {
            throw new CommandException(400, "bad_args", "properties 应含 1 至 " + MAX_KEYS + " 项 / properties must"
                    + " hold 1 to " + MAX_KEYS + " entries", Map.of("arg", "properties"));
        }
        Hashtable<String, Object> next = new Hashtable<>();
        if (current != null) {
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                next.put(key, current.get(key));
            }
        }
        Map<String, Object> changed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            String key = e.getKey();
            AttributeDefinition ad = attributes.get(key);
            if (ad == null) {
                throw new CommandException(400, "unknown_property", "配置 " + pid + " 没有属性 " + key
                        + " / Configuration " + pid + " has no property " + key, Map.of("pid", pid, "property", key));
            }
            if (secret(ad, key, e.getValue())) {
                throw new CommandException(403, "secret_property", "不能通过云命令设置密钥类配置 " + key
                        + " / Secret-like property " + key + " cannot be set by a cloud command",
                        Map.of("pid", pid, "property", key));
            }
            if (e.getValue() == null) {
                next.remove(key);
                changed.put(key, null);
                continue;
            }
            Object value = convert(pid, ad, e.getValue());
            next.put(key, value);
            changed.put(key, e.getValue());
        }
        return new Result(next, changed);
    }

    /** A password attribute, a secret-sounding name (not a file, path, id or duration) or a key-like value. */
    static boolean secret(AttributeDefinition ad, String key, Object value) {
        String name = key.toLowerCase(java.util.Locale.ROOT);
        boolean namedSecret = SECRET_NAME.matcher(name).matches() && !name.matches(".*(file|path|id|ttl|seconds|"
                + "minutes|hours|millis|length|digits)$");
        return ad.getType() == AttributeDefinition.PASSWORD || namedSecret
                || value != null && ConfigGetCommand.secret("value", value);
    }

    private static Object convert(String pid, AttributeDefinition ad, Object raw) throws CommandException {
        int cardinality = ad.getCardinality();
        if (cardinality == 0) {
            if (raw instanceof List<?>) {
                throw invalid(pid, ad, "应为单个值 / must be a single value");
            }
            return scalar(pid, ad, raw);
        }
        List<?> items = raw instanceof List<?> l ? l : List.of(raw);
        if (Math.abs(cardinality) != Integer.MAX_VALUE && items.size() > Math.abs(cardinality)) {
            throw invalid(pid, ad, "最多 " + Math.abs(cardinality) + " 个值 / at most " + Math.abs(cardinality)
                    + " values");
        }
        List<Object> values = new ArrayList<>();
        for (Object item : items) {
            values.add(scalar(pid, ad, item));
        }
        if (cardinality < 0) {
            return values;
        }
        Object array = java.lang.reflect.Array.newInstance(arrayType(ad.getType()), values.size());
        for (int i = 0; i < values.size(); i++) {
            java.lang.reflect.Array.set(array, i, values.get(i));
        }
        return array;
    }

    private static Object scalar(String pid, AttributeDefinition ad, Object raw) throws CommandException {
        if (raw == null || raw instanceof Map<?, ?> || raw instanceof List<?>) {
            throw invalid(pid, ad, "类型不对 / wrong type");
        }
        String text = String.valueOf(raw);
        Object value;
        try {
            value = switch (ad.getType()) {
                case AttributeDefinition.STRING -> requireType(raw instanceof String, text);
                case AttributeDefinition.BOOLEAN -> requireType(raw instanceof Boolean, raw);
                case AttributeDefinition.INTEGER -> requireType(integral(raw), Math.toIntExact(((Number) raw).longValue()));
                case AttributeDefinition.LONG -> requireType(integral(raw), ((Number) raw).longValue());
                case AttributeDefinition.SHORT -> requireType(integral(raw), (short) Math.toIntExact(((Number) raw)
                        .longValue()));
                case AttributeDefinition.DOUBLE -> requireType(raw instanceof Number, ((Number) raw).doubleValue());
                case AttributeDefinition.FLOAT -> requireType(raw instanceof Number, ((Number) raw).floatValue());
                default -> throw new IllegalArgumentException("unsupported type");
            };
        } catch (ClassCastException | ArithmeticException | IllegalArgumentException e) {
            throw invalid(pid, ad, "类型不对 / wrong type");
        }
        String problem = ad.validate(text);
        if (problem != null && !problem.isEmpty()) {
            throw invalid(pid, ad, problem);
        }
        return value;
    }

    private static boolean integral(Object raw) {
        return raw instanceof Integer || raw instanceof Long || raw instanceof Short
                || raw instanceof java.math.BigInteger;
    }

    private static Object requireType(boolean ok, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("wrong type");
        }
        return value;
    }

    private static Class<?> arrayType(int type) {
        return switch (type) {
            case AttributeDefinition.BOOLEAN -> Boolean.class;
            case AttributeDefinition.INTEGER -> Integer.class;
            case AttributeDefinition.LONG -> Long.class;
            case AttributeDefinition.SHORT -> Short.class;
            case AttributeDefinition.DOUBLE -> Double.class;
            case AttributeDefinition.FLOAT -> Float.class;
            default -> String.class;
        };
    }

    private static CommandException invalid(String pid, AttributeDefinition ad, String problem) {
        return new CommandException(400, "invalid_value", "配置 " + pid + " 的属性 " + ad.getID() + " 取值无效："
                + problem + " / Invalid value for " + pid + " " + ad.getID() + ": " + problem,
                Map.of("pid", pid, "property", ad.getID()));
    }
}
