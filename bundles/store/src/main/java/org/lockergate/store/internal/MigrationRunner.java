package org.lockergate.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the bundle's {@code V{n}__{name}.sql} migrations in version order and records each in
 * {@code schema_history} (version, name, checksum, applied_at, execution_ms), a table this runner creates itself.
 *
 * <p>Our own runner rather than Flyway: the job is sixty lines (list, compare checksums, back up, run, record), it
 * reads the scripts from the bundle with {@code Bundle.findEntries} instead of class-path scanning (Flyway's scanner
 * needs OSGi-specific plumbing and Flyway 10+ splits into several jars with {@code ServiceLoader} plugins), it
 * takes the H2 backup before each migration, and it adds no bundle to the runtime.
 *
 * <p>Rules: an applied migration whose script changed stops the store (a migration is never edited after a release;
 * write a new one); a database that has a version this bundle does not know stops the store (the database is newer
 * than the bundle: restore the backup taken before that migration); before each migration of an existing database
 * a backup zip is written and fsynced.
 */
final class MigrationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);

    static final String HISTORY_DDL = "CREATE TABLE IF NOT EXISTS schema_history ("
            + "version INT PRIMARY KEY, "
            + "name VARCHAR(200) NOT NULL, "
            + "checksum VARCHAR(64) NOT NULL, "
            + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL, "
            + "execution_ms BIGINT NOT NULL)";

    /** Writes a backup before migration {@code version}; returns the file. */
    @FunctionalInterface
    interface PreMigrationBackup {
        Path backup(Migration next) throws Exception;
    }

    /** What a run did. */
    record Result(int version, List<Migration> applied, List<Path> backups) {
    }

    private final MigrationSource source;
    private final PreMigrationBackup backup;
    private final Clock clock;

    MigrationRunner(MigrationSource source, PreMigrationBackup backup, Clock clock) {
        this.source = source;
        this.backup = backup;
        this.clock = clock;
    }

    Result migrate(Connection connection) throws MigrationException, SQLException {
        connection.setAutoCommit(true);
        try (Statement st = connection.createStatement()) {
            st.execute(HISTORY_DDL);
        }
        Map<Integer, String[]> applied = applied(connection);
        List<Migration> available = source.migrations();
        Map<Integer, Migration> byVersion = new LinkedHashMap<>();
        available.forEach(m -> byVersion.put(m.version(), m));

        int current = 0;
        for (Map.Entry<Integer, String[]> row : applied.entrySet()) {
            int version = row.getKey();
            Migration known = byVersion.get(version);
            if (known == null) {
                throw new MigrationException("数据库版本高于本程序 / The database has schema V" + version + " ("
                        + row.getValue()[0] + ") which this store bundle does not know: the database is newer than "
                        + "the bundle. Install the newer store bundle, or restore the backup pre-V" + version
                        + "-*.zip taken before that migration.");
            }
            if (!known.checksum().equals(row.getValue()[1])) {
                throw new MigrationException("迁移脚本已被修改 / Migration " + known.fileName()
                        + " was changed after it was applied to this database (checksum " + row.getValue()[1]
                        + " in schema_history, " + known.checksum() + " in the bundle). Applied migrations must "
                        + "never be edited: restore the original script and add the change as a new V"
                        + (last(available) + 1) + " migration.");
            }
            current = Math.max(current, version);
        }
        boolean existing = !applied.isEmpty(); // the database had a schema before this start
        List<Migration> done = new ArrayList<>();
        List<Path> backups = new ArrayList<>();
        for (Migration m : available) {
            if (applied.containsKey(m.version())) {
                continue;
            }
            if (m.version() < current) {
                throw new MigrationException("迁移顺序错误 / Migration " + m.fileName() + " is not applied but V"
                        + current + " is: a migration was added below the database's version. Give it a version "
                        + "above V" + current + ".");
            }
            Path backupFile = null;
            if (existing) {
                try {
                    backupFile = backup.backup(m);
                } catch (Exception e) {
                    throw new MigrationException("迁移前备份失败 / Backup before migration " + m.fileName()
                            + " failed, the migration was not started: " + e.getMessage(), e);
                }
                backups.add(backupFile);
            }
            apply(connection, m, backupFile);
            done.add(m);
            current = m.version();
            // a database that was empty at this start stays "new": V1, V2 … in one start need no backup
        }
        return new Result(current, done, backups);
    }

    private void apply(Connection connection, Migration m, Path backupFile) throws MigrationException, SQLException {
        long start = System.nanoTime();
        List<String> statements;
        try {
            statements = SqlScript.statements(m.sql());
        } catch (IllegalArgumentException e) {
            throw new MigrationException("迁移脚本无法解析 / Migration " + m.fileName() + " cannot be parsed: "
                    + e.getMessage());
        }
        LOG.info("应用数据库迁移 / Applying migration {} ({} statements){}", m.fileName(), statements.size(),
                backupFile == null ? "" : ", backup " + backupFile);
        // DDL commits implicitly in H2; data changes and the history row commit together at the end.
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            for (int i = 0; i < statements.size(); i++) {
                String sql = statements.get(i);
                try {
                    st.execute(sql);
                } catch (SQLException e) {
                    safeRollback(connection);
                    throw new MigrationException("迁移失败 / Migration " + m.fileName() + " failed at statement "
                            + (i + 1) + " (" + abbreviate(sql) + "): " + firstLine(e.getMessage())
                            + (backupFile == null ? "" : ". The database may be half migrated: stop the gateway "
                                    + "and restore " + backupFile), e);
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO schema_history(version, name, checksum, applied_at, execution_ms) "
                            + "VALUES (?, ?, ?, ?, ?)")) {
                ps.setInt(1, m.version());
                ps.setString(2, m.name());
                ps.setString(3, m.checksum());
                ps.setObject(4, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                ps.setLong(5, (System.nanoTime() - start) / 1_000_000);
                ps.executeUpdate();
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static Map<Integer, String[]> applied(Connection connection) throws SQLException {
        Map<Integer, String[]> out = new LinkedHashMap<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, name, checksum FROM schema_history ORDER BY version")) {
            while (rs.next()) {
                out.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return out;
    }

    private static int last(List<Migration> available) {
        return available.isEmpty() ? 0 : available.get(available.size() - 1).version();
    }

    private static void safeRollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback after a failed migration failed", e);
        }
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ");
        return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
    }

    static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        int nl = text.indexOf('\n');
        String line = (nl < 0 ? text : text.substring(0, nl)).strip();
        // H2 puts the statement on the next lines after "; SQL statement:"
        return line.endsWith("; SQL statement:") ? line.substring(0, line.length() - 16) : line;
    }
}
