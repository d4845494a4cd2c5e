package org.lockergate.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StorageStatus;
import org.lockergate.store.StoreException;
import org.lockergate.store.StoreWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store: H2 on disk in {@code {data}/db/lockergate.mv.db}, migrated at start, with group commit so that a
 * returned {@link #write} is on disk.
 *
 * <h2>Why a returned write survives a crash and a power cut</h2>
 * <ol>
 * <li>The work runs on a pooled connection with auto-commit off; {@code commit()} returns after H2 has written the
 * transaction into the database file: with {@code WRITE_DELAY=0} H2's {@code TransactionStore.endTransaction} calls
 * the blocking {@code MVStore.commit()} for every transaction, which stores one chunk synchronously under the store
 * lock, and H2 runs no background writer or serialization/save executors. (With the default delay the write happens
 * up to 500 ms later from a background thread — what lost acknowledged commits on kill -9 — and stores become
 * asynchronous: a chunk can still sit in H2's save queue when a later {@code CHECKPOINT SYNC} finds "nothing
 * unsaved" and fsyncs; so a delay is not safe even with our sync. {@link #start()} checks the setting.) From here on
 * a <em>process</em> crash loses nothing: the bytes are in the kernel's page cache.</li>
 * <li>The writer takes a ticket and waits. The sync thread ({@link GroupCommit}) runs {@code CHECKPOINT SYNC}, which
 * in H2 2.3 is {@code Database.sync()} → {@code Store.sync()} = {@code MVStore.commit()} (takes the store lock, so a
 * store in progress has finished, and writes any committed change still unsaved — normally none) followed by
 * {@code MVStore.sync()} → {@code FileChannel.force(true)}, i.e. {@code fsync(2)} on the file, data and metadata
 * (file length), outside the store lock, so commits go on during the fsync (commits do not take the
 * {@code Database} monitor that {@code sync()} holds). Only when that returned without error is the writer
 * released, so a returned write is on stable storage: it survives a power cut, given a device that honours cache
 * flushes (or has power-loss protection) and a file system not mounted with barriers off.</li>
 * <li>MVStore never overwrites live data in place: it appends chunks and keeps replaced chunks for 45 s
 * ({@code RETENTION_TIME}). A power cut in the middle of later, not yet synced writes leaves at worst a torn chunk
 * after the last synced one, which H2 ignores when it opens the file, falling back to the last complete version —
 * which contains every acknowledged transaction.</li>
 * <li>The database folder is fsynced once after the file is created, so the file's directory entry is durable
 * too.</li>
 * </ol>
 * Concurrent writers share one {@code fsync}: the sync thread takes every commit completed so far, so under load
 * each fsync carries all the transactions that committed while the previous one ran.
 *
 * <h2>One writer transaction at a time</h2>
 * Write transactions run one after the other (a fair lock from the start of the work to its commit); reads run
 * concurrently on the other pooled connections. Reason: H2's MVStore loses committed updates when transactions
 * wait for a row lock held by a transaction that then rolls back — measured with a plain
 * {@code UPDATE c SET n = n + 1} from 12 threads with every 5th transaction rolled back: the counter ends below the
 * number of commits in 10–40 % of runs, in H2 2.3.232, 2.4.240 and 2.5.252 alike, at READ COMMITTED, REPEATABLE
 * READ and SERIALIZABLE, with or without {@code OPTIMIZE_REUSE_RESULTS=FALSE} (see {@code H2LostUpdateProbe} in the
 * tests). With the writes serialised no transaction ever waits on another's row lock and the loss never occurred.
 * It costs little: the fsync — the expensive part — happens after the lock is released and is shared, and every
 * business transaction also writes the outbox row of its stream, so writers were serialised on that row anyway.
 * The lock also makes deadlocks between store writers impossible. Transactions must stay short: never wait for a
 * device inside {@code write}.
 *
 * <p>Why {@code CHECKPOINT SYNC} and not the MVStore API: the MVStore is reachable only through
 * {@code org.h2.engine.SessionLocal} and {@code org.h2.mvstore.db.Store}, packages the H2 bundle does not export, so
 * inside the framework it would take reflection into H2's internals; measured on this machine the two cost the same
 * (the fsync dominates), see the README.
 */
public final class H2Store implements LockerStore {

    private static final Logger LOG = LoggerFactory.getLogger(H2Store.class);

    static final String USER = "sa";
    /** Embedded file database: whoever can read the file can read the data anyway; the folder is owner-only. */
    static final String PASSWORD = "";
    private static final long BORROW_TIMEOUT_MS = 30_000;
    private static final int PURGE_BATCH = 1_000;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** H2 error codes: retried once. DEADLOCK_1, LOCK_TIMEOUT_1, CONCURRENT_UPDATE_1. */
    private static final int DEADLOCK = 40001;
    private static final int LOCK_TIMEOUT = 50200;
    private static final int CONCURRENT_UPDATE = 90131;
    /** H2 error codes when opening. */
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final int FILE_CORRUPTED = 90030;
    private static final int FILE_VERSION_ERROR = 90048;
    private static final int IO_EXCEPTION_1 = 90028;
    private static final int IO_EXCEPTION_2 = 90031;
    private static final int DATABASE_IS_CLOSED = 90098;
    private static final int DATABASE_CALLED_AT_SHUTDOWN = 90121;
    private static final int GENERAL_ERROR = 50000;

    /** Creates the {@link DataSource} for a JDBC URL: the OSGi {@code DataSourceFactory}, or H2's own in tests. */
    @FunctionalInterface
    public interface DataSourceProvider {
        DataSource create(String url, String user, String password) throws SQLException;
    }

    /** Told after a write that added outbox rows is durable (the component posts an EventAdmin event). */
    @FunctionalInterface
    public interface OutboxListener {
        void written(OutboxEvent.Stream stream);
    }

    private enum State {
        NEW, OPEN, FAILED, CLOSED
    }

    private final DataSourceProvider provider;
    private final MigrationSource migrations;
    private final Clock clock;
    private final OutboxListener listener;
    private volatile StoreSettings settings;
    private volatile UnaryOperator<GroupCommit.SyncAction> syncDecorator = UnaryOperator.identity();

    private volatile State state = State.NEW;
    private volatile String failure;
    private volatile String writeFailure;
    private volatile int schemaVersion;
    private ConnectionPool pool;
    private Connection syncConnection;
    private GroupCommit groupCommit;
    /** Serialises write transactions (see the class comment); held from the work's start to its commit. */
    private final ReentrantLock writer = new ReentrantLock(true);
    /** Only the benchmark turns this off, to measure what the serialisation costs. */
    private volatile boolean serialWrites = true;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    public H2Store(StoreSettings settings, DataSourceProvider provider, MigrationSource migrations, Clock clock,
            OutboxListener listener) {
        this.settings = settings;
        this.provider = provider;
        this.migrations = migrations;
        this.clock = clock;
        this.listener = listener == null ? stream -> { } : listener;
    }

    /**
     * A store outside the framework (tests of other modules, the benchmark, tools): connections from
     * {@link java.sql.DriverManager} (H2 registers its driver through {@code ServiceLoader} on a plain class path),
     * migrations from the class path.
     */
    public static H2Store standalone(StoreSettings settings, Clock clock) {
        return new H2Store(settings, DriverManagerDataSource::new,
                MigrationSource.classpath(H2Store.class.getClassLoader()), clock, null);
    }

    /** Benchmark hook: lets write transactions run concurrently (exposes the H2 lost update; never in production). */
    void concurrentWritersForBenchmarkOnly() {
        serialWrites = false;
    }

    /** Test hook: wraps the sync action (e.g. to make it fail). Call before {@link #start()}. */
    void decorateSync(UnaryOperator<GroupCommit.SyncAction> decorator) {
        this.syncDecorator = decorator;
    }

    // ------------------------------------------------------------------------------------------------ life cycle

    /**
     * Opens the database, creating the folder and the file on first start, and migrates it. Never throws: when the
     * database cannot be opened or migrated, one ERROR line names the file and the cause, {@link #isOpen()} stays
     * false, {@link #failure()} says why, and every call answers with a {@link StoreException}.
     *
     * @return whether the store is open
     */
    public synchronized boolean start() {
        if (state != State.NEW) {
            throw new IllegalStateException("start() called twice");
        }
        StoreSettings s = settings;
        Path file = s.dbFile();
        try {
            createPrivateDirectories(s.dbDir());
            boolean created = !Files.exists(file);
            DataSource dataSource = provider.create(s.jdbcUrl(), USER, PASSWORD);
            syncConnection = dataSource.getConnection();
            syncConnection.setAutoCommit(true);
            checkWriteDelay(syncConnection);
            MigrationRunner.Result result = new MigrationRunner(migrations, next -> backupBeforeMigration(next),
                    clock).migrate(syncConnection);
            schemaVersion = result.version();
            if (created) {
                fsyncDirectory(s.dbDir());
                fsyncDirectory(s.dbDir().getParent());
            }
            pool = new ConnectionPool(dataSource, s.poolSize());
            Statement checkpoint = syncConnection.createStatement();
            GroupCommit.SyncAction sync = () -> checkpoint.execute("CHECKPOINT SYNC");
            groupCommit = new GroupCommit(syncDecorator.apply(sync), "lockergate-store-sync");
            groupCommit.start();
            // the migrations' own changes are on disk before anything else happens
            groupCommit.barrier();
            state = State.OPEN;
            LOG.info("存储已打开 / Store open: {} (schema V{}, {} bytes, pool {}{})", file, schemaVersion,
                    size(file), s.poolSize(), result.applied().isEmpty() ? ""
                            : ", applied " + result.applied().stream().map(Migration::fileName).toList());
            return true;
        } catch (SQLException e) {
            fail(describeOpenError(e, file), e);
        } catch (MigrationException e) {
            fail("数据库迁移失败，存储未打开 / Store not opened, migration of " + file + " failed: " + e.getMessage(), e);
        } catch (GroupCommit.SyncFailedException e) {
            fail("数据库文件无法同步到磁盘 / Cannot force database file " + file + " to disk: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            fail("数据库文件无法打开 / Cannot open database file " + file + ": " + e, e);
        }
        return false;
    }

    /** The durability argument needs H2's synchronous stores; refuse to run on anything else. */
    private static void checkWriteDelay(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            String value = rs.next() ? rs.getString(1) : null;
            if (!"0".equals(value)) {
                throw new SQLException("H2 WRITE_DELAY is " + value + ", the store needs 0 (synchronous commits)");
            }
        }
    }

    private void fail(String message, Exception cause) {
        failure = message;
        state = State.FAILED;
        LOG.error(message);
        LOG.debug("cause of the store failure", cause);
        if (groupCommit != null) {
            groupCommit.close();
        }
        if (pool != null) {
            pool.close();
        }
        ConnectionPool.closeQuietly(syncConnection);
        syncConnection = null;
    }

    private String describeOpenError(SQLException e, Path file) {
        String h2 = MigrationRunner.firstLine(e.getMessage());
        return switch (e.getErrorCode()) {
            case DATABASE_ALREADY_OPEN -> "数据库文件被另一个进程占用 / Database file " + file + " is locked by another "
                    + "process (is a second gateway running on this data folder?): " + h2;
            case FILE_CORRUPTED -> "数据库文件已损坏 / Database file " + file + " is corrupt and cannot be opened; "
                    + "stop the gateway, move the file aside and restore the latest backup from "
                    + settings.backupDir() + " (see the store README): " + h2;
            case FILE_VERSION_ERROR -> "数据库文件格式不支持 / Database file " + file + " is not a database of this "
                    + "H2 version (" + h2 + ")";
            case IO_EXCEPTION_1, IO_EXCEPTION_2 -> "数据库文件读写错误 / Cannot read or write database file " + file
                    + ": " + h2;
            default -> "数据库文件无法打开 / Cannot open database file " + file + ": " + h2 + " (H2 error "
                    + e.getErrorCode() + ")";
        };
    }

    @Override
    public String toString() {
        return "H2Store[" + settings.dbFile() + ", " + state + "]";
    }

    /**
     * Stops: refuses new work, waits for running transactions, syncs every outstanding commit, closes the
     * database.
     */
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        if (pool != null) {
            pool.close(); // waits for borrowed connections: their commits have tickets by then
        }
        if (groupCommit != null) {
            groupCommit.close(); // syncs what is outstanding
        }
        ConnectionPool.closeQuietly(syncConnection); // the last connection: H2 closes the database
        syncConnection = null;
        if (wasOpen) {
            LOG.info("存储已关闭 / Store closed: {}", settings.dbFile());
        }
    }

    /** Applies changed reserve, retention, simulated free space and backup folder; the pool size needs a restart. */
    public void update(StoreSettings changed) {
        StoreSettings old = settings;
        if (changed.poolSize() != old.poolSize() || !changed.dataDir().equals(old.dataDir())) {
            LOG.info("连接池大小或数据目录的修改在重启后生效 / Pool size and data folder changes apply after a restart");
            changed = new StoreSettings(old.dataDir(), old.poolSize(), changed.reserveBytes(), changed.retentionDays(),
                    changed.simulatedFreeBytes(), changed.backupDir());
        }
        settings = changed;
    }

    public StoreSettings settings() {
        return settings;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Why the store is not usable (open failed, sync failed, closed), or null. */
    public String failure() {
        if (state == State.OPEN && groupCommit.failure() != null) {
            return "数据库同步到磁盘失败，需要重启存储 / Forcing the database to disk failed, the store must be "
                    + "restarted: " + groupCommit.failure();
        }
        if (state == State.CLOSED) {
            return "存储已关闭 / The store is closed";
        }
        return failure;
    }

    // ------------------------------------------------------------------------------------------------ writes

    @Override
    public <T> T write(String purpose, StoreWork<T> work) throws StoreException, LockerException {
        GroupCommit gc = writable();
        for (int attempt = 1;; attempt++) {
            boolean locked = lockWriter(purpose);
            Connection c;
            try {
                c = borrow();
            } catch (StoreException e) {
                if (locked) {
                    writer.unlock();
                }
                throw e;
            }
            Tx tx = new Tx(c, false);
            boolean broken = false;
            T result;
            long ticket;
            try {
                result = work.run(tx);
                c.commit();
                // the ticket is taken before the connection goes back, so close() (which waits for the pool)
                // always finds it and syncs it
                ticket = gc.committed();
            } catch (LockerException e) {
                broken = rollback(c);
                throw e;
            } catch (SQLException e) {
                broken = rollback(c);
                if (attempt == 1 && retryable(e)) {
                    retries.incrementAndGet();
                    LOG.debug("retrying {} after {}", purpose, e.getMessage());
                    continue;
                }
                noteWriteError(e);
                throw new StoreException("存储写入失败 / Store write failed (" + purpose + "): "
                        + MigrationRunner.firstLine(e.getMessage()), e);
            } catch (RuntimeException | Error e) {
                broken = rollback(c);
                throw e;
            } finally {
                tx.closeStatements();
                pool.release(c, broken);
                if (locked) {
                    writer.unlock(); // before the fsync wait: the next writer runs while this one waits
                }
            }
            try {
                gc.awaitDurable(ticket);
            } catch (GroupCommit.SyncFailedException e) {
                throw new StoreException("数据库同步到磁盘失败，写入未确认 / Forcing the database to disk failed, "
                        + "the write (" + purpose + ") is not acknowledged: " + e.getMessage(), e.getCause());
            }
            writeFailure = null;
            transactions.incrementAndGet();
            for (Runnable action : tx.afterCommitActions()) {
                try {
                    action.run();
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    LOG.error("提交后动作失败（写入已保存）/ An after-commit action of {} failed; the write stays: {}",
                            purpose, e.toString(), e);
                }
            }
            for (OutboxEvent.Stream stream : tx.outboxStreams()) {
                try {
                    listener.written(stream);
                } catch (RuntimeException e) {
                    LOG.warn("outbox notification for {} failed: {}", stream, e.toString());
                }
            }
            return result;
        }
    }

    @Override
    public <T> T read(StoreWork<T> work) throws StoreException, LockerException {
        readable();
        Connection c = borrow();
        Tx tx = new Tx(c, true);
        boolean broken = false;
        try {
            T result = work.run(tx);
            broken = rollback(c);
            return result;
        } catch (LockerException | RuntimeException | Error e) {
            broken = rollback(c);
            throw e;
        } catch (SQLException e) {
            broken = rollback(c);
            throw new StoreException("存储读取失败 / Store read failed: " + MigrationRunner.firstLine(e.getMessage()),
                    e);
        } finally {
            tx.closeStatements();
            pool.release(c, broken);
        }
    }

    private boolean lockWriter(String purpose) throws StoreException {
        if (!serialWrites) {
            return false;
        }
        try {
            if (!writer.tryLock(BORROW_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new StoreException("存储繁忙 / Store busy: " + purpose + " waited " + BORROW_TIMEOUT_MS
                        + " ms for the running write transaction");
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to write (" + purpose + ")", e);
        }
    }

    private GroupCommit writable() throws StoreException {
        readable();
        Exception syncFailure = groupCommit.failure();
        if (syncFailure != null) {
            throw new StoreException(failure());
        }
        return groupCommit;
    }

    private void readable() throws StoreException {
        if (state != State.OPEN) {
            String why = failure();
            throw new StoreException(why != null ? why : "存储未打开 / The store is not open");
        }
    }

    private Connection borrow() throws StoreException {
        try {
            return pool.borrow(BORROW_TIMEOUT_MS);
        } catch (SQLException e) {
            noteWriteError(e);
            throw new StoreException("无法获得数据库连接 / No database connection: "
                    + MigrationRunner.firstLine(e.getMessage()), e);
        }
    }

    /** Rolls back; returns whether the connection is broken (and must not go back to the pool). */
    private static boolean rollback(Connection c) {
        try {
            if (c.isClosed()) {
                return true;
            }
            c.rollback();
            return false;
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
            return true;
        }
    }

    private static boolean retryable(SQLException e) {
        int code = e.getErrorCode();
        return code == DEADLOCK || code == LOCK_TIMEOUT || code == CONCURRENT_UPDATE || "40001".equals(e.getSQLState());
    }

    /** A write that failed because the database cannot be written (not a constraint or SQL error) makes health DOWN. */
    private void noteWriteError(SQLException e) {
        int code = e.getErrorCode();
        String sqlState = e.getSQLState();
        if (code == DATABASE_IS_CLOSED || code == DATABASE_CALLED_AT_SHUTDOWN || code == IO_EXCEPTION_1
                || code == IO_EXCEPTION_2 || code == FILE_CORRUPTED || code == GENERAL_ERROR
                || (sqlState != null && sqlState.startsWith("08"))) {
            writeFailure = "数据库无法写入 / The database cannot be written (" + settings.dbFile() + "): "
                    + MigrationRunner.firstLine(e.getMessage());
            LOG.error(writeFailure);
        }
    }

    /** The last write failure that means the database cannot be written, cleared by the next durable write. */
    String writeFailure() {
        return writeFailure;
    }

    // ------------------------------------------------------------------------------------------------ outbox

    @Override
    public List<OutboxEvent> pending(OutboxEvent.Stream stream, int limit) throws StoreException {
        return pendingAfter(stream, 0, limit);
    }

    /**
     * Rows above both {@code afterSeq} and the stream's confirmed watermark: one read of the watermark and one range
     * on the primary key (stream, seq), then the durability barrier when rows were found.
     */
    @Override
    public List<OutboxEvent> pendingAfter(OutboxEvent.Stream stream, long afterSeq, int limit) throws StoreException {
        if (limit <= 0) {
            return List.of();
        }
        List<OutboxEvent> rows = unchecked(() -> read(tx -> {
            Connection c = tx.connection();
            long from = Math.max(afterSeq, confirmedSeq(c, stream));
            List<OutboxEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_id, type, ts, data FROM outbox "
                    + "WHERE stream = ? AND seq > ? ORDER BY stream, seq FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, stream.name());
                ps.setLong(2, from);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutboxEvent(rs.getLong(1), stream, rs.getString(2), rs.getString(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5)));
                    }
                }
            }
            return out;
        }));
        if (!rows.isEmpty()) {
            // The query saw every committed row, including rows whose writers still wait for their fsync. Such a
            // row must not reach the cloud before it is on disk: a crash would give its seq to another event.
            // One shared sync that starts now covers all of them (and costs nothing extra under load).
            try {
                groupCommit.barrier();
            } catch (GroupCommit.SyncFailedException e) {
                throw new StoreException(failure(), e.getCause());
            }
        }
        return rows;
    }

    /**
     * {@code last_seq − confirmed_seq}: seqs are gap-free (a rolled-back outbox row gives its seq back), the
     * watermark never passes {@code last_seq}, and purge deletes only rows at or below the watermark, so every seq
     * above the watermark is one existing unconfirmed row. One primary-key lookup, whatever the backlog.
     */
    @Override
    public long pendingCount(OutboxEvent.Stream stream) throws StoreException {
        return unchecked(() -> read(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement(
                    "SELECT last_seq - confirmed_seq FROM outbox_stream WHERE stream = ?")) {
                ps.setString(1, stream.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Math.max(0, rs.getLong(1)) : 0L;
                }
            }
        }));
    }

    /**
     * Moves the stream's watermark up to {@code seq} (never backwards, never past the last written seq) and, in the
     * {@code notification.requested} rows it newly covers, replaces the clear {@code code} with {@code null} (R8).
     * One UPDATE of {@code outbox_stream} plus one range read (and an UPDATE per notification row) — no per-row
     * {@code confirmed_at} update; the purge stamps that column lazily.
     */
    @Override
    public void confirm(OutboxEvent.Stream stream, long seq) throws StoreException {
        unchecked(() -> write("outbox.confirm", tx -> {
            Connection c = tx.connection();
            long previous;
            long target;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT confirmed_seq, LEAST(?, last_seq) FROM outbox_stream WHERE stream = ?")) {
                ps.setLong(1, seq);
                ps.setString(2, stream.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    previous = rs.getLong(1);
                    target = rs.getLong(2);
                }
            }
            if (target <= previous) {
                return null; // already confirmed (a late or repeated confirm): the watermark never goes back
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE outbox_stream SET confirmed_seq = ? WHERE stream = ? AND confirmed_seq < ?")) {
                ps.setLong(1, target);
                ps.setString(2, stream.name());
                ps.setLong(3, target);
                ps.executeUpdate();
            }
            List<Object[]> notifications = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, data FROM outbox WHERE stream = ? "
                    + "AND seq > ? AND seq <= ? AND type = 'notification.requested'")) {
                ps.setString(1, stream.name());
                ps.setLong(2, previous);
                ps.setLong(3, target);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        notifications.add(new Object[] {rs.getLong(1), rs.getString(2)});
                    }
                }
            }
            if (!notifications.isEmpty()) {
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE outbox SET data = ? WHERE stream = ? AND seq = ?")) {
                    boolean any = false;
                    for (Object[] row : notifications) {
                        String erased = JsonFields.nullOut((String) row[1], "code");
                        if (!erased.equals(row[1])) {
                            ps.setString(1, erased);
                            ps.setString(2, stream.name());
                            ps.setLong(3, (Long) row[0]);
                            ps.addBatch();
                            any = true;
                        }
                    }
                    if (any) {
                        ps.executeBatch();
                    }
                }
            }
            return null;
        }));
    }

    private static long confirmedSeq(Connection c, OutboxEvent.Stream stream) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT confirmed_seq FROM outbox_stream WHERE stream = ?")) {
            ps.setString(1, stream.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ storage

    @Override
    public StorageStatus storage() {
        StoreSettings s = settings;
        long free;
        if (s.simulatedFreeBytes() >= 0) {
            free = s.simulatedFreeBytes();
        } else {
            free = realFreeBytes(s.dataDir());
        }
        return new StorageStatus(free, s.reserveBytes(), size(s.dbFile()));
    }

    private static long realFreeBytes(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return 0;
        }
        try {
            return Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------------ backup

    /**
     * Writes an online backup: H2's {@code BACKUP TO} copies the database file while writes go on (MVStore never
     * overwrites live chunks, so the copy is one consistent version). Written to {@code *.part}, fsynced, then
     * renamed. A directory as target gets {@code lockergate-{yyyyMMdd-HHmmss}.zip} inside it.
     */
    @Override
    public Path backup(Path target) throws StoreException {
        readable();
        Path file = Files.isDirectory(target)
                ? target.resolve("lockergate-" + STAMP.format(clock.instant()) + ".zip")
                : target;
        Connection c = borrow();
        boolean broken = false;
        try {
            backupWith(c, file);
            LOG.info("数据库已备份 / Database backed up to {} ({} bytes)", file, size(file));
            return file.toAbsolutePath();
        } catch (SQLException e) {
            broken = rollback(c);
            throw new StoreException("备份失败 / Backup to " + file + " failed: "
                    + MigrationRunner.firstLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new StoreException("备份失败 / Backup to " + file + " failed: " + e, e);
        } finally {
            pool.release(c, broken);
        }
    }

    private Path backupBeforeMigration(Migration next) throws SQLException, IOException {
        Path file = settings.backupDir()
                .resolve("pre-V" + next.version() + "-" + STAMP.format(clock.instant()) + ".zip");
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        backupWith(syncConnection, file);
        LOG.info("迁移前备份 / Backup before migration {}: {}", next.fileName(), file);
        return file;
    }

    private void backupWith(Connection c, Path file) throws SQLException, IOException {
        Path dir = file.toAbsolutePath().getParent();
        createPrivateDirectories(dir);
        Path part = dir.resolve(file.getFileName() + ".part");
        Files.deleteIfExists(part);
        try (Statement st = c.createStatement()) {
            st.execute("BACKUP TO '" + part.toString().replace("'", "''") + "'");
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(dir);
    }

    // ------------------------------------------------------------------------------------------------ retention

    /**
     * Deletes, in batches of 1,000 rows per transaction (so writers are never blocked long): terminal parcels
     * (PICKED_UP, RETURNED, RECALLED, CANCELLED) whose door closed before the limit (reservation time for those that
     * never closed), alarms cleared and acknowledged before it, audit rows, confirmed outbox rows and turned-away
     * deposits (capacity planning) older than it.
     * Then writes one audit row {@code store.purged}.
     */
    @Override
    public long purge(Instant businessBefore) throws StoreException {
        OffsetDateTime before = Tx.utc(businessBefore);
        long parcels = deleteInBatches("purge.parcels", "DELETE FROM parcel WHERE state IN "
                + "('PICKED_UP', 'RETURNED', 'RECALLED', 'CANCELLED') "
                + "AND COALESCE(closed_at, deposited_at, reserved_at) < ? FETCH FIRST " + PURGE_BATCH + " ROWS ONLY",
                before);
        long alarms = deleteInBatches("purge.alarms", "DELETE FROM alarm WHERE cleared_at < ? AND acknowledged_at < ? "
                + "FETCH FIRST " + PURGE_BATCH + " ROWS ONLY", before, before);
        long audit = deleteInBatches("purge.audit", "DELETE FROM audit_log WHERE ts < ? FETCH FIRST " + PURGE_BATCH
                + " ROWS ONLY", before);
        long outbox = deleteInBatches("purge.outbox", "DELETE FROM outbox WHERE ts < ? AND seq <= (SELECT "
                + "s.confirmed_seq FROM outbox_stream s WHERE s.stream = outbox.stream) FETCH FIRST " + PURGE_BATCH
                + " ROWS ONLY", before);
        long turnedAway = deleteInBatches("purge.turned_away", "DELETE FROM turned_away WHERE at < ? FETCH FIRST "
                + PURGE_BATCH + " ROWS ONLY", before);
        stampConfirmed(clock.instant());
        long total = parcels + alarms + audit + outbox + turnedAway;
        String detail = "before=" + businessBefore + " parcels=" + parcels + " alarms=" + alarms + " audit=" + audit
                + " outbox=" + outbox + " turnedAway=" + turnedAway;
        unchecked(() -> write("store.purge", tx -> {
            tx.audit(clock.instant(), "system", "store.purged", "retention", detail);
            return null;
        }));
        LOG.info("保留期清理完成 / Retention purge: {} rows deleted ({})", total, detail);
        return total;
    }

    /**
     * Sets {@code confirmed_at} (informational since V3: the watermark decides) on the rows at or below each stream's
     * watermark that do not have it yet, in transactions of at most 1,000 seqs — the per-row update that
     * {@code confirm} no longer does, once a day instead of on the drain's path.
     */
    private void stampConfirmed(Instant now) throws StoreException {
        OffsetDateTime at = Tx.utc(now);
        for (OutboxEvent.Stream stream : OutboxEvent.Stream.values()) {
            long[] range = unchecked(() -> read(tx -> {
                try (PreparedStatement ps = tx.connection().prepareStatement("SELECT (SELECT MIN(seq) FROM outbox "
                        + "WHERE stream = ? AND confirmed_at IS NULL), confirmed_seq FROM outbox_stream WHERE stream = ?")) {
                    ps.setString(1, stream.name());
                    ps.setString(2, stream.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || rs.getObject(1) == null) {
                            return new long[] {1, 0};
                        }
                        return new long[] {rs.getLong(1), rs.getLong(2)};
                    }
                }
            }));
            for (long from = range[0]; from <= range[1]; from += PURGE_BATCH) {
                long lo = from;
                long hi = Math.min(range[1], from + PURGE_BATCH - 1);
                unchecked(() -> write("purge.stamp", tx -> {
                    try (PreparedStatement ps = tx.connection().prepareStatement("UPDATE outbox SET confirmed_at = ? "
                            + "WHERE stream = ? AND seq >= ? AND seq <= ? AND confirmed_at IS NULL")) {
                        ps.setObject(1, at);
                        ps.setString(2, stream.name());
                        ps.setLong(3, lo);
                        ps.setLong(4, hi);
                        return ps.executeUpdate();
                    }
                }));
            }
        }
    }

    private long deleteInBatches(String purpose, String sql, OffsetDateTime... params) throws StoreException {
        long total = 0;
        while (true) {
            int deleted = unchecked(() -> write(purpose, tx -> {
                try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
                    for (int i = 0; i < params.length; i++) {
                        ps.setObject(i + 1, params[i]);
                    }
                    return ps.executeUpdate();
                }
            }));
            total += deleted;
            if (deleted < PURGE_BATCH) {
                return total;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ statistics

    /** What health and the shell show. */
    public record Stats(boolean open, String failure, Path databaseFile, int schemaVersion, long transactions,
            long syncs, long lastSyncNanos, long totalSyncNanos, long retries, StorageStatus storage) {

        public double transactionsPerSync() {
            return syncs == 0 ? 0 : (double) transactions / syncs;
        }
    }

    public Stats stats() {
        GroupCommit gc = groupCommit;
        String why = failure();
        if (why == null) {
            why = writeFailure;
        }
        return new Stats(isOpen(), why, settings.dbFile(), schemaVersion, transactions.get(),
                gc == null ? 0 : gc.syncs(), gc == null ? 0 : gc.lastSyncNanos(), gc == null ? 0 : gc.totalSyncNanos(),
                retries.get(), storage());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface StoreCall<T> {
        T call() throws StoreException, LockerException;
    }

    /** For the store's own work, which never throws a LockerException. */
    private static <T> T unchecked(StoreCall<T> call) throws StoreException {
        try {
            return call.call();
        } catch (LockerException e) {
            throw new IllegalStateException("unexpected LockerException from the store's own work", e);
        }
    }

    /** Creates a folder (and missing parents) readable by the owner only; an existing folder is left as it is. */
    static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir); // not a POSIX file system
        }
    }

    /** Makes a folder's entries (a new or renamed file) durable. Best effort where a folder cannot be opened. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync folder {}: {}", dir, e.toString());
        }
    }
}
