package org.lockergate.vendor.cu48.internal;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.CabinetDriver;
import org.lockergate.api.spi.UnlockOutcome;
import org.lockergate.devices.lockboards.Cu48Simulator;
import org.lockergate.devices.lockboards.LockBoard;
import org.lockergate.transport.modbus.ModbusBus;
import org.lockergate.transport.modbus.ModbusOptions;
import org.lockergate.transport.modbus.internal.TcpModbusClient;
import org.lockergate.vendor.lockboard.internal.BoardCabinet;
import org.lockergate.vendor.lockboard.internal.CabinetPlan;
import org.lockergate.vendor.lockboard.internal.CompartmentMap;
import org.lockergate.vendor.lockboard.internal.PollSettings;

/**
 * Issue 5 benchmark (not run by the build; {@code bundles/vendor-cu48/bench/polling-bench.sh}): N cabinets × 4 CU48
 * boards × 48 channels polled every 500 ms by the real engine ({@link BoardCabinet}) over the real transport (j2mod
 * behind {@link TcpModbusClient}) against one simulated serial-to-TCP server per cabinet on loopback.
 * <ul>
 * <li>CPU of the gateway side (threads {@code LockerGate-*}: cabinet engines and Modbus workers) as a share of one
 * core, beside the simulators' threads and the whole process;</li>
 * <li>event latency: a door changed on a simulated board → the DOOR event handed to the core
 * ({@link CabinetLink#report}; the core's own fsync is not included: see the store figures);</li>
 * <li>unlock → verified (OPENED) latency, p50/p99, with the simulated door opening 50 ms after the pulse;</li>
 * <li>round trips per second on one connection: bare j2mod {@code ModbusTCPMaster} and our {@link ModbusBus}, same
 * request (96 discrete inputs), same simulator, same run — and their ratio.</li>
 * </ul>
 * Arguments: {@code [cabinets=20] [measure-seconds=30]}.
 */
public final class PollingBenchmark {

    static final int BOARDS = 4;
    static final int CHANNELS = 48;
    /** Channels 41–48 of every board are for unlocks; the door changer uses 1–40. */
    static final int FIRST_UNLOCK_CHANNEL = 41;

