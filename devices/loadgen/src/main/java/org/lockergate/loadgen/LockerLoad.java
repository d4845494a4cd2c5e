package org.lockergate.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.Consent;
import org.lockergate.devices.coap.Declared;
import org.lockergate.devices.coap.DepositResult;
import org.lockergate.devices.coap.NotificationLogTailer;
import org.lockergate.devices.coap.PickupNotice;
import org.lockergate.devices.coap.PowerSource;
import org.lockergate.devices.coap.PickupResult;
import org.lockergate.devices.coap.SessionResult;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.Size;

/**
 * End to end over CoAP against a running gateway (the real distribution, started by bench.sh): simulated cabinets
 * and kiosks in this JVM run deposit → door closed with the item → pickup (code from the development notifier's log)
 * → door closed empty, on many concurrent lanes, for a fixed time after a warm-up.
 *
 * <p>Measured: deposits and pickups acknowledged per second (2.01 / 2.04 answers), complete cycles per second (the
 * empty door's close event acknowledged), and the latency of the kiosk request → answer (the gateway's fsync and the
 * unlock round trip to the simulated cabinet included, the door wait excluded). Beside them: CPU of the gateway
 * JVM, this JVM and the rest of the machine; the store's syncs and transactions per sync (from the gateway's health
 * details, before and after the window).
 *
 * <p>Options: {@code --gateway coap://127.0.0.1:P --notifications FILE --health URL --gateway-pid N --groups g1,g2
 * --cabinets 10 --compartments 48 --lanes 64 --deposit-kiosks 2 --warmup 15 --duration 30 --courier ZTO-0001
 * --pin 123456} ({@code --courier} may contain {@code %s} for the group id), {@code --pickup-address 127.77},
 * {@code --rest-cap 200} (per group), {@code --tailer-ms 20}, {@code --windows 8,64} (lanes of each measuring window,
 * after the warm-up at {@code --lanes}), {@code --progress 10} (seconds between progress lines), {@code --jfr FILE}
 * (record the gateway with {@code jcmd JFR.start} during the last window).
 *
 * <p>Soak options ({@code soak.sh}): {@code --incidents SECONDS} (every so often a random cabinet goes offline for
 * 5–10 s, runs on battery for a while, or reports tampering: outages and alarms in the middle of the traffic),
 * {@code --acknowledged FILE} (writes the id of every acknowledged deposit, one a line, for {@link SoakCheck}). The
 * progress lines then also show the gateway's resident memory.
 */
