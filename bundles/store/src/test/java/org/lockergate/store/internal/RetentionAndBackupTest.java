package org.lockergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipFile;
import org.h2.tools.Restore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.OutboxEvent.Stream;

class RetentionAndBackupTest {

    @TempDir
    Path dir;

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant OLD = NOW.minus(Duration.ofDays(400));
    static final Instant RECENT = NOW.minus(Duration.ofDays(10));
    static final Instant LIMIT = NOW.minus(Duration.ofDays(365));

    @Test
    void purgeDeletesOnlyWhatRetentionAllows() throws Exception {
        H2Store store = Stores.create(StoreSettings.defaults(dir), Stores.bundleMigrations(), Stores.fixed(NOW));
        assertThat(store.start()).isTrue();
        try {
            store.write("seed", tx -> {
                Connection c = tx.connection();
                // parcels: terminal+old go; terminal+recent, active+old and rejected (not terminal) stay
                parcel(c, "gone-picked", "PICKED_UP", OLD);
                parcel(c, "gone-returned", "RETURNED", OLD);
                parcel(c, "gone-recalled", "RECALLED", OLD);
                parcel(c, "gone-cancelled-never-closed", "CANCELLED", null);
                parcel(c, "keep-recent", "PICKED_UP", RECENT);
                parcel(c, "keep-active", "DEPOSITED", OLD);
                parcel(c, "keep-held", "HELD", OLD);
                parcel(c, "keep-rejected", "REJECTED", OLD);
                // alarms: cleared and acknowledged long ago go; open, unacknowledged or recent stay
                alarm(c, OLD, OLD);
                alarm(c, OLD, null);
                alarm(c, null, null);
                alarm(c, OLD, RECENT);
                for (int i = 0; i < 2500; i++) { // more than one batch
                    tx.audit(OLD, "test", "old.audit", "a" + i, null);
                }
                tx.audit(RECENT, "test", "recent.audit", null, null);
                // turned-away deposits (capacity planning): the old one goes
                for (Instant at : new Instant[] {OLD, RECENT}) {
                    try (var ps = c.prepareStatement("INSERT INTO turned_away(group_id, at, size_class, reason) "
                            + "VALUES ('g1', ?, 'M', 'full')")) {
                        ps.setObject(1, Tx.utc(at));
                        ps.executeUpdate();
                    }
                }
                return null;
            });
            // confirmed = seq <= the stream's watermark: an old confirmed row goes; a recent confirmed row and an
            // old unconfirmed row (the cloud has not got it) stay
            store.write("seed", tx -> tx.outbox(Stream.EVENTS, "old.confirmed", OLD, "{}"));
            store.write("seed", tx -> tx.outbox(Stream.EVENTS, "recent.confirmed", RECENT, "{}"));
            store.write("seed", tx -> tx.outbox(Stream.EVENTS, "old.unconfirmed", OLD, "{}"));
            store.confirm(Stream.EVENTS, 2);

            long deleted = store.purge(LIMIT);

            assertThat(deleted).isEqualTo(4 + 1 + 2500 + 1 + 1);
            assertThat(ids(store, "SELECT parcel_id FROM parcel ORDER BY parcel_id"))
                    .containsExactly("keep-active", "keep-held", "keep-recent", "keep-rejected");
            assertThat(Stores.count(store, "SELECT COUNT(*) FROM alarm")).isEqualTo(3);
            assertThat(Stores.count(store, "SELECT COUNT(*) FROM audit_log WHERE action = 'old.audit'")).isZero();
            assertThat(Stores.count(store, "SELECT COUNT(*) FROM audit_log WHERE action = 'recent.audit'")).isOne();
            assertThat(ids(store, "SELECT type FROM outbox ORDER BY seq"))
                    .containsExactly("recent.confirmed", "old.unconfirmed");
            // the purge stamps confirmed_at (informational) on the confirmed rows that stay, not on the others
            assertThat(ids(store, "SELECT type FROM outbox WHERE confirmed_at IS NOT NULL"))
                    .containsExactly("recent.confirmed");
            assertThat(store.pending(Stream.EVENTS, 10)).extracting(OutboxEvent::type)
                    .containsExactly("old.unconfirmed");
            assertThat(ids(store, "SELECT detail FROM audit_log WHERE action = 'store.purged'"))
                    .singleElement().asString()
                    .contains("parcels=4").contains("alarms=1").contains("audit=2500").contains("outbox=1")
                    .contains("turnedAway=1");
            assertThat(Stores.count(store, "SELECT COUNT(*) FROM turned_away")).isOne();
            assertThat(Stores.count(store, "SELECT last_seq FROM outbox_stream WHERE stream = 'EVENTS'")).isEqualTo(3);
        } finally {
            store.close();
        }
    }

