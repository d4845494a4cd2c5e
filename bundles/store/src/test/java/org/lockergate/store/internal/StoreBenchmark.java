package org.lockergate.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.lockergate.api.model.OutboxEvent;

/**
 * Benchmark, not a test (run by {@code bundles/store/bench/store-bench.sh}, never in CI): deposit-like transactions
 * per second — insert a parcel, update its compartment, append the outbox row — acknowledged after fsync through the
 * store's group commit at 1, 4, 16 and 64 concurrent writers, beside bare H2 on one connection: no sync at all,
 * {@code CHECKPOINT SYNC} after every commit, the MVStore API ({@code commit(); sync()}) after every commit, and one
 * {@code CHECKPOINT SYNC} per 100 commits. Every figure is the median of several interleaved rounds, each run on a
 * fresh database.
 *
 * <p>Arguments: {@code [seconds per run] [runs] [work folder]}.
 */
public final class StoreBenchmark {

    private static final String PARCEL = "INSERT INTO parcel(parcel_id, group_id, cabinet_id, compartment, size_class, "
            + "waybill, company_code, courier_id, phone_enc, phone_masked, code_hmac, state, consent_channel, "
            + "consent_ref, consent_at, fee_terms_accepted, reserved_at, deposited_at, closed_at) "
            + "VALUES (?, 'g1', 'c1', ?, 'S', ?, 'ZTO', 'ZTO-0421', ?, '138******21', ?, 'DEPOSITED', 'app', 'c-1', ?, "
            + "TRUE, ?, ?, ?)";
    private static final String COMPARTMENT = "UPDATE compartment SET state = 'OCCUPIED', parcel_id = ?, "
            + "occupied_since = ?, item_present = TRUE, uses = uses + 1, version = version + 1 "
            + "WHERE group_id = 'g1' AND label = ?";
    private static final String PHONE = "q3Zr7sV0m1cYb2Lk9Xw4TnP8aE6uH5gJ0dF2iS7oR1eW3yQ=";
    private static final String HMAC = "9f2c4e1a7b3d5f6e8a0c2b4d6f8e0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f";
    private static final int COMPARTMENTS = 128;

    private final double seconds;
    private final int runs;
    private final Path work;
    private int dbCounter;

    private StoreBenchmark(double seconds, int runs, Path work) {
        this.seconds = seconds;
        this.runs = runs;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("store-bench");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        new StoreBenchmark(seconds, runs, work).run();
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "store benchmark: deposit-like transactions/s, median of %d interleaved rounds "
                + "x %.1f s, %d CPUs, %s, folder %s%n", runs, seconds, Runtime.getRuntime().availableProcessors(),
                Runtime.version(), work);
        int[] writers = {1, 4, 16, 64};
        List<String> names = new ArrayList<>(List.of(
                "bare H2, no sync (WRITE_DELAY=0)",
                "bare H2, CHECKPOINT SYNC after every commit",
                "bare H2, MVStore commit()+sync() after every commit",
                "bare H2, CHECKPOINT SYNC per 100 commits"));
        List<Run> configs = new ArrayList<>(List.of(() -> bare(0), () -> bare(1), this::bareMvStore, () -> bare(100)));
        for (int w : writers) {
            names.add("store, group commit, " + w + " writer" + (w == 1 ? "" : "s"));
            configs.add(() -> store(w, true));
        }
        names.add("store, 16 writers, writes NOT serialised (benchmark only)");
        configs.add(() -> store(16, false));

