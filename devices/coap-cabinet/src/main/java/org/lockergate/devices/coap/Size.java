package org.lockergate.devices.coap;

/** Compartment size classes by inner height (DESIGN.md R10): S 80–110 mm, M 110–250 mm, L above 250 mm. */
public enum Size {
    S, M, L;

    /** The wire name: {@code "S"}, {@code "M"} or {@code "L"}. */
    public String wireName() {
        return name();
    }

    /** Parses {@code S}, {@code M} or {@code L}, in either case. */
    public static Size parse(String text) {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
