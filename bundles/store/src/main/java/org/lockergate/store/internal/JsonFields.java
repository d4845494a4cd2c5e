package org.lockergate.store.internal;

/**
 * Just enough JSON scanning to erase one top-level member's value (R8: the clear pickup code in a confirmed
 * {@code notification.requested} row becomes {@code null}). Everything else in the text stays byte for byte.
 */
final class JsonFields {

    private JsonFields() {
    }

    /**
     * Replaces the value of the top-level member {@code key} of a JSON object with {@code null}. Returns the text
     * unchanged when it is not an object or has no such member.
     */
    static String nullOut(String json, String key) {
        int n = json.length();
        int i = skipWs(json, 0);
        if (i >= n || json.charAt(i) != '{') {
            return json;
        }
        i++;
        StringBuilder out = null;
        int copied = 0;
        while (true) {
            i = skipWs(json, i);
            if (i >= n || json.charAt(i) == '}') {
                break;
            }
            if (json.charAt(i) == ',') {
                i++;
                continue;
            }
            if (json.charAt(i) != '"') {
                return json; // malformed: leave it
            }
            int keyEnd = stringEnd(json, i);
            String name = json.substring(i + 1, keyEnd - 1);
            i = skipWs(json, keyEnd);
            if (i >= n || json.charAt(i) != ':') {
                return json;
            }
            int valueStart = skipWs(json, i + 1);
            int valueEnd = valueEnd(json, valueStart);
            if (valueEnd < 0) {
                return json;
            }
            if (name.equals(key)) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(json, copied, valueStart).append("null");
                copied = valueEnd;
            }
            i = valueEnd;
        }
        if (out == null) {
            return json;
        }
        return out.append(json, copied, n).toString();
    }

    private static int skipWs(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Index after the closing quote of the string starting at {@code start}; length when unterminated. */
    private static int stringEnd(String s, int start) {
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return s.length();
    }

    /** Index after the value starting at {@code start} (string, number, literal, object or array); -1 if malformed. */
    private static int valueEnd(String s, int start) {
        if (start >= s.length()) {
            return -1;
        }
        char c = s.charAt(start);
        if (c == '"') {
            return stringEnd(s, start);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            int i = start;
            while (i < s.length()) {
                char d = s.charAt(i);
                if (d == '"') {
                    i = stringEnd(s, i);
                    continue;
                }
                if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
                i++;
            }
            return -1;
        }
        int i = start;
        while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return i == start ? -1 : i;
    }
}
