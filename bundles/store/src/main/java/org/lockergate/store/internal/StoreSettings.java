package org.lockergate.store.internal;

import java.nio.file.Path;

/**
 * The store's settings, resolved from the configuration (PID {@code org.lockergate.store}) and the data folder.
 *
 * @param dataDir the gateway's data folder (framework property {@code lockergate.data}); the database lives in
 *        {@code {dataDir}/db/lockergate.mv.db}
 * @param poolSize connections in the pool (concurrent transactions)
 * @param reserveBytes free space kept for pickups (R22); below it new deposits are refused by core
 * @param retentionDays how long business records are kept (R17)
 * @param simulatedFreeBytes test hook: when {@code >= 0}, reported as the free space instead of the real value
 * @param backupDir where {@code backup} and the pre-migration backups go
 */
public record StoreSettings(Path dataDir, int poolSize, long reserveBytes, int retentionDays, long simulatedFreeBytes,
        Path backupDir) {

    public static final int DEFAULT_POOL_SIZE = 8;
    public static final long DEFAULT_RESERVE_MB = 256;
    public static final int DEFAULT_RETENTION_DAYS = 365;

    public StoreSettings {
        dataDir = dataDir.toAbsolutePath().normalize();
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
        }
        if (reserveBytes < 0) {
            throw new IllegalArgumentException("reserve must not be negative, was " + reserveBytes);
        }
        if (retentionDays < 1) {
            throw new IllegalArgumentException("retentionDays must be at least 1, was " + retentionDays);
        }
        backupDir = backupDir == null ? dataDir.resolve("backups") : backupDir.toAbsolutePath().normalize();
    }

    /** The defaults for a data folder (tests, the benchmark). */
    public static StoreSettings defaults(Path dataDir) {
        return new StoreSettings(dataDir, DEFAULT_POOL_SIZE, DEFAULT_RESERVE_MB << 20, DEFAULT_RETENTION_DAYS, -1,
                null);
    }

    public StoreSettings withPoolSize(int size) {
        return new StoreSettings(dataDir, size, reserveBytes, retentionDays, simulatedFreeBytes, backupDir);
    }

    public StoreSettings withSimulatedFreeBytes(long bytes) {
        return new StoreSettings(dataDir, poolSize, reserveBytes, retentionDays, bytes, backupDir);
    }

    public StoreSettings withReserveBytes(long bytes) {
        return new StoreSettings(dataDir, poolSize, bytes, retentionDays, simulatedFreeBytes, backupDir);
    }

    public StoreSettings withRetentionDays(int days) {
        return new StoreSettings(dataDir, poolSize, reserveBytes, days, simulatedFreeBytes, backupDir);
    }

    /** {@code {data}/db}: the database folder. */
    public Path dbDir() {
        return dataDir.resolve("db");
    }

    /** The database name H2 is given; H2 appends {@code .mv.db}. */
    public Path dbBase() {
        return dbDir().resolve("lockergate");
    }

    /** The database file itself. */
    public Path dbFile() {
        return dbDir().resolve("lockergate.mv.db");
    }

    /**
     * The JDBC URL. The file system is H2's {@code retry:} one: Java closes a {@code FileChannel} when a thread blocked
     * in it is interrupted, and with plain {@code file:} every later write and fsync of the open database then fails
     * ({@code ClosedChannelException}) until a restart — one interrupted kiosk thread (seen when executors were shut
     * down with {@code shutdownNow()}) would stop all deposits. {@code retry:} re-opens the channel and repeats the
     * operation (measured: a writer interrupted mid-{@code CHECKPOINT SYNC} carries on, and so does everyone else).
     * Each setting:
     * <ul>
     * <li>{@code WRITE_DELAY=0}: every commit writes its changes into the file (the OS page cache) synchronously before
     * it returns, instead of H2's default of up to 500 ms later from a background thread. Measured: the default loses
     * acknowledged commits on kill -9; with 0 a process crash loses nothing. It also keeps H2 from storing through its
     * asynchronous executors, which {@code CHECKPOINT SYNC} does not wait for (see {@link H2Store}). It does not fsync:
     * the group-commit thread does that ({@code CHECKPOINT SYNC}, see {@link GroupCommit}). Cost: one MVStore chunk
     * (tens of KB here) written per transaction.</li>
     * <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 installs no JVM shutdown hook of its own. The store closes the database
     * when its component deactivates, after in-flight writes are synced; otherwise H2's hook could close it under
     * the framework while it is still stopping, and late writes would fail.</li>
     * <li>{@code LOCK_TIMEOUT=5000}: a transaction waits at most 5 s for a row lock (H2's default is 2 s). Row locks
     * are held only until commit, never during the fsync wait, so waits are short; the bound catches the
     * pathological case, and a timed-out transaction is retried once.</li>
     * </ul>
     * H2's other defaults stay: MVStore with its 45 s retention of old chunks (what makes a torn write after the
     * last fsync harmless), native file lock (a second process opening the file gets error 90020), 16 MB cache.
     */
    public String jdbcUrl() {
        return "jdbc:h2:retry:" + dbBase() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=5000";
    }
}