        // Interleaved: every round runs each configuration once, so load from other processes on this shared
        // machine spreads over all of them instead of skewing whichever ran during a busy minute.
        double[][] rates = new double[configs.size()][runs];
        double[][] perSync = new double[configs.size()][runs];
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < runs; r++) {
            long cpu0 = processCpuNanos();
            long wall0 = System.nanoTime();
            for (int c = 0; c < configs.size(); c++) {
                double[] result = configs.get(c).once();
                rates[c][r] = result[0];
                perSync[c][r] = result[1];
            }
            System.out.printf(Locale.ROOT, "round %d done: load average %.1f, this process used %.0f %% CPU%n", r + 1,
                    os.getSystemLoadAverage(), 100.0 * (processCpuNanos() - cpu0) / (System.nanoTime() - wall0));
        }
        System.out.println();
        double[] median = new double[configs.size()];
        for (int c = 0; c < configs.size(); c++) {
            double[] sorted = rates[c].clone();
            Arrays.sort(sorted);
            median[c] = sorted[runs / 2];
            double[] ps = perSync[c].clone();
            Arrays.sort(ps);
            System.out.printf(Locale.ROOT, "%-62s %7.0f/s  runs %s%s%n", names.get(c), median[c],
                    Arrays.stream(rates[c]).mapToObj(x -> String.format(Locale.ROOT, "%.0f", x)).toList(),
                    ps[runs / 2] > 0 ? String.format(Locale.ROOT, "  %.1f tx/sync", ps[runs / 2]) : "");
        }
        double noSync = median[0];
        double perCommit = median[1];
        System.out.println();
        System.out.println("ratios of medians to bare H2 with CHECKPOINT SYNC after every commit "
                + "(DESIGN target >= 2.0 through group commit):");
        for (int i = 0; i < writers.length; i++) {
            double v = median[4 + i];
            System.out.printf(Locale.ROOT, "  store %2d writers: %7.0f/s = %5.2f x fsync-per-commit, %5.2f x no-sync%n",
                    writers[i], v, v / perCommit, v / noSync);
        }
        System.out.printf(Locale.ROOT, "  MVStore sync vs CHECKPOINT SYNC per commit: %.2f x%n", median[2] / perCommit);
        System.out.printf(Locale.ROOT, "  100 commits per sync: %.2f x fsync-per-commit, %.2f x no-sync%n",
                median[3] / perCommit, median[3] / noSync);
        System.out.printf(Locale.ROOT, "  serialised / concurrent writers at 16: %.2f%n", median[6] / median[8]);
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    @FunctionalInterface
    private interface Run {
        double[] once() throws Exception; // {transactions per second, transactions per sync or 0}
    }

    private Path freshDir() {
        return work.resolve("db" + (++dbCounter));
    }

    // ------------------------------------------------------------------------------------------------ bare H2

    /** One connection, same SQL, commit, then CHECKPOINT SYNC every {@code every} commits (0 = never). */
    private double[] bare(int every) throws Exception {
        Path dir = freshDir();
        createSchema(dir);
        try (Connection c = Stores.jdbc(dir); Statement sync = c.createStatement()) {
            seed(c);
            c.setAutoCommit(false);
            Deposit deposit = new Deposit(c, 0);
            for (long n = 0; n < 2_000; n++) { // warm up
                deposit.run(n);
                c.commit();
            }
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() < end) {
                deposit.run(n);
                c.commit();
                n++;
                if (every > 0 && n % every == 0) {
                    sync.execute("CHECKPOINT SYNC");
                }
            }
            double rate = n / ((System.nanoTime() - start) / 1e9);
            return new double[] {rate, every};
        }
    }

    /** Bare H2 with the MVStore API, reached through H2's internals (possible on a plain class path only). */
    private double[] bareMvStore() throws Exception {
        Path dir = freshDir();
        createSchema(dir);
        try (Connection c = Stores.jdbc(dir)) {
            seed(c);
            org.h2.mvstore.MVStore mv = ((org.h2.engine.SessionLocal) ((org.h2.jdbc.JdbcConnection) c).getSession())
                    .getDatabase().getStore().getMvStore();
            c.setAutoCommit(false);
            Deposit deposit = new Deposit(c, 0);
            for (long n = 0; n < 2_000; n++) {
                deposit.run(n);
                c.commit();
            }
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() < end) {
                deposit.run(n);
                c.commit();
                mv.commit();
                mv.sync();
                n++;
            }
            return new double[] {n / ((System.nanoTime() - start) / 1e9), 1};
        }
    }

    // ------------------------------------------------------------------------------------------------ store

    private double[] store(int writers, boolean serial) throws Exception {
        Path dir = freshDir();
        H2Store store = H2Store.standalone(StoreSettings.defaults(dir), Clock.systemUTC());
        if (!serial) {
            store.concurrentWritersForBenchmarkOnly();
        }
        if (!store.start()) {
            throw new IllegalStateException(store.failure());
        }
        try {
            store.write("bench.seed", tx -> {
                seed(tx.connection());
                return null;
            });
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong count = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch started = new CountDownLatch(writers);
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    started.countDown();
                    long n = 0;
                    while (!stop.get()) {
                        long i = n++;
                        try {
                            store.write("bench.deposit", tx -> {
                                new Deposit(tx.connection(), writer).run(i, tx);
                                return null;
                            });
                        } catch (Exception e) {
                            errors.add(e);
                            return;
                        }
                        if (measuring.get()) {
                            count.incrementAndGet();
                        }
                    }
                }, "bench-writer-" + w);
                threads.add(t);
                t.start();
            }
            started.await();
            Thread.sleep(1_000); // warm up
            long syncs0 = store.stats().syncs();
            long tx0 = store.stats().transactions();
            measuring.set(true);
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            measuring.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long syncs = store.stats().syncs() - syncs0;
            long txs = store.stats().transactions() - tx0;
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException("writer failed", errors.get(0));
            }
            return new double[] {count.get() / elapsed, syncs == 0 ? 0 : (double) txs / syncs};
        } finally {
            store.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ workload

    /** Registry rows: group g1, cabinet c1, compartments 1..128. */
    private static void seed(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO cabinet_group(group_id, name, created_at) VALUES ('g1', 'Bench', CURRENT_TIMESTAMP)");
            st.execute("INSERT INTO cabinet(cabinet_id, group_id, vendor, registered_at) "
                    + "VALUES ('c1', 'g1', 'coap', CURRENT_TIMESTAMP)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO compartment(group_id, label, cabinet_id, "
                + "size_class, board, channel, state) VALUES ('g1', ?, 'c1', 'S', 1, ?, 'FREE')")) {
            for (int i = 1; i <= COMPARTMENTS; i++) {
                ps.setString(1, Integer.toString(i));
                ps.setInt(2, i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** One deposit: parcel row, compartment update, outbox row (the store's, or the same SQL on a bare connection). */
    private static final class Deposit {
        private final Connection c;
        private final int writer;

        Deposit(Connection c, int writer) {
            this.c = c;
            this.writer = writer;
        }

        void run(long n) throws SQLException {
            run(n, null);
        }

        void run(long n, org.lockergate.store.StoreTx tx) throws SQLException {
            String id = UUID.randomUUID().toString();
            String label = Integer.toString(1 + (int) ((writer * 7L + n) % COMPARTMENTS));
            java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
            try (PreparedStatement ps = c.prepareStatement(PARCEL)) {
                ps.setString(1, id);
                ps.setString(2, label);
                ps.setString(3, "JT" + n + "W" + writer);
                ps.setString(4, PHONE);
                ps.setString(5, HMAC);
                ps.setObject(6, now);
                ps.setObject(7, now);
                ps.setObject(8, now);
                ps.setObject(9, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(COMPARTMENT)) {
                ps.setString(1, id);
                ps.setObject(2, now);
                ps.setString(3, label);
                ps.executeUpdate();
            }
            String data = "{\"parcelId\":\"" + id + "\",\"groupId\":\"g1\",\"cabinetId\":\"c1\",\"compartment\":\""
                    + label + "\",\"size\":\"S\",\"company\":\"ZTO\",\"freeUntil\":\"" + Instant.now() + "\"}";
            if (tx != null) {
                tx.outbox(OutboxEvent.Stream.EVENTS, "parcel.deposited", Instant.now(), data);
                return;
            }
            long seq;
            try (PreparedStatement ps = c.prepareStatement(Tx.NEXT_SEQ)) {
                ps.setString(1, "EVENTS");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(Tx.INSERT_OUTBOX)) {
                ps.setString(1, "EVENTS");
                ps.setLong(2, seq);
                ps.setString(3, UUID.randomUUID().toString());
                ps.setString(4, "parcel.deposited");
                ps.setObject(5, now);
                ps.setString(6, data);
                ps.executeUpdate();
            }
        }
    }

    /** A fresh database with the store's schema, closed again, for the bare runs. */
    private static void createSchema(Path dir) {
        H2Store store = H2Store.standalone(StoreSettings.defaults(dir), Clock.systemUTC());
        if (!store.start()) {
            throw new IllegalStateException(store.failure());
        }
        store.close();
    }
}
