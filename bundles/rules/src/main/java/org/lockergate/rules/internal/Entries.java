package org.lockergate.rules.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses configuration lists of {@code key=value} entries ("JT=40", "gold=7"). */
public final class Entries {

    private Entries() {
    }

    /** Keys kept in order; blank entries ignored; duplicate keys, missing '=' and non-integers refused. */
    public static Map<String, Integer> ints(String field, String[] entries, int min, int max) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : strings(field, entries).entrySet()) {
            int value;
            try {
                value = Integer.parseInt(e.getValue());
            } catch (NumberFormatException ex) {
                throw new ConfigException(field, "“" + e.getKey() + "=" + e.getValue() + "” 的值不是整数",
                        "'" + e.getKey() + "=" + e.getValue() + "' is not an integer");
            }
            if (value < min || value > max) {
                throw new ConfigException(field, "“" + e.getKey() + "” 的值 " + value + " 不在 " + min + "…" + max
                        + " 之间", "value " + value + " of '" + e.getKey() + "' is not within " + min + "…" + max);
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    public static Map<String, String> strings(String field, String[] entries) {
        Map<String, String> out = new LinkedHashMap<>();
        if (entries == null) {
            return out;
        }
        for (String raw : entries) {
            if (raw == null || raw.isBlank()) {
                continue;
            }
            int eq = raw.indexOf('=');
            if (eq <= 0 || eq == raw.length() - 1) {
                throw new ConfigException(field, "“" + raw + "” 应为 键=值", "'" + raw + "' must be key=value");
            }
            String key = raw.substring(0, eq).trim();
            String value = raw.substring(eq + 1).trim();
            if (key.isEmpty() || value.isEmpty()) {
                throw new ConfigException(field, "“" + raw + "” 应为 键=值", "'" + raw + "' must be key=value");
            }
            if (out.put(key, value) != null) {
                throw new ConfigException(field, "“" + key + "” 重复出现", "'" + key + "' appears twice");
            }
        }
        return out;
    }
}