    public static void main(String[] args) throws Exception {
        int cabinets = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        System.out.printf("polling benchmark: %d cabinets x %d boards x %d channels every 500 ms, %d s measured;"
                + " %d cores, load average %.2f%n", cabinets, BOARDS, CHANNELS, seconds,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        roundTrips();
        polling(cabinets, seconds);
        System.out.printf("load average at the end %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.exit(0);
    }

    // ------------------------------------------------------------------------------------------- round trips

    static void roundTrips() throws Exception {
        try (Cu48Simulator sim = Cu48Simulator.start(0, 1); TcpModbusClient client = new TcpModbusClient()) {
            ModbusTCPMaster bare = new ModbusTCPMaster("127.0.0.1", sim.port(), 1000, false, false);
            bare.connect();
            ModbusBus ours = client.open("127.0.0.1", sim.port(), ModbusOptions.DEFAULTS);
            for (int round = 1; round <= 3; round++) {
                double bareRate = rate(Duration.ofSeconds(3), () -> bare.readInputDiscretes(1, 0, 96));
                double ourRate = rate(Duration.ofSeconds(3), () -> ours.readDiscreteInputs(1, 0, 96)
                        .get(2, TimeUnit.SECONDS));
                System.out.printf("round trips/s on one connection, run %d: bare j2mod %,.0f, transport-modbus %,.0f,"
                        + " ratio %.2f%n", round, bareRate, ourRate, ourRate / bareRate);
            }
            ours.close();
            bare.disconnect();
        }
    }

    interface Call {
        void run() throws Exception;
    }

    static double rate(Duration length, Call call) throws Exception {
        long warm = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < warm) {
            call.run();
        }
        long n = 0;
        long start = System.nanoTime();
        long end = start + length.toNanos();
        while (System.nanoTime() < end) {
            call.run();
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    // ------------------------------------------------------------------------------------------- polling

    /** The fake core: hands out links that time-stamp DOOR events against the changes the driver made. */
    static final class TimingHost implements CabinetHost {
        final Map<String, Long> expected = new ConcurrentHashMap<>();
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong events = new AtomicLong();
        final AtomicLong heartbeats = new AtomicLong();
        final AtomicLong unexpected = new AtomicLong();

        @Override
        public CabinetLink attach(CabinetDescriptor descriptor, CabinetDriver driver) {
            String cabinet = descriptor.cabinetId();
            return new CabinetLink() {
                @Override
                public long report(long boot, List<CabinetEvent> batch) {
                    long now = System.nanoTime();
                    long max = 0;
                    for (CabinetEvent e : batch) {
                        events.incrementAndGet();
                        max = Math.max(max, e.seq());
                        if (e.type() == CabinetEvent.Type.DOOR) {
                            Long t0 = expected.remove(cabinet + "/" + e.compartment() + "/" + e.value());
                            if (t0 != null) {
                                latencies.add(now - t0);
                            }
                        }
                    }
                    return max;
                }

                @Override
                public void heartbeat() {
                    heartbeats.incrementAndGet();
                }

                @Override
                public void detach(String reason) {
                }
            };
        }
    }

    static void polling(int count, int seconds) throws Exception {
        List<Cu48Simulator> sims = new ArrayList<>();
        List<BoardCabinet> cabinets = new ArrayList<>();
        TimingHost host = new TimingHost();
        TcpModbusClient client = new TcpModbusClient();
        List<Integer> boards = List.of(1, 2, 3, 4);
        String[] map = {"1:1-48=A01", "2:1-48=B01", "3:1-48=C01", "4:1-48=D01"};
        // the component's defaults: 300 ms answer timeout, 1 read retry, poll every 500 ms, 10 s window, 100 ms verify
        ModbusOptions options = ModbusOptions.DEFAULTS.withTimeout(Duration.ofMillis(300)).withRetries(1);
        for (int i = 0; i < count; i++) {
            Cu48Simulator sim = Cu48Simulator.start(0, 1, 2, 3, 4);
            sims.add(sim);
            CabinetPlan plan = new CabinetPlan("C" + i, "G1", "cu48", "CU48", boards,
                    CompartmentMap.parse(map, boards, CHANNELS, SizeClass.M));
            BoardCabinet cabinet = new BoardCabinet(plan, new Cu48Io(client.open("127.0.0.1", sim.port(), options)),
                    host, p -> Map.of(), PollSettings.DEFAULTS);
            cabinets.add(cabinet);
            cabinet.start();
        }
        Thread.sleep(10_000); // attach, the first full report, JIT warm-up

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<Long, Long> gatewayCpu0 = cpu(threads, "LockerGate-");
        Map<Long, Long> simCpu0 = cpu(threads, "lockboard-");
        long process0 = os.getProcessCpuTime();
        long heartbeats0 = host.heartbeats.get();
        long wall0 = System.nanoTime();

        // door changes: 10 a second on random channels 1-40; unlocks: 4 a second on channels 41-48
        List<Long> unlockNanos = Collections.synchronizedList(new ArrayList<>());
        AtomicLong unlockFailures = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Thread changer = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < end) {
                int c = random.nextInt(count);
                int board = 1 + random.nextInt(BOARDS);
                int channel = 1 + random.nextInt(FIRST_UNLOCK_CHANNEL - 1);
                LockBoard b = sims.get(c).board(board);
                boolean closed = !b.doorClosed(channel);
                String label = (char) ('A' + board - 1) + String.format("%02d", channel);
                host.expected.put("C" + c + "/" + label + "/" + closed, System.nanoTime());
                b.door(channel, closed);
                sleep(100);
            }
        }, "bench-doors");
        Thread unlocker = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < end) {
                int c = random.nextInt(count);
                int board = 1 + random.nextInt(BOARDS);
                int channel = FIRST_UNLOCK_CHANNEL + random.nextInt(CHANNELS - FIRST_UNLOCK_CHANNEL + 1);
                String label = (char) ('A' + board - 1) + String.format("%02d", channel);
                long t0 = System.nanoTime();
                try {
                    UnlockOutcome outcome = cabinets.get(c).unlock(label, Duration.ofMillis(400))
                            .toCompletableFuture().get(15, TimeUnit.SECONDS);
                    if (outcome == UnlockOutcome.OPENED) {
                        unlockNanos.add(System.nanoTime() - t0);
                    } else {
                        unlockFailures.incrementAndGet();
                    }
                } catch (Exception e) {
                    unlockFailures.incrementAndGet();
                }
                sims.get(c).board(board).door(channel, true);
                sleep(250);
            }
        }, "bench-unlocks");
        changer.start();
        unlocker.start();
        changer.join();
        unlocker.join();
        long wall = System.nanoTime() - wall0;
        double gateway = delta(cpu(threads, "LockerGate-"), gatewayCpu0) / (double) wall;
        double simulators = delta(cpu(threads, "lockboard-"), simCpu0) / (double) wall;
        double process = (os.getProcessCpuTime() - process0) / (double) wall;
        double cycles = (host.heartbeats.get() - heartbeats0) / (wall / 1e9);
        Thread.sleep(1_500); // the last changes' events

        System.out.printf("poll cycles/s: %.1f (nominal %.1f: %d cabinets every 500 ms plus the round trips),"
                + " Modbus transactions/s ≈ %.0f%n", cycles, count * 2.0, count, cycles * BOARDS * 2);
        System.out.printf("CPU, share of one core: gateway side (engine + transport + j2mod) %.1f %%,"
                + " simulators %.1f %%, whole process %.1f %%%n", gateway * 100, simulators * 100, process * 100);
        System.out.printf("door change -> DOOR event at the core: %s (unmatched %d)%n",
                percentiles(host.latencies), host.expected.size());
        System.out.printf("unlock -> OPENED (verified): %s, failures %d%n", percentiles(unlockNanos),
                unlockFailures.get());
        for (BoardCabinet cabinet : cabinets) {
            cabinet.close("benchmark over");
        }
        client.close();
        sims.forEach(Cu48Simulator::close);
    }

    static Map<Long, Long> cpu(ThreadMXBean threads, String prefix) {
        Map<Long, Long> out = new java.util.HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    out.put(info.getThreadId(), t);
                }
            }
        }
        return out;
    }

    /** CPU used since {@code before}; threads that started meanwhile count from zero. */
    static long delta(Map<Long, Long> after, Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    static String percentiles(List<Long> nanos) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        if (sorted.isEmpty()) {
            return "no samples";
        }
        Collections.sort(sorted);
        return String.format("n=%d p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms", sorted.size(),
                at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }

    static double at(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PollingBenchmark() {
    }
}
