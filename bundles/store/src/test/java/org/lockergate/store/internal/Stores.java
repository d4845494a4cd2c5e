package org.lockergate.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.lockergate.store.StoreException;

/** Test fixtures: stores on a temporary folder, plain JDBC peeks into the database. */
final class Stores {

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private Stores() {
    }

    /** A started store on {@code dir} with the default settings and the bundle's migrations. */
    static H2Store open(Path dir) {
        return open(StoreSettings.defaults(dir));
    }

    static H2Store open(StoreSettings settings) {
        H2Store store = H2Store.standalone(settings, Clock.systemUTC());
        if (!store.start()) {
            throw new IllegalStateException(store.failure());
        }
        return store;
    }

    static H2Store create(StoreSettings settings, MigrationSource migrations, Clock clock) {
        return new H2Store(settings, DriverManagerDataSource::new, migrations, clock, null);
    }

    static MigrationSource bundleMigrations() {
        return MigrationSource.classpath(Stores.class.getClassLoader());
    }

    /** The shipped migrations plus extra ones. */
    static MigrationSource withExtra(Migration... extra) {
        return () -> {
            List<Migration> all = new java.util.ArrayList<>(bundleMigrations().migrations());
            all.addAll(List.of(extra));
            return MigrationSource.of(all).migrations();
        };
    }

    static Clock fixed(Instant at) {
        return Clock.fixed(at, ZoneOffset.UTC);
    }

    /** A clock tests can move. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant at) {
            now.set(at);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    /** One number from a query run through the store. */
    static long count(H2Store store, String sql, Object... params) throws StoreException {
        try {
            return store.read(tx -> {
                try (PreparedStatement ps = tx.connection().prepareStatement(sql)) {
                    for (int i = 0; i < params.length; i++) {
                        ps.setObject(i + 1, params[i]);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
        } catch (org.lockergate.api.locker.LockerException e) {
            throw new AssertionError(e);
        }
    }

    /** Opens the database file directly (the store must be closed), for checks behind the store's back. */
    static Connection jdbc(Path dataDir) throws SQLException {
        return java.sql.DriverManager.getConnection(StoreSettings.defaults(dataDir).jdbcUrl(), H2Store.USER,
                H2Store.PASSWORD);
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Inserts the registry rows a parcel needs (group g1, cabinet c1, compartments 1..n). */
    static void registry(H2Store store, int compartments) throws Exception {
        store.write("test.registry", tx -> {
            Connection c = tx.connection();
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO cabinet_group(group_id, name, created_at) VALUES ('g1', 'Group 1', CURRENT_TIMESTAMP)");
                st.execute("INSERT INTO cabinet(cabinet_id, group_id, vendor, registered_at) "
                        + "VALUES ('c1', 'g1', 'coap', CURRENT_TIMESTAMP)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO compartment(group_id, label, cabinet_id, "
                    + "size_class, board, channel, state) VALUES ('g1', ?, 'c1', 'S', 1, ?, 'FREE')")) {
                for (int i = 1; i <= compartments; i++) {
                    ps.setString(1, Integer.toString(i));
                    ps.setInt(2, i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }
}
