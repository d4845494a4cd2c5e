package org.lockergate.loadgen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Latency samples in nanoseconds: one {@link Recorder} per thread (no sharing while measuring), merged and sorted
 * once at the end. Exact percentiles; a run of a few minutes at a few thousand operations per second fits easily.
 */
final class Latencies {

    private final List<Recorder> recorders = new ArrayList<>();

    /** A recorder for one thread. */
    synchronized Recorder recorder() {
        Recorder r = new Recorder();
        recorders.add(r);
        return r;
    }

    /** Every sample so far, sorted. */
    synchronized Summary summary() {
        int total = 0;
        for (Recorder r : recorders) {
            total += r.size();
        }
        long[] all = new long[total];
        int at = 0;
        for (Recorder r : recorders) {
            at = r.copyInto(all, at);
        }
        Arrays.sort(all, 0, at);
        return new Summary(at == all.length ? all : Arrays.copyOf(all, at));
    }

    static final class Recorder {
        private long[] samples = new long[4096];
        private int size;

        void add(long nanos) {
            synchronized (this) {
                if (size == samples.length) {
                    samples = Arrays.copyOf(samples, size * 2);
                }
                samples[size++] = nanos;
            }
        }

        synchronized int size() {
            return size;
        }

        synchronized int copyInto(long[] target, int at) {
            int n = Math.min(size, target.length - at);
            System.arraycopy(samples, 0, target, at, n);
            return at + n;
        }
    }

    /** Sorted samples. */
    static final class Summary {
        private final long[] sorted;

        Summary(long[] sorted) {
            this.sorted = sorted;
        }

        int count() {
            return sorted.length;
        }

        /** The p-th percentile (0..100) in milliseconds, nearest rank; NaN without samples. */
        double ms(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] / 1e6;
        }

        double maxMs() {
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
        }

        String describe() {
            return String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms (%d samples)",
                    ms(50), ms(99), ms(99.9), maxMs(), count());
        }
    }
}
