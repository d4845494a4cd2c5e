package org.lockergate.loadgen;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.store.internal.H2Store;
import org.lockergate.store.internal.StoreSettings;

/**
 * The store half of the locker benchmark, in its own JVM (bench.sh gives it the distribution's JVM flags): durable
 * deposit-like transactions per second and their latency through the real {@link H2Store} — group commit, writes
 * acknowledged after {@code CHECKPOINT SYNC} — at 1/4/16/64 concurrent writers, beside bare H2 on one connection with
 * the same JDBC URL, schema ({@code V1__locker_core.sql}, applied by the store's own migration runner) and
 * transaction: {@code CHECKPOINT SYNC} after every commit (an fsync per commit) and no sync at all.
 *
 * <p>The transaction is the shape of a deposit: insert a parcel, update its compartment, append an outbox row
 * ({@code outbox_stream} seq + {@code outbox} insert). Compartments: 20 groups x 200 (the one-gateway target), picked
 * round-robin per writer, so concurrent writers rarely touch the same row.
 *
 * <p>Options: {@code --folder DIR} (scratch, emptied per run), {@code --seconds 3}, {@code --warmup 1},
 * {@code --writers 1,4,16,64}.
 */
public final class StoreBench {

    private static final int GROUPS = 20;
    private static final int PER_GROUP = 200;

    // the store's own outbox statements (org.lockergate.store.internal.Tx), for the bare runs
    private static final String NEXT_SEQ =
            "SELECT last_seq FROM FINAL TABLE (UPDATE outbox_stream SET last_seq = last_seq + 1 WHERE stream = ?)";
    private static final String INSERT_OUTBOX =
            "INSERT INTO outbox(stream, seq, event_id, type, ts, data) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_PARCEL = "INSERT INTO parcel(parcel_id, group_id, cabinet_id, compartment, "
            + "size_class, waybill, company_code, courier_id, phone_enc, phone_masked, code_hmac, state, "
            + "consent_channel, consent_ref, consent_at, fee_terms_accepted, reserved_at, deposited_at, closed_at) "
            + "VALUES (?, ?, ?, ?, 'S', ?, 'ZTO', 'ZTO-0001', ?, '138******34', ?, 'DEPOSITED', 'app', ?, ?, TRUE, ?, ?, ?)";
    private static final String OCCUPY = "UPDATE compartment SET state = 'OCCUPIED', parcel_id = ?, occupied_since = ?, "
            + "item_present = TRUE, door_closed = TRUE, uses = uses + 1, version = version + 1 "
            + "WHERE group_id = ? AND label = ?";
    /** Sizes of the real columns: AES-GCM base64 of an 11-digit phone, HMAC-SHA-256 hex. */
    private static final String PHONE_ENC = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A=";
    private static final String CODE_HMAC = "5d41402abc4b2a76b9719d911017c592aa6bc9d3f1e7a8c0b4d2e6f8a1c3e5b7";

    private final Path folder;
    private double seconds;
    private final double warmup;
    /** The JIT warm-up runs print nothing. */
    private boolean quiet;
    private int runNumber;

    private StoreBench(Path folder, double seconds, double warmup) {
        this.folder = folder;
        this.seconds = seconds;
        this.warmup = warmup;
    }

    public static void main(String[] argv) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Args args = new Args(argv);
        String given = args.get("folder", null);
        Path folder = given != null ? Path.of(given) : Files.createTempDirectory("loadgen-store");
        StoreBench bench = new StoreBench(folder, args.decimal("seconds", 3), args.decimal("warmup", 1));
        List<Integer> writers = new ArrayList<>();
        for (String w : args.get("writers", "1,4,16,64").split(",")) {
            writers.add(Integer.parseInt(w.trim()));
        }
        System.out.printf(Locale.ROOT, "store path: deposit-like durable transactions (parcel + compartment + outbox), "
                + "%.1f s warm-up + %.1f s per configuration, %d CPUs, Java %s, %s%n", bench.warmup, bench.seconds,
                Runtime.getRuntime().availableProcessors(), Runtime.version(), folder);
        // one unreported pass over both code paths first, so the first measured configuration is not the JIT's
        double measured = bench.seconds;
        bench.quiet = true;
        bench.seconds = 1;
        bench.bare("jit warm-up", "warmup", true);
        bench.store(4);
        bench.quiet = false;
        bench.seconds = measured;
        bench.bare("bare H2, no sync (commit only, WRITE_DELAY=0)", "store.bare_nosync", false);
        bench.bare("bare H2, CHECKPOINT SYNC after every commit", "store.bare_fsync", true);
        for (int w : writers) {
            bench.store(w);
        }
    }

