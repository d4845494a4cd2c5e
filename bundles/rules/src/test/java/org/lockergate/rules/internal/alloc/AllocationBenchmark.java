package org.lockergate.rules.internal.alloc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.Allocation;
import org.lockergate.api.spi.AllocationRequest;

/**
 * Allocation decisions per second (not a test; run by {@code bundles/rules/bench/allocation-bench.sh}): 20 groups ×
 * 200 compartments (S 69 % / M 23 % / L 8 %), 3 companies with shares 40/35/25, shared part 20 %, borrowing on,
 * 60 % of the compartments occupied at random, a few FAULT; random company, size (S 70 / M 22 / L 8 %) and low
 * preference per decision. Our {@link QuotaAllocation} (quota arithmetic, ordering, wear rotation, the explanation
 * text) beside a plain first-free scan of the same compartment list, alternating windows, in one JVM.
 */
public final class AllocationBenchmark {

    static final int GROUPS = 20;
    static final int PER_GROUP = 200;
    static final String[] COMPANIES = {"JT", "ZTO", "YUNDA"};

    private AllocationBenchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long windowMs = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        Random random = new Random(42);
        Map<String, String> owners = new HashMap<>();
        List<List<Compartment>> groups = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            List<Compartment> list = new ArrayList<>();
            for (int i = 0; i < PER_GROUP; i++) {
                SizeClass size = i < 138 ? SizeClass.S : i < 184 ? SizeClass.M : SizeClass.L;
                String label = Integer.toString(i + 1);
                double r = random.nextDouble();
                if (r < 0.6) {
                    String parcel = "p" + g + "-" + i;
                    owners.put(parcel, COMPANIES[random.nextInt(3)]);
                    list.add(new Compartment("g" + g, "c" + (i / 48), label, size, 1 + i % 48 / 24, 1 + i % 24,
                            CompartmentState.OCCUPIED, true, true, null, parcel));
                } else {
                    CompartmentState state = r < 0.62 ? CompartmentState.FAULT : CompartmentState.FREE;
                    list.add(new Compartment("g" + g, "c" + (i / 48), label, size, 1 + i % 48 / 24, 1 + i % 24,
                            state, true, false, null, null));
                }
            }
            groups.add(List.copyOf(list));
        }
        // the core's CompanyOf caches per parcel id after the first look-up: a map is the steady state
        CompanyOf companies = c -> c.parcelId() == null ? null : owners.get(c.parcelId());
        QuotaRules rules = QuotaRules.parse(QuotaAllocationTest.config(new String[] {"JT=40", "ZTO=35", "YUNDA=25"},
                20, true, 100, "shared", new String[] {"1-4"}, true));
        // the store's use counters, as the core's CompartmentUses answers them (read once per group)
        Map<String, Map<String, Long>> uses = new HashMap<>();
        for (List<Compartment> list : groups) {
            Map<String, Long> counts = new HashMap<>();
            list.forEach(c -> counts.put(c.label(), (long) random.nextInt(500)));
            uses.put(list.get(0).groupId(), counts);
        }
        QuotaAllocation policy = new QuotaAllocation(companies, rules, KnownCompanies.UNKNOWN, uses::get);
        int n = 1 << 16;
        AllocationRequest[] requests = new AllocationRequest[n];
        int[] groupOf = new int[n];
        for (int i = 0; i < n; i++) {
            double s = random.nextDouble();
            SizeClass size = s < 0.70 ? SizeClass.S : s < 0.92 ? SizeClass.M : SizeClass.L;
            groupOf[i] = random.nextInt(GROUPS);
            requests[i] = new AllocationRequest("g" + groupOf[i], COMPANIES[random.nextInt(3)], size,
                    random.nextInt(10) == 0, Set.of());
        }
        System.out.printf("allocation benchmark: %d groups x %d compartments, 3 companies, %d runs of %d ms%n",
                GROUPS, PER_GROUP, runs, windowMs);
        // warm-up (C2 needs a while on a busy 2-core machine)
        measure(() -> oursOnce(policy, requests, groupOf, groups), 8000);
        measure(() -> plainOnce(requests, groupOf, groups), 3000);
        double[] ours = new double[runs];
        double[] plain = new double[runs];
        for (int r = 0; r < runs; r++) {
            ours[r] = measure(() -> oursOnce(policy, requests, groupOf, groups), windowMs);
            double oursWall = lastWallRate;
            plain[r] = measure(() -> plainOnce(requests, groupOf, groups), windowMs);
            System.out.printf("run %d: quota allocation %,.0f decisions per CPU-second (%,.0f/s wall), first-free scan "
                    + "%,.0f (%,.0f/s wall), ratio %.4f%n", r + 1, ours[r], oursWall, plain[r], lastWallRate,
                    ours[r] / plain[r]);
        }
        double mo = median(ours);
        double mp = median(plain);
        System.out.printf("median per CPU-second: quota allocation %,.0f decisions (%.1f us CPU each), first-free scan "
                + "%,.0f (%.2f us each), ratio %.4f; (checksum %d)%n", mo, 1e6 / mo, mp, 1e6 / mp, mo / mp, sink);
    }

    static long sink;
    private static int cursor;

    private static void oursOnce(QuotaAllocation policy, AllocationRequest[] requests, int[] groupOf,
            List<List<Compartment>> groups) {
        int i = cursor++ & (requests.length - 1);
        Allocation a = policy.allocate(requests[i], groups.get(groupOf[i]));
        sink += a.candidates().size() + a.explanation().length();
    }

    /** The baseline: the first FREE compartment (door closed, empty) of a size that holds the parcel. */
    private static void plainOnce(AllocationRequest[] requests, int[] groupOf, List<List<Compartment>> groups) {
        int i = cursor++ & (requests.length - 1);
        AllocationRequest request = requests[i];
        for (Compartment c : groups.get(groupOf[i])) {
            if (c.state() == CompartmentState.FREE && c.doorClosed() && !c.itemPresent()
                    && c.size().holds(request.size()) && !request.excluded().contains(c.label())) {
                sink += c.channel();
                return;
            }
        }
    }

    /**
     * Decisions per second of this thread's CPU time (the machine is shared: wall time would measure the other
     * processes too); the wall-clock rate is printed beside it.
     */
    private static double measure(Runnable decision, long windowMs) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + windowMs * 1_000_000;
        long count = 0;
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long now;
        do {
            for (int k = 0; k < 64; k++) {
                decision.run();
            }
            count += 64;
            now = System.nanoTime();
        } while (now < end);
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        lastWallRate = count * 1e9 / (now - start);
        return count * 1e9 / Math.max(1, cpu);
    }

    static double lastWallRate;

    private static double median(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
