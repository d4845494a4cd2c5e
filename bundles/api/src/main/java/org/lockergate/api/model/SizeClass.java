package org.lockergate.api.model;

/** Compartment size by inner height (R10): S 80–110 mm, M 110–250 mm, L over 250 mm. */
public enum SizeClass {
    S, M, L;

    /** Whether a compartment of this size holds a parcel that needs {@code wanted}. */
    public boolean holds(SizeClass wanted) {
        return compareTo(wanted) >= 0;
    }

    /** Parses "S", "m", …; throws IllegalArgumentException naming the allowed values. */
    public static SizeClass parse(String text) {
        if (text != null) {
            for (SizeClass size : values()) {
                if (size.name().equalsIgnoreCase(text.trim())) {
                    return size;
                }
            }
        }
        throw new IllegalArgumentException("size must be S, M or L, not '" + text + "'");
    }
}