    // ------------------------------------------------------------------------------------------------ bare H2

    private void bare(String title, String key, boolean syncEveryCommit) throws Exception {
        Path dir = freshFolder();
        createSchema(dir);
        Latencies latencies = new Latencies();
        Latencies.Recorder recorder = latencies.recorder();
        long count = 0;
        double elapsed;
        try (Connection c = DriverManager.getConnection(StoreSettings.defaults(dir).jdbcUrl(), "sa", "");
                Statement sync = c.createStatement()) {
            seed(c);
            c.setAutoCommit(false);
            Deposit deposit = new Deposit(0);
            BareOutbox outbox = new BareOutbox(c);
            long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
            while (System.nanoTime() < warmEnd) {
                deposit.run(c, outbox);
                c.commit();
                if (syncEveryCommit) {
                    sync.execute("CHECKPOINT SYNC");
                }
            }
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long now = start;
            while (now < end) {
                deposit.run(c, outbox);
                c.commit();
                if (syncEveryCommit) {
                    sync.execute("CHECKPOINT SYNC");
                }
                long done = System.nanoTime();
                recorder.add(done - now);
                now = done;
                count++;
            }
            elapsed = (now - start) / 1e9;
        }
        Latencies.Summary summary = latencies.summary();
        double rate = count / elapsed;
        if (!quiet) {
            System.out.printf(Locale.ROOT, "%-58s %8.0f tx/s  %s%n", title, rate, summary.describe());
            Results.rate(key, rate, summary);
        }
        deleteQuietly(dir);
    }

    /** The bare runs' outbox row: the store's two statements on the same connection. */
    private static final class BareOutbox implements Outbox {
        private final Connection c;

        BareOutbox(Connection c) {
            this.c = c;
        }

        @Override
        public void append(String type, String data) throws SQLException {
            long seq;
            try (PreparedStatement ps = c.prepareStatement(NEXT_SEQ)) {
                ps.setString(1, OutboxEvent.Stream.EVENTS.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT_OUTBOX)) {
                ps.setString(1, OutboxEvent.Stream.EVENTS.name());
                ps.setLong(2, seq);
                ps.setString(3, UUID.randomUUID().toString());
                ps.setString(4, type);
                ps.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(6, data);
                ps.executeUpdate();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the store

    private void store(int writers) throws Exception {
        Path dir = freshFolder();
        H2Store store = H2Store.standalone(StoreSettings.defaults(dir), Clock.systemUTC());
        if (!store.start()) {
            throw new IllegalStateException(store.failure());
        }
        Latencies latencies = new Latencies();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            store.write("bench.seed", tx -> {
                seed(tx.connection());
                return null;
            });
            CountDownLatch ready = new CountDownLatch(writers);
            for (int w = 0; w < writers; w++) {
                Deposit deposit = new Deposit(w);
                Latencies.Recorder recorder = latencies.recorder();
                Thread t = new Thread(() -> {
                    ready.countDown();
                    while (!stop.get()) {
                        long begin = System.nanoTime();
                        try {
                            store.write("bench.deposit", tx -> {
                                deposit.run(tx.connection(),
                                        (type, data) -> tx.outbox(OutboxEvent.Stream.EVENTS, type, Instant.now(), data));
                                return null;
                            });
                        } catch (Exception e) {
                            errors.add(e);
                            return;
                        }
                        if (measuring.get()) {
                            recorder.add(System.nanoTime() - begin);
                            count.incrementAndGet();
                        }
                    }
                }, "store-writer-" + w);
                threads.add(t);
                t.start();
            }
            ready.await();
            Thread.sleep((long) (warmup * 1000));
            H2Store.Stats before = store.stats();
            measuring.set(true);
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            measuring.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            H2Store.Stats after = store.stats();
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException("a writer failed", errors.get(0));
            }
            long syncs = after.syncs() - before.syncs();
            long txs = after.transactions() - before.transactions();
            double perSync = syncs == 0 ? 0 : (double) txs / syncs;
            double syncMs = syncs == 0 ? 0 : (after.totalSyncNanos() - before.totalSyncNanos()) / 1e6 / syncs;
            Latencies.Summary summary = latencies.summary();
            double rate = count.get() / elapsed;
            if (quiet) {
                return;
            }
            System.out.printf(Locale.ROOT, "%-58s %8.0f tx/s  %s; %.0f syncs/s, %.1f tx/sync, %.2f ms/sync%n",
                    "store (H2Store, group commit), " + writers + " writer" + (writers == 1 ? "" : "s"), rate,
                    summary.describe(), syncs / elapsed, perSync, syncMs);
            String key = "store.w" + writers;
            Results.rate(key, rate, summary);
            Results.put(key + ".syncs_per_s", syncs / elapsed);
            Results.put(key + ".tx_per_sync", perSync);
            Results.put(key + ".ms_per_sync", syncMs);
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            store.close();
            deleteQuietly(dir);
        }
    }

