package org.lockergate.core.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcConnectionPool;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.core.internal.db.Db;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StorageStatus;
import org.lockergate.store.StoreException;
import org.lockergate.store.StoreTx;
import org.lockergate.store.StoreWork;

/**
 * A simple {@link LockerStore} for unit tests: H2 on disk in a temporary folder with the store bundle's migrations
 * ({@code V1__locker_core.sql}, {@code V2__…}, in version order), one transaction per write, no fsync. Storage is
 * reported as roomy unless a test says otherwise.
 */
final class H2Store implements LockerStore, AutoCloseable {

    static final String FOLDER = "org/lockergate/store/migrations";
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.+\\.sql");

    private final JdbcConnectionPool pool;
    private final Path dir;
    private int version;
    volatile StorageStatus storage = new StorageStatus(10L << 30, 256L << 20, 0);

    H2Store(Path dir) throws Exception {
        this(dir, Integer.MAX_VALUE);
    }

    /** A store with the migrations up to {@code upTo} applied (a test of a later migration applies the rest). */
    H2Store(Path dir, int upTo) throws Exception {
        this.dir = dir;
        pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("locker").toAbsolutePath()
                + ";LOCK_TIMEOUT=10000", "sa", "");
        pool.setMaxConnections(64);
        migrate(upTo);
    }

    /** Applies the migrations after the current version up to {@code upTo}; returns the version reached. */
    int migrate(int upTo) throws Exception {
        for (Map.Entry<Integer, String> m : migrations().entrySet()) {
            if (m.getKey() <= version || m.getKey() > upTo) {
                continue;
            }
            Path script = dir.resolve("V" + m.getKey() + ".sql");
            Files.writeString(script, m.getValue(), StandardCharsets.UTF_8);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("RUNSCRIPT FROM '" + script.toAbsolutePath().toString().replace("'", "''")
                        + "' CHARSET 'UTF-8'");
            }
            version = m.getKey();
        }
        return version;
    }

    /**
     * The migrations by version: from the store module's sources beside this one (the current text, even when the
     * store artifact in the local repository is older), else from the store artifact on the class path.
     */
    static SortedMap<Integer, String> migrations() throws IOException {
        Path source = Path.of("..", "store", "src", "main", "resources").resolve(FOLDER);
        if (Files.isDirectory(source)) {
            return read(source);
        }
        URL url = H2Store.class.getClassLoader().getResource(FOLDER);
        if (url == null) {
            throw new IOException("migrations " + FOLDER + " neither at " + source.toAbsolutePath()
                    + " nor on the class path");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return read(Path.of(url.toURI()));
            }
            try (FileSystem jar = FileSystems.newFileSystem(URI.create(url.toString().substring(0,
                    url.toString().indexOf("!/"))), Map.of())) {
                return read(jar.getPath(FOLDER));
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static SortedMap<Integer, String> read(Path folder) throws IOException {
        SortedMap<Integer, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = MIGRATION.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.put(Integer.parseInt(m.group(1)), Files.readString(f, StandardCharsets.UTF_8));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no migrations in " + folder);
        }
        return out;
    }

    @Override
    public <T> T write(String purpose, StoreWork<T> work) throws StoreException, LockerException {
        List<Runnable> after = new ArrayList<>();
        T result;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                result = work.run(new Tx(c, after));
                c.commit();
            } catch (SQLException | LockerException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException sql) {
                    throw new StoreException(purpose + ": " + sql.getMessage(), sql);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(purpose + ": " + e.getMessage(), e);
        }
        after.forEach(Runnable::run);
        return result;
    }

    @Override
    public <T> T read(StoreWork<T> work) throws StoreException, LockerException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            return work.run(new Tx(c, new ArrayList<>()));
        } catch (SQLException e) {
            throw new StoreException("read: " + e.getMessage(), e);
        }
    }

    @Override
    public StorageStatus storage() {
        return storage;
    }

    @Override
    public List<OutboxEvent> pending(OutboxEvent.Stream stream, int limit) throws StoreException {
        try {
            return read(tx -> Db.query(tx.connection(), "SELECT * FROM outbox WHERE stream = ? AND confirmed_at IS NULL "
                    + "ORDER BY seq LIMIT ?", rs -> new OutboxEvent(rs.getLong("seq"), stream, rs.getString("event_id"),
                            rs.getString("type"), Db.instant(rs, "ts"), rs.getString("data")), stream.name(), limit));
        } catch (LockerException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Override
    public void confirm(OutboxEvent.Stream stream, long seq) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Path backup(Path target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long purge(Instant businessBefore) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        pool.dispose();
    }

    private record Tx(Connection connection, List<Runnable> after) implements StoreTx {

        @Override
        public long outbox(OutboxEvent.Stream stream, String type, Instant ts, String dataJson) throws SQLException {
            Db.update(connection, "UPDATE outbox_stream SET last_seq = last_seq + 1 WHERE stream = ?", stream.name());
            long seq = Db.one(connection, "SELECT last_seq FROM outbox_stream WHERE stream = ?", rs -> rs.getLong(1),
                    stream.name()).orElseThrow();
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO outbox(stream, seq, event_id, type, ts, "
                    + "data) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, stream.name());
                ps.setLong(2, seq);
                ps.setString(3, UUID.randomUUID().toString());
                ps.setString(4, type);
                ps.setObject(5, ts.atOffset(ZoneOffset.UTC));
                ps.setString(6, dataJson);
                ps.executeUpdate();
            }
            return seq;
        }

        @Override
        public void audit(Instant ts, String actor, String action, String target, String detail) throws SQLException {
            Db.update(connection, "INSERT INTO audit_log(ts, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)", ts,
                    actor, action, target, detail);
        }

        @Override
        public void afterCommit(Runnable action) {
            after.add(action);
        }
    }

    /** Any single value (for assertions). */
    <T> T query(String sql, Db.RowMapper<T> mapper, Object... args) throws Exception {
        return read(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? mapper.map(rs) : null;
                }
            }
        });
    }
}
