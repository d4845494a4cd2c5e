package org.lockergate.management.internal;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a configuration in Felix's {@code .config} format, the format of the files in {@code conf/config} that
 * fileinstall watches. A configuration that comes from such a file is changed by rewriting the file: changing it in
 * ConfigAdmin alone would be undone by fileinstall at the next start.
 *
 * <p>Format (Felix {@code ConfigurationHandler}): one {@code key=value} per line; a value is an optional type code
 * ({@code I L B D F S X C}; none for String) and a quoted simple value, or {@code [ ... ]} for arrays; characters
 * outside printable ASCII are {@code \}{@code uXXXX} escapes; Double and Float are written as their raw IEEE bits, as
 * Felix itself writes them.
 */
final class ConfigFileFormat {

    private ConfigFileFormat() {
    }

    static String write(Map<String, Object> properties) {
        StringBuilder out = new StringBuilder("# written by LockerGate management (configuration import / rollback)\n");
        for (Map.Entry<String, Object> e : new TreeMap<>(properties).entrySet()) {
            escape(out, e.getKey(), true);
            out.append('=');
            value(out, e.getValue());
            out.append('\n');
        }
        return out.toString();
    }

    private static void value(StringBuilder out, Object value) {
        if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            out.append(code(value.getClass().getComponentType())).append('[');
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                simple(out, Array.get(value, i));
            }
            out.append(']');
        } else if (value instanceof Collection<?> collection) {
            Object first = collection.isEmpty() ? "" : collection.iterator().next();
            out.append(code(first.getClass())).append('(');
            int i = 0;
            for (Object item : collection) {
                if (i++ > 0) {
                    out.append(',');
                }
                simple(out, item);
            }
            out.append(')');
        } else {
            out.append(code(value.getClass()));
            simple(out, value);
        }
    }

    private static String code(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "I";
        } else if (type == Long.class || type == long.class) {
            return "L";
        } else if (type == Boolean.class || type == boolean.class) {
            return "B";
        } else if (type == Double.class || type == double.class) {
            return "D";
        } else if (type == Float.class || type == float.class) {
            return "F";
        } else if (type == Short.class || type == short.class) {
            return "S";
        } else if (type == Byte.class || type == byte.class) {
            return "X";
        } else if (type == Character.class || type == char.class) {
            return "C";
        }
        return "";
    }

    private static void simple(StringBuilder out, Object value) {
        Object written = value;
        if (value instanceof Double d) {
            written = Double.doubleToRawLongBits(d);
        } else if (value instanceof Float f) {
            written = Float.floatToRawIntBits(f);
        }
        out.append('"');
        escape(out, String.valueOf(written), false);
        out.append('"');
    }

    private static void escape(StringBuilder out, String text, boolean key) {
        for (char c : text.toCharArray()) {
            if (c == '\\' || c == '"' || (key && (c == '=' || c == ' ' || c == ':'))) {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
    }
}
