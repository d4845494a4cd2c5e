package org.lockergate.management.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Configuration values to and from JSON without losing their Java type: {@code {"type":"Long","value":5}},
 * {@code {"type":"String[]","value":["a","b"]}}. ConfigAdmin keeps types (a Long is not an Integer to a component's
 * typed configuration), so a snapshot must too.
 */
final class TypedValues {

    private static final List<String> SIMPLE = List.of("String", "Integer", "Long", "Boolean", "Double", "Float",
            "Short", "Byte", "Character");

    private TypedValues() {
    }

    static ObjectNode toJson(Object value) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (value.getClass().isArray()) {
            node.put("type", simpleType(box(value.getClass().getComponentType())) + "[]");
            var items = node.putArray("value");
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(simpleJson(Array.get(value, i)));
            }
        } else if (value instanceof Collection<?> collection) {
            Class<?> element = collection.isEmpty() ? String.class : collection.iterator().next().getClass();
            node.put("type", simpleType(element) + "[]");
            var items = node.putArray("value");
            collection.forEach(item -> items.add(simpleJson(item)));
        } else {
            node.put("type", simpleType(value.getClass()));
            node.set("value", simpleJson(value));
        }
        return node;
    }

    static Object fromJson(String key, JsonNode node) {
        if (node == null || !node.isObject() || !node.path("type").isTextual() || !node.has("value")) {
            throw new IllegalArgumentException(key + ": expected {\"type\":…,\"value\":…}");
        }
        String type = node.get("type").asText();
        JsonNode value = node.get("value");
        if (type.endsWith("[]")) {
            String element = type.substring(0, type.length() - 2);
            if (!SIMPLE.contains(element) || !value.isArray()) {
                throw new IllegalArgumentException(key + ": unsupported type " + type);
            }
            Object array = Array.newInstance(classOf(element), value.size());
            for (int i = 0; i < value.size(); i++) {
                Array.set(array, i, simple(key, element, value.get(i)));
            }
            return array;
        }
        if (!SIMPLE.contains(type)) {
            throw new IllegalArgumentException(key + ": unsupported type " + type);
        }
        return simple(key, type, value);
    }

    private static Object simple(String key, String type, JsonNode v) {
        try {
            return switch (type) {
                case "String" -> requireText(v).asText();
                case "Integer" -> Integer.valueOf(requireNumber(v).intValue());
                case "Long" -> Long.valueOf(requireNumber(v).longValue());
                case "Double" -> Double.valueOf(requireNumber(v).doubleValue());
                case "Float" -> Float.valueOf(requireNumber(v).floatValue());
                case "Short" -> Short.valueOf(requireNumber(v).shortValue());
                case "Byte" -> Byte.valueOf(requireNumber(v).numberValue().byteValue());
                case "Boolean" -> {
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException("not a boolean");
                    }
                    yield v.booleanValue();
                }
                case "Character" -> {
                    String s = requireText(v).asText();
                    if (s.length() != 1) {
                        throw new IllegalArgumentException("not one character");
                    }
                    yield s.charAt(0);
                }
                default -> throw new IllegalArgumentException("unsupported type " + type);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + type + " value " + v + " — " + e.getMessage());
        }
    }

    private static JsonNode requireText(JsonNode v) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException("not a string");
        }
        return v;
    }

    private static JsonNode requireNumber(JsonNode v) {
        if (!v.isNumber()) {
            throw new IllegalArgumentException("not a number");
        }
        return v;
    }

    private static JsonNode simpleJson(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value instanceof Integer i) {
            return f.numberNode(i);
        } else if (value instanceof Long l) {
            return f.numberNode(l);
        } else if (value instanceof Double d) {
            return f.numberNode(d);
        } else if (value instanceof Float fl) {
            return f.numberNode(fl);
        } else if (value instanceof Short s) {
            return f.numberNode(s);
        } else if (value instanceof Byte b) {
            return f.numberNode(b);
        } else if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        return f.textNode(String.valueOf(value));
    }

    private static String simpleType(Class<?> type) {
        String name = type.getSimpleName();
        return SIMPLE.contains(name) ? name : "String";
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return Map.<Class<?>, Class<?>>of(int.class, Integer.class, long.class, Long.class, boolean.class,
                Boolean.class, double.class, Double.class, float.class, Float.class, short.class, Short.class,
                byte.class, Byte.class, char.class, Character.class).get(type);
    }

    private static Class<?> classOf(String simple) {
        return switch (simple) {
            case "Integer" -> Integer.class;
            case "Long" -> Long.class;
            case "Boolean" -> Boolean.class;
            case "Double" -> Double.class;
            case "Float" -> Float.class;
            case "Short" -> Short.class;
            case "Byte" -> Byte.class;
            case "Character" -> Character.class;
            default -> String.class;
        };
    }

    /** Deep equality of two configuration values (arrays by content, collections as arrays). */
    static boolean same(Object a, Object b) {
        return normal(a).equals(normal(b));
    }

    private static Object normal(Object v) {
        if (v != null && v.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                list.add(Array.get(v, i));
            }
            return list;
        }
        if (v instanceof Collection<?> c) {
            return new ArrayList<Object>(c);
        }
        return v;
    }
}
