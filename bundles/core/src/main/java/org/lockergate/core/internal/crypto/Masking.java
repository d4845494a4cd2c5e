package org.lockergate.core.internal.crypto;

/**
 * Masking for display (R18, GB/T 41833-2022): at least 6 digits of a phone hidden (first 3 and last 2 of a mobile
 * number stay: {@code 138******34}), at least one character of a name ({@code 张*}, {@code 欧*锋}).
 */
public final class Masking {

    private Masking() {
    }

    public static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = digits(phone);
        int n = digits.length();
        int hidden = Math.min(n, Math.max(6, n - 5));
        int rest = n - hidden;
        int end = Math.min(2, rest);
        int start = rest - end;
        return digits.substring(0, start) + "*".repeat(hidden) + digits.substring(n - end);
    }

    public static String name(String name) {
        if (name == null || name.isBlank()) {
            return name;
        }
        int[] cps = name.strip().codePoints().toArray();
        if (cps.length == 1) {
            return "*";
        }
        StringBuilder out = new StringBuilder().appendCodePoint(cps[0]);
        if (cps.length == 2) {
            return out.append('*').toString();
        }
        return out.append("*".repeat(cps.length - 2)).appendCodePoint(cps[cps.length - 1]).toString();
    }

    public static String digits(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch >= '0' && ch <= '9') {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
