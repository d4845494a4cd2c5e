package org.lockergate.loadgen;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What limited the gateway, from a flight recording taken during the window ({@code bench.sh --jfr}): where the
 * CPU samples are (self and inclusive), what the gateway's threads waited for (parks longer than JFR's threshold,
 * by the first LockerGate or Californium frame: the store's writer lock, the fsync wait, an unlock), the fsyncs
 * themselves ({@code jdk.FileForce}) and the garbage collector's pauses.
 *
 * <p>Usage: {@code JfrSummary gateway.jfr}.
 */
public final class JfrSummary {

    public static void main(String[] argv) throws Exception {
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(argv[0]));
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, double[]> parks = new HashMap<>();
        List<Double> forces = new ArrayList<>();
        double gcPauseMs = 0;
        double gcLongestMs = 0;
        int gcs = 0;
        int samples = 0;
        Duration span = Duration.ZERO;
        java.time.Instant first = null;
        java.time.Instant last = null;
        for (RecordedEvent e : events) {
            if (first == null || e.getStartTime().isBefore(first)) {
                first = e.getStartTime();
            }
            if (last == null || e.getEndTime().isAfter(last)) {
                last = e.getEndTime();
            }
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    List<RecordedFrame> frames = st.getFrames();
                    self.merge(name(frames.get(0)), 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : frames) {
                        String n = name(f);
                        if (seen.add(n)) {
                            inclusive.merge(n, 1, Integer::sum);
                        }
                    }
                }
                case "jdk.ThreadPark" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    String where = "?";
                    if (st != null) {
                        for (RecordedFrame f : st.getFrames()) {
                            String n = name(f);
                            if (n.startsWith("org.lockergate.") || n.startsWith("org.eclipse.californium.")) {
                                where = n;
                                break;
                            }
                        }
                    }
                    double[] a = parks.computeIfAbsent(where, k -> new double[2]);
                    a[0]++;
                    a[1] += e.getDuration().toNanos() / 1e6;
                }
                case "jdk.FileForce" -> forces.add(e.getDuration().toNanos() / 1e6);
                case "jdk.GarbageCollection" -> {
                    gcs++;
                    double ms = e.getDuration("sumOfPauses").toNanos() / 1e6;
                    gcPauseMs += ms;
                    gcLongestMs = Math.max(gcLongestMs, ms);
                }
                default -> {
                }
            }
        }
        if (first != null) {
            span = Duration.between(first, last);
        }
        double seconds = Math.max(0.001, span.toMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "flight recording %s: %.0f s, %d CPU samples%n", argv[0], seconds, samples);
        System.out.println("  CPU samples, self (top 12):");
        top(self, 12, samples, "");
        System.out.println("  CPU samples, inclusive, LockerGate frames (top 20):");
        top(inclusive, 20, samples, "org.lockergate.");
        System.out.println("  CPU samples, inclusive, H2 commit / SQL parsing / Californium / Jackson:");
        for (String k : List.of("org.h2.engine.SessionLocal.commit", "org.h2.mvstore.MVStore.commit",
                "org.h2.command.Parser.parse", "org.h2.engine.SessionLocal.rollback",
                "org.eclipse.californium.elements.UDPConnector$Receiver.work",
                "org.eclipse.californium.core.network.CoapEndpoint$InboxImpl.receiveMessage",
                "com.fasterxml.jackson.databind.ObjectMapper.writeValueAsBytes",
                "com.fasterxml.jackson.databind.ObjectMapper.readTree")) {
            int n = inclusive.getOrDefault(k, 0);
            System.out.printf(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * n / Math.max(1, samples), k);
        }
        System.out.println("  waits (thread parks above JFR's threshold), by the first LockerGate/Californium frame:");
        parks.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1])).limit(8)
                .forEach(en -> System.out.printf(Locale.ROOT, "    %8.1f thread-s in %6.0f parks (%.2f threads "
                        + "on average)  %s%n", en.getValue()[1] / 1000, en.getValue()[0],
                        en.getValue()[1] / 1000 / seconds, en.getKey()));
        if (!forces.isEmpty()) {
            double[] f = forces.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "  fsync (jdk.FileForce above threshold): %d, p50 %.2f ms, p99 %.2f ms, "
                    + "max %.2f ms%n", f.length, pct(f, 50), pct(f, 99), f[f.length - 1]);
        }
        System.out.printf(Locale.ROOT, "  GC: %d collections, %.0f ms of pauses (%.1f %% of the time), longest "
                + "%.0f ms%n", gcs, gcPauseMs, 100 * gcPauseMs / 1000 / seconds, gcLongestMs);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void top(Map<String, Integer> counts, int n, int total, String prefix) {
        counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                .forEach(e -> System.out.printf(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * e.getValue() / total,
                        e.getKey()));
    }

    private static double pct(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    private JfrSummary() {
    }
}