    // ------------------------------------------------------------------------------------------------ workload

    @FunctionalInterface
    private interface Outbox {
        void append(String type, String data) throws SQLException;
    }

    /** One writer's deposits: parcel row, compartment update, outbox row. */
    private static final class Deposit {
        private final int writer;
        private long n;

        Deposit(int writer) {
            this.writer = writer;
        }

        void run(Connection c, Outbox outbox) throws SQLException {
            long i = n++;
            int slot = (int) ((writer * 7919L + i) % (GROUPS * PER_GROUP));
            String group = "g" + (1 + slot / PER_GROUP);
            String cabinet = "c" + (1 + slot / PER_GROUP);
            String label = Integer.toString(1 + slot % PER_GROUP);
            String parcelId = UUID.randomUUID().toString();
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            try (PreparedStatement ps = c.prepareStatement(INSERT_PARCEL)) {
                ps.setString(1, parcelId);
                ps.setString(2, group);
                ps.setString(3, cabinet);
                ps.setString(4, label);
                ps.setString(5, "ZT" + (1_000_000_000L + writer * 100_000_000L + i));
                ps.setString(6, PHONE_ENC);
                ps.setString(7, CODE_HMAC);
                ps.setString(8, "C-" + i);
                ps.setObject(9, now);
                ps.setObject(10, now);
                ps.setObject(11, now);
                ps.setObject(12, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(OCCUPY)) {
                ps.setString(1, parcelId);
                ps.setObject(2, now);
                ps.setString(3, group);
                ps.setString(4, label);
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("no compartment " + group + "/" + label);
                }
            }
            outbox.append("parcel.deposited", "{\"parcelId\":\"" + parcelId + "\",\"groupId\":\"" + group
                    + "\",\"cabinetId\":\"" + cabinet + "\",\"compartment\":\"" + label
                    + "\",\"size\":\"S\",\"company\":\"ZTO\",\"ts\":\"" + now + "\"}");
        }
    }

    /** 20 groups, one cabinet each, 200 compartments each. */
    private static void seed(Connection c) throws SQLException {
        try (PreparedStatement group = c.prepareStatement(
                "INSERT INTO cabinet_group(group_id, name, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)");
                PreparedStatement cabinet = c.prepareStatement("INSERT INTO cabinet(cabinet_id, group_id, vendor, "
                        + "registered_at) VALUES (?, ?, 'coap', CURRENT_TIMESTAMP)");
                PreparedStatement compartment = c.prepareStatement("INSERT INTO compartment(group_id, label, "
                        + "cabinet_id, size_class, board, channel, state) VALUES (?, ?, ?, 'S', ?, ?, 'FREE')")) {
            for (int g = 1; g <= GROUPS; g++) {
                group.setString(1, "g" + g);
                group.setString(2, "Bench group " + g);
                group.executeUpdate();
                cabinet.setString(1, "c" + g);
                cabinet.setString(2, "g" + g);
                cabinet.executeUpdate();
                for (int i = 1; i <= PER_GROUP; i++) {
                    compartment.setString(1, "g" + g);
                    compartment.setString(2, Integer.toString(i));
                    compartment.setString(3, "c" + g);
                    compartment.setInt(4, 1 + (i - 1) / 24);
                    compartment.setInt(5, 1 + (i - 1) % 24);
                    compartment.addBatch();
                }
                compartment.executeBatch();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ files

    private Path freshFolder() throws IOException {
        Path dir = folder.resolve("run" + (++runNumber));
        deleteQuietly(dir);
        Files.createDirectories(dir);
        return dir;
    }

    /** The store's schema through its own migration runner, closed again (for the bare runs). */
    private static void createSchema(Path dir) {
        H2Store store = H2Store.standalone(StoreSettings.defaults(dir), Clock.systemUTC());
        if (!store.start()) {
            throw new IllegalStateException(store.failure());
        }
        store.close();
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }
}
