package org.lockergate.rules.internal;

import java.time.Duration;

/** Money and durations for explanations: integer fen, never floating point. */
public final class Texts {

    private Texts() {
    }

    /** 150 → "¥1.50". */
    public static String yuan(long fen) {
        String sign = fen < 0 ? "-" : "";
        long abs = Math.abs(fen);
        return sign + "¥" + abs / 100 + "." + (abs % 100 < 10 ? "0" : "") + abs % 100;
    }

    /** 26 h 30 min → "26h30m"; seconds shown only when present ("24h00m01s"). */
    public static String hours(Duration d) {
        long s = d.getSeconds();
        String sign = s < 0 ? "-" : "";
        s = Math.abs(s);
        String text = sign + s / 3600 + "h" + pad(s % 3600 / 60) + "m";
        return s % 60 == 0 && d.getNano() == 0 ? text : text + pad(s % 60) + "s";
    }

    /** A whole number of hours as "24 h", otherwise as {@link #hours}. */
    public static String span(Duration d) {
        return d.toSeconds() % 3600 == 0 && d.getNano() == 0 ? d.toHours() + " h" : hours(d);
    }

    private static String pad(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }
}