public final class LockerLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String gateway;
    private final List<String> groups;
    private final Map<String, SimulatedCabinet> cabinets = new LinkedHashMap<>();
    private final Map<String, List<SimulatedKiosk>> depositKiosks = new LinkedHashMap<>();
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private final String courier;
    private final String pin;
    private final NotificationLogTailer tailer;
    private final PickupKiosks pickupKiosks;
    private final Duration requestTimeout = Duration.ofSeconds(10);

    private final AtomicBoolean stop = new AtomicBoolean();
    /** Lanes with an index below this run cycles; the others idle. */
    private volatile int activeLanes;
    /** The measuring window, or null between windows (nothing is counted then). */
    private volatile Window window;
    private final AtomicLong waybills = new AtomicLong();
    /** Acknowledged deposits for the soak's invariant check ({@code --acknowledged}), or null. */
    private java.io.PrintWriter acknowledged;
    private final java.util.Map<String, LongAdder> incidents = new ConcurrentHashMap<>();

    /** What one measuring window counts. */
    private static final class Window {
        final LongAdder deposits = new LongAdder();
        final LongAdder pickups = new LongAdder();
        final LongAdder cycles = new LongAdder();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final Latencies depositLatency = new Latencies();
        final Latencies pickupLatency = new Latencies();
        final Latencies bothLatency = new Latencies();
        final Latencies.Recorder[] depositRec;
        final Latencies.Recorder[] pickupRec;
        final Latencies.Recorder[] bothRec;

        Window(int lanes) {
            depositRec = new Latencies.Recorder[lanes];
            pickupRec = new Latencies.Recorder[lanes];
            bothRec = new Latencies.Recorder[lanes];
            for (int i = 0; i < lanes; i++) {
                depositRec[i] = depositLatency.recorder();
                pickupRec[i] = pickupLatency.recorder();
                bothRec[i] = bothLatency.recorder();
            }
        }
    }

    private LockerLoad(Args args) {
        gateway = args.required("gateway");
        groups = List.of(args.get("groups", "g1,g2").split(","));
        courier = args.get("courier", "ZTO-0001");
        pin = args.get("pin", "123456");
        tailer = new NotificationLogTailer(Path.of(args.required("notifications")),
                Duration.ofMillis(args.integer("tailer-ms", 20)));
        pickupKiosks = new PickupKiosks(groups, gateway, args.get("pickup-address", "127.77"), 6,
                args.integer("rest-cap", 200), 4, requestTimeout);
    }

    public static void main(String[] argv) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Args args = new Args(argv);
        LockerLoad load = new LockerLoad(args);
        int rc = load.run(args);
        System.exit(rc);
    }

    private int run(Args args) throws Exception {
        int perGroup = args.integer("cabinets", 10);
        int compartments = args.integer("compartments", 48);
        int lanes = args.integer("lanes", 64);
        int depositKiosksPerGroup = args.integer("deposit-kiosks", 2);
        double warmup = args.decimal("warmup", 15);
        double duration = args.decimal("duration", 30);
        String windows = args.get("windows", Integer.toString(lanes));
        double progressSeconds = args.decimal("progress", 10);
        String jfr = args.get("jfr", null);
        long gatewayPid = args.longValue("gateway-pid", -1);
        String health = args.get("health", null);
        double incidentSeconds = args.decimal("incidents", 0);
        String acknowledgedFile = args.get("acknowledged", null);
        if (acknowledgedFile != null) {
            acknowledged = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(
                    java.nio.file.Path.of(acknowledgedFile)), true);
        }

        tailer.start();
        long t0 = System.nanoTime();
        for (String g : groups) {
            for (int j = 1; j <= perGroup; j++) {
                String id = String.format(Locale.ROOT, "%s-c%02d", g, j);
                SimulatedCabinet.Builder b = SimulatedCabinet.builder().cabinetId(id).groupId(g).gateway(gateway)
                        .requestTimeout(requestTimeout);
                for (CompartmentSpec s : CompartmentSpec.stock(compartments)) {
                    // labels are unique within a group: cabinet number, dash, door
                    b.compartment(j + "-" + s.label(), s.size(), s.board(), s.channel());
                }
                SimulatedCabinet cabinet = b.build();
                cabinet.start();
                cabinets.put(id, cabinet);
            }
        }
        for (SimulatedCabinet c : cabinets.values()) {
            if (!c.awaitRegistered(Duration.ofSeconds(30))) {
                System.err.println("cabinet " + c.cabinetId() + " did not register");
                return 2;
            }
        }
        for (String g : groups) {
            List<SimulatedKiosk> list = new ArrayList<>();
            for (int k = 1; k <= depositKiosksPerGroup; k++) {
                SimulatedKiosk kiosk = SimulatedKiosk.builder().groupId(g).kioskId("bench-deposit-" + g + "-" + k)
                        .gateway(gateway).requestTimeout(requestTimeout).build();
                kiosk.start();
                list.add(kiosk);
            }
            depositKiosks.put(g, list);
            if (!signIn(g)) {
                return 2;
            }
        }
        System.out.printf(Locale.ROOT, "%d cabinets (%d compartments) registered, %d deposit kiosks, courier sessions "
                + "open, in %.1f s; warm-up %.0f s at %d lanes, then %.0f s at each of %s lanes%n", cabinets.size(),
                cabinets.size() * compartments, groups.size() * depositKiosksPerGroup, (System.nanoTime() - t0) / 1e9,
                warmup, lanes, duration, windows);

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            String group = groups.get(i % groups.size());
            SimulatedKiosk depositKiosk = depositKiosks.get(group).get((i / groups.size()) % depositKiosksPerGroup);
            Lane lane = new Lane(i, group, depositKiosk);
            Thread t = new Thread(lane::run, "lane-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        activeLanes = lanes;
        if (incidentSeconds > 0) {
            Thread incidentThread = new Thread(() -> incidents(incidentSeconds), "incidents");
            incidentThread.setDaemon(true);
            incidentThread.start();
        }
        Thread.sleep((long) (warmup * 1000));

        String[] counts = windows.split(",");
        for (int wi = 0; wi < counts.length; wi++) {
            int active = Math.min(lanes, Integer.parseInt(counts[wi].trim()));
            activeLanes = active;
            if (jfr != null && wi == counts.length - 1 && gatewayPid > 0) {
                // record the gateway during the last window (the saturated one by default)
                Process p = new ProcessBuilder("jcmd", Long.toString(gatewayPid), "JFR.start", "name=loadgen",
                        "settings=profile", "duration=" + (int) Math.ceil(duration + 2) + "s", "filename=" + jfr)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.waitFor();
            }
            Thread.sleep(2_000); // settle at the new concurrency
            JsonNode storeBefore = storeDetails(health);
            long unlocksBefore = unlocks();
            long eventsBefore = events();
            long createdBefore = pickupKiosks.created();
            long waitBefore = pickupKiosks.waitNanos();
            Cpu.Snapshot cpuBefore = Cpu.Snapshot.take(gatewayPid);
            double loadBefore = Cpu.loadAverage();
            Window current = new Window(lanes);
            window = current;
            progress(current, duration, progressSeconds, gatewayPid);
            window = null;
            Cpu.Snapshot cpuAfter = Cpu.Snapshot.take(gatewayPid);
            double elapsed = (cpuAfter.wallNanos() - cpuBefore.wallNanos()) / 1e9;
            JsonNode storeAfter = storeDetails(health);
            report(current, "coap.l" + active, elapsed, cpuAfter.coresSince(cpuBefore), storeBefore, storeAfter,
                    unlocks() - unlocksBefore, events() - eventsBefore, pickupKiosks.created() - createdBefore,
                    pickupKiosks.waitNanos() - waitBefore, active, loadBefore, Cpu.loadAverage());
        }
        stop.set(true);
        if (!incidents.isEmpty()) {
            System.out.println("incidents: " + new java.util.TreeMap<>(incidents));
            Results.put("soak.incidents", incidents.values().stream().mapToLong(LongAdder::sum).sum());
        }
        Results.put("coap.windows", windows);
        Results.put("coap.kiosk_endpoints", depositKiosks.values().stream().mapToInt(List::size).sum()
                + pickupKiosks.maxLive());

        for (Thread t : threads) {
            t.join(3_000);
        }
        cabinets.values().forEach(c -> {
            c.offline(false);
            c.setPower(PowerSource.MAINS);
        });
        if (acknowledged != null) {
            acknowledged.close();
        }
        pickupKiosks.close();
        depositKiosks.values().forEach(l -> l.forEach(SimulatedKiosk::stop));
        tailer.close();
        // deregistration is not measured: stop the cabinets in parallel
        List<Thread> stoppers = new ArrayList<>();
        for (SimulatedCabinet c : cabinets.values()) {
            Thread t = new Thread(c::stop);
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            t.join(5_000);
        }
        return 0;
    }

    private boolean signIn(String group) throws InterruptedException {
        String courierId = courier.contains("%s") ? String.format(Locale.ROOT, courier, group) : courier;
        // the courier's configuration may still be on its way through File Install: try three times (five wrong
        // PINs would lock the courier for 5 minutes)
        for (int attempt = 1;; attempt++) {
            SessionResult session = depositKiosks.get(group).get(0).signIn(courierId, pin);
            if (session.ok()) {
                sessions.put(group, session.session());
                return true;
            }
            if (attempt == 3) {
                System.err.println("sign-in of " + courierId + " at " + group + " failed: " + session.reply());
                return false;
            }
            Thread.sleep(2_000);
        }
    }

    /** One courier-and-resident loop in one group. */
    private final class Lane {
        private final int index;
        private final String group;
        private final SimulatedKiosk depositKiosk;

        Lane(int index, String group, SimulatedKiosk depositKiosk) {
            this.index = index;
            this.group = group;
            this.depositKiosk = depositKiosk;
        }

        void run() {
            while (!stop.get()) {
                if (index >= activeLanes) {
                    pause(50);
                    continue;
                }
                try {
                    cycle();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    error("exception:" + e.getClass().getSimpleName());
                    pause(20);
                }
            }
        }

        /** Counts a kiosk answer in the window that is open when it arrives (none between windows). */
        private void answered(boolean deposit, long latency) {
            Window w = window;
            if (w != null) {
                (deposit ? w.deposits : w.pickups).increment();
                (deposit ? w.depositRec : w.pickupRec)[index].add(latency);
                w.bothRec[index].add(latency);
            }
        }

        private void cycle() throws InterruptedException {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            double r = random.nextDouble();
            Size size = r < 0.69 ? Size.S : r < 0.92 ? Size.M : Size.L;
            long n = waybills.incrementAndGet();
            String phone = "138" + String.format(Locale.ROOT, "%08d", random.nextInt(100_000_000));
            long begin = System.nanoTime();
            DepositResult deposit = depositKiosk.deposit(sessions.get(group), "BN" + (100_000_000_000L + n), size,
                    phone, new Consent("app", "C-" + n, OffsetDateTime.now(), true), Declared.NONE);
            long latency = System.nanoTime() - begin;
            if (!deposit.ok()) {
                error("deposit:" + deposit.reply().codeText() + ":" + deposit.reply().error());
                if ("no_session".equals(deposit.reply().error())) {
                    synchronized (sessions) {
                        signIn(group);
                    }
                }
                pause(20);
                return;
            }
            answered(true, latency);
            java.io.PrintWriter ids = acknowledged;
            if (ids != null) {
                synchronized (ids) {
                    ids.println(deposit.parcelId());
                }
            }
            SimulatedCabinet cabinet = cabinets.get(deposit.cabinetId());
            String label = deposit.compartment();
            cabinet.putItem(label);
            cabinet.closeDoor(label);

            Optional<PickupNotice> notice = tailer.await(deposit.parcelId(), Duration.ofSeconds(20));
            if (notice.isEmpty()) {
                error("no_pickup_code_within_20s");
                return;
            }
            for (int attempt = 1; attempt <= 3; attempt++) {
                PickupKiosks.Keypad keypad = pickupKiosks.acquire(group);
                PickupResult pickup;
                begin = System.nanoTime();
                try {
                    pickup = keypad.kiosk.pickup(notice.get().code(), null);
                } finally {
                    latency = System.nanoTime() - begin;
                    pickupKiosks.release(group, keypad);
                }
                if (pickup.ok()) {
                    answered(false, latency);
                    cabinet.takeItem(label);
                    cabinet.closeDoor(label);
                    long seq = cabinet.lastSeq();
                    if (cabinet.awaitAcked(seq, Duration.ofSeconds(20))) {
                        Window w = window;
                        if (w != null) {
                            w.cycles.increment();
                        }
                    } else {
                        error("close_event_not_acked_within_20s");
                    }
                    return;
                }
                error("pickup:" + pickup.reply().codeText() + ":" + pickup.reply().error());
                if (!"locked".equals(pickup.reply().error())) {
                    return;
                }
                pickupKiosks.spent(group, keypad);
            }
        }
    }

    /**
     * The evening's incidents: a cabinet loses its network for 5-10 s (an outage; deposits and pickups there fail
     * or wait), runs on battery for 10 s (power alarm raised and cleared), or reports tampering (an alarm).
     */
    private void incidents(double everySeconds) {
        List<SimulatedCabinet> all = new ArrayList<>(cabinets.values());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get()) {
            pause((long) (everySeconds * 1000));
            if (stop.get()) {
                return;
            }
            SimulatedCabinet c = all.get(random.nextInt(all.size()));
            int kind = random.nextInt(3);
            String what = kind == 0 ? "outage" : kind == 1 ? "battery" : "tamper";
            incidents.computeIfAbsent(what, k -> new LongAdder()).increment();
            switch (kind) {
                case 0 -> {
                    c.offline(true);
                    pause(5_000 + random.nextInt(5_000));
                    c.offline(false);
                }
                case 1 -> {
                    c.setPower(PowerSource.BATTERY);
                    pause(10_000);
                    c.setPower(PowerSource.MAINS);
                }
                default -> c.tamper();
            }
        }
    }

    /** The gateway's resident memory in MB (Linux /proc), or -1. */
    static long rssMb(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** Sleeps through the window, printing the rates of every {@code every} seconds (transients, GC stalls). */
    private static void progress(Window w, double duration, double every, long gatewayPid)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + (long) (duration * 1e9);
        long lastKiosk = 0;
        long lastCycles = 0;
        Cpu.Snapshot last = Cpu.Snapshot.take(gatewayPid);
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                return;
            }
            Thread.sleep(Math.max(1, Math.min(end - now, (long) (every * 1e9)) / 1_000_000));
            Cpu.Snapshot snap = Cpu.Snapshot.take(gatewayPid);
            double secs = (snap.wallNanos() - last.wallNanos()) / 1e9;
            long kiosk = w.deposits.sum() + w.pickups.sum();
            long cyc = w.cycles.sum();
            double[] cores = snap.coresSince(last);
            System.out.printf(Locale.ROOT, "    t+%3.0f s: deposits+pickups %7.1f/s, cycles %6.1f/s, CPU gateway %.2f, "
                    + "load %.2f, others %.2f, gateway RSS %d MB%n", (snap.wallNanos() - start) / 1e9,
                    (kiosk - lastKiosk) / secs, (cyc - lastCycles) / secs, cores[0], cores[1], cores[2],
                    rssMb(gatewayPid));
            lastKiosk = kiosk;
            lastCycles = cyc;
            last = snap;
        }
    }

    private void error(String what) {
        Window w = window;
        if (w != null) {
            w.errors.computeIfAbsent(what, k -> new LongAdder()).increment();
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long unlocks() {
        long sum = 0;
        for (SimulatedCabinet c : cabinets.values()) {
            sum += c.unlocks();
        }
        return sum;
    }

    /** Events the cabinets have produced (their sequence numbers; one boot each). */
    private long events() {
        long sum = 0;
        for (SimulatedCabinet c : cabinets.values()) {
            sum += c.lastSeq();
        }
        return sum;
    }

    /** The store check's details from the gateway's health, or null. */
    private static JsonNode storeDetails(String url) {
        if (url == null) {
            return null;
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
                if ("store".equals(check.path("name").asText())) {
                    return check.path("details");
                }
            }
        } catch (Exception e) {
            System.err.println("health " + url + ": " + e);
        }
        return null;
    }

    private void report(Window w, String key, double elapsed, double[] cores, JsonNode storeBefore,
            JsonNode storeAfter, long unlocksDone, long eventsDone, long kiosksMade, long waitNanos, int lanes,
            double loadBefore, double loadAfter) {
        Latencies.Summary dep = w.depositLatency.summary();
        Latencies.Summary pick = w.pickupLatency.summary();
        Latencies.Summary both = w.bothLatency.summary();
        double depositRate = w.deposits.sum() / elapsed;
        double pickupRate = w.pickups.sum() / elapsed;
        double cycleRate = w.cycles.sum() / elapsed;
        System.out.printf(Locale.ROOT, "window %.1f s, %d lanes%n", elapsed, lanes);
        System.out.printf(Locale.ROOT, "  deposits acknowledged  %8.1f/s  %s%n", depositRate, dep.describe());
        System.out.printf(Locale.ROOT, "  pickups acknowledged   %8.1f/s  %s%n", pickupRate, pick.describe());
        System.out.printf(Locale.ROOT, "  deposits + pickups     %8.1f/s  %s%n", depositRate + pickupRate,
                both.describe());
        System.out.printf(Locale.ROOT, "  complete cycles        %8.1f/s  (empty door's close event acknowledged)%n",
                cycleRate);
        System.out.printf(Locale.ROOT, "  unlocks answered by the cabinets %.1f/s, cabinet events %.1f/s%n",
                unlocksDone / elapsed, eventsDone / elapsed);
        System.out.printf(Locale.ROOT, "  CPU (cores): gateway JVM %.2f, load JVM %.2f, other processes %.2f, machine "
                + "%.2f of %d; load average %.2f -> %.2f%n", cores[0], cores[1], cores[2], cores[3],
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        System.out.printf(Locale.ROOT, "  pickup kiosks: %d made in the window (%d live at most, %d made in all), "
                + "lanes waited %.1f ms in all for a keypad budget, %d 'locked' answers%n", kiosksMade,
                pickupKiosks.maxLive(), pickupKiosks.created(), waitNanos / 1e6, pickupKiosks.lockedAnswers());
        Map<String, Long> errs = new TreeMap<>();
        w.errors.forEach((k, v) -> errs.put(k, v.sum()));
        System.out.println("  errors in the window: " + (errs.isEmpty() ? "none" : errs));

        Results.rate(key + ".deposit", depositRate, dep);
        Results.rate(key + ".pickup", pickupRate, pick);
        Results.rate(key + ".kiosk", depositRate + pickupRate, both);
        Results.put(key + ".cycles.rate", cycleRate);
        Results.put(key + ".unlocks_per_s", unlocksDone / elapsed);
        Results.put(key + ".events_per_s", eventsDone / elapsed);
        Results.put(key + ".cpu.gateway", cores[0]);
        Results.put(key + ".cpu.load", cores[1]);
        Results.put(key + ".cpu.others", cores[2]);
        Results.put(key + ".load_average", loadAfter);
        Results.put(key + ".pickup_kiosks_made", kiosksMade);
        Results.put(key + ".errors", errs.isEmpty() ? "none" : errs.toString().replace(", ", ","));
        if (storeBefore != null && storeAfter != null) {
            long syncs = storeAfter.path("syncs").asLong() - storeBefore.path("syncs").asLong();
            long txs = storeAfter.path("transactions").asLong() - storeBefore.path("transactions").asLong();
            double cyc = w.cycles.sum();
            System.out.printf(Locale.ROOT, "  store (gateway health): %.0f syncs/s, %.0f transactions/s, %.2f "
                    + "transactions per sync, %.1f transactions per cycle, last sync %.2f ms%n", syncs / elapsed,
                    txs / elapsed, syncs == 0 ? 0 : (double) txs / syncs, cyc == 0 ? 0 : txs / cyc,
                    storeAfter.path("lastSyncMs").asDouble());
            Results.put(key + ".store.syncs_per_s", syncs / elapsed);
            Results.put(key + ".store.tx_per_s", txs / elapsed);
            Results.put(key + ".store.tx_per_sync", syncs == 0 ? 0 : (double) txs / syncs);
            Results.put(key + ".store.tx_per_cycle", cyc == 0 ? 0 : txs / cyc);
            Results.put(key + ".store.ms_per_sync", storeAfter.path("lastSyncMs").asDouble());
        }
    }
}
