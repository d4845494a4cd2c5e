package org.lockergate.loadgen;

import java.util.Locale;

/** Machine-readable result lines for bench.sh ({@code RESULT key value}), next to the human-readable output. */
final class Results {

    private Results() {
    }

    static void put(String key, double value) {
        System.out.printf(Locale.ROOT, "RESULT %s %.3f%n", key, value);
    }

    static void put(String key, String value) {
        System.out.printf(Locale.ROOT, "RESULT %s %s%n", key, value.replace(' ', '_'));
    }

    /** Rate, p50, p99 (ms) of one measured configuration. */
    static void rate(String key, double perSecond, Latencies.Summary latency) {
        put(key + ".rate", perSecond);
        put(key + ".p50", latency.ms(50));
        put(key + ".p99", latency.ms(99));
        put(key + ".count", latency.count());
    }
}