    @Test
    void backupWhileWritingGivesAZipThatH2Restores() throws Exception {
        H2Store store = Stores.open(dir);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        Path backup;
        Path second;
        try {
            for (int t = 0; t < 4; t++) {
                futures.add(writers.submit(() -> {
                    while (writing.get()) {
                        store.write("test.during.backup", tx -> {
                            tx.audit(Instant.now(), "test", "during.backup", null, null);
                            return tx.outbox(Stream.EVENTS, "during.backup", Instant.now(), "{}");
                        });
                        written.incrementAndGet();
                    }
                    return null;
                }));
            }
            while (written.get() < 200) {
                Thread.sleep(1);
            }
            backup = store.backup(dir.resolve("out/manual.zip"));
            second = store.backup(Files.createDirectories(dir.resolve("folder")));
            long during = written.get();
            while (written.get() < during + 50) { // writes went on during and after the backup
                Thread.sleep(1);
            }
        } finally {
            writing.set(false);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            writers.shutdown();
            store.close();
        }
        assertThat(backup).isEqualTo(dir.resolve("out/manual.zip")).exists();
        assertThat(second.getParent()).isEqualTo(dir.resolve("folder"));
        assertThat(second.getFileName().toString()).matches("lockergate-\\d{8}-\\d{6}\\.zip");
        try (ZipFile zip = new ZipFile(backup.toFile())) {
            assertThat(zip.getEntry("lockergate.mv.db")).isNotNull();
        }
        Path restored = dir.resolve("restored");
        Restore.execute(backup.toString(), restored.resolve("db").toString(), "lockergate");
        // the restored copy opens through the store (migrations already applied) and is consistent
        H2Store copy = Stores.open(restored);
        try {
            long audit = Stores.count(copy, "SELECT COUNT(*) FROM audit_log WHERE action = 'during.backup'");
            long outbox = Stores.count(copy, "SELECT COUNT(*) FROM outbox WHERE type = 'during.backup'");
            long lastSeq = Stores.count(copy, "SELECT last_seq FROM outbox_stream WHERE stream = 'EVENTS'");
            assertThat(audit).isGreaterThanOrEqualTo(200).isEqualTo(outbox).isEqualTo(lastSeq);
            assertThat(copy.stats().schemaVersion()).isEqualTo(store.stats().schemaVersion());
        } finally {
            copy.close();
        }
    }

    private static void parcel(Connection c, String id, String state, Instant closedAt) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO parcel(parcel_id, group_id, cabinet_id, "
                + "compartment, size_class, waybill, company_code, courier_id, state, reserved_at, closed_at) "
                + "VALUES (?, 'g1', 'c1', '1', 'S', 'W', 'ZTO', 'k1', ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, state);
            ps.setObject(3, OffsetDateTime.ofInstant(OLD, ZoneOffset.UTC));
            ps.setObject(4, closedAt == null ? null : OffsetDateTime.ofInstant(closedAt, ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private static void alarm(Connection c, Instant cleared, Instant acknowledged) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alarm(type, raised_at, cleared_at, "
                + "acknowledged_at) VALUES ('door_jammed', ?, ?, ?)")) {
            ps.setObject(1, OffsetDateTime.ofInstant(OLD, ZoneOffset.UTC));
            ps.setObject(2, cleared == null ? null : OffsetDateTime.ofInstant(cleared, ZoneOffset.UTC));
            ps.setObject(3, acknowledged == null ? null : OffsetDateTime.ofInstant(acknowledged, ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private static List<String> ids(H2Store store, String sql) throws Exception {
        return store.read(tx -> {
            List<String> out = new ArrayList<>();
            try (var rs = tx.connection().createStatement().executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
