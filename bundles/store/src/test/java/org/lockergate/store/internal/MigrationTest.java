package org.lockergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.h2.tools.Restore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.store.StoreException;

class MigrationTest {

    @TempDir
    Path dir;

    /** The newest shipped migration; the test migrations come after it, whatever ships. */
    private static final int LAST = Stores.bundleMigrations().migrations()
            .get(Stores.bundleMigrations().migrations().size() - 1).version();
    private static final int NEXT = LAST + 1;
    private static final String PRE_NEXT = "pre-V" + NEXT + "-20260301-080000.zip";

    private static final Migration ADD_NOTE = new Migration(NEXT, "add_note",
            "-- a comment; with a semicolon\nCREATE TABLE note (id INT PRIMARY KEY, text VARCHAR(100));\n"
                    + "INSERT INTO note VALUES (1, 'a; b');\n");

    @Test
    void aNewDatabaseGetsEveryMigrationOnceAndNoBackup() throws Exception {
        H2Store store = Stores.open(dir);
        assertThat(store.stats().schemaVersion()).isEqualTo(LAST);
        assertThat(Stores.count(store, "SELECT COUNT(*) FROM outbox_stream")).isEqualTo(3);
        store.close();

        H2Store again = Stores.open(dir);
        // one row per migration (versions need not be contiguous: branches take numbers ahead of each other)
        assertThat(Stores.count(again, "SELECT COUNT(*) FROM schema_history"))
                .isEqualTo(Stores.bundleMigrations().migrations().size());
        assertThat(Stores.count(again, "SELECT COUNT(*) FROM outbox_stream")).isEqualTo(3); // V1 not run twice
        again.close();

        try (Connection c = Stores.jdbc(dir); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT version, name, checksum, applied_at FROM schema_history ORDER BY version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("locker_core");
            assertThat(rs.getString(3)).hasSize(64)
                    .isEqualTo(Stores.bundleMigrations().migrations().get(0).checksum());
            assertThat(rs.getObject(4)).isNotNull();
        }
        assertThat(dir.resolve("backups")).doesNotExist();
        assertThat(dir.resolve("db/lockergate.mv.db")).exists();
    }

    @Test
    void v3TurnsThePerRowConfirmationsIntoTheStreamWatermarks() throws Exception {
        MigrationSource upToV2 = () -> Stores.bundleMigrations().migrations().stream()
                .filter(m -> m.version() <= 2).toList();
        H2Store v2 = Stores.create(StoreSettings.defaults(dir), upToV2, Stores.fixed(Stores.T0));
        assertThat(v2.start()).isTrue();
        for (int i = 0; i < 5; i++) {
            v2.write("test", tx -> tx.outbox(OutboxEvent.Stream.EVENTS, "parcel.deposited", Stores.T0, "{}"));
        }
        for (int i = 0; i < 2; i++) {
            v2.write("test", tx -> tx.outbox(OutboxEvent.Stream.ALARMS, "door_jammed", Stores.T0, "{}"));
        }
        for (int i = 0; i < 3; i++) {
            v2.write("test", tx -> tx.outbox(OutboxEvent.Stream.TELEMETRY, "telemetry", Stores.T0, "{}"));
        }
        v2.write("test", tx -> { // what the V2 store's confirm and purge left: confirmed_at on a prefix
            try (Statement st = tx.connection().createStatement()) {
                st.execute("UPDATE outbox SET confirmed_at = ts WHERE stream = 'EVENTS' AND seq <= 3");
                st.execute("UPDATE outbox SET confirmed_at = ts WHERE stream IN ('ALARMS', 'TELEMETRY') AND seq <= 2");
                st.execute("DELETE FROM outbox WHERE stream = 'ALARMS'"); // all confirmed, all purged
                st.execute("DELETE FROM outbox WHERE stream = 'TELEMETRY' AND seq = 1"); // purged
                st.execute("UPDATE outbox SET confirmed_at = NULL WHERE stream = 'TELEMETRY' AND seq = 2");
            }
            return null;
        });
        v2.close();

        H2Store v3 = Stores.open(dir);
        try {
            assertThat(v3.stats().schemaVersion()).isEqualTo(LAST);
            assertThat(Stores.count(v3, "SELECT confirmed_seq FROM outbox_stream WHERE stream = 'EVENTS'")).isEqualTo(3);
            assertThat(Stores.count(v3, "SELECT confirmed_seq FROM outbox_stream WHERE stream = 'ALARMS'")).isEqualTo(2);
            assertThat(Stores.count(v3, "SELECT confirmed_seq FROM outbox_stream WHERE stream = 'TELEMETRY'"))
                    .isEqualTo(1);
            assertThat(v3.pending(OutboxEvent.Stream.EVENTS, 10)).extracting(OutboxEvent::seq).containsExactly(4L, 5L);
            assertThat(v3.pending(OutboxEvent.Stream.ALARMS, 10)).isEmpty();
            assertThat(v3.pending(OutboxEvent.Stream.TELEMETRY, 10)).extracting(OutboxEvent::seq)
                    .containsExactly(2L, 3L);
            assertThat(v3.pendingCount(OutboxEvent.Stream.EVENTS)).isEqualTo(2);
            assertThat(v3.pendingCount(OutboxEvent.Stream.ALARMS)).isZero();
            assertThat(v3.pendingCount(OutboxEvent.Stream.TELEMETRY)).isEqualTo(2);
        } finally {
            v3.close();
        }
    }

    @Test
    void anExistingDatabaseIsBackedUpBeforeEachMigration() throws Exception {
        H2Store v1 = Stores.open(dir);
        v1.write("test", tx -> {
            tx.audit(Stores.T0, "test", "before.v2", "x", null);
            return null;
        });
        v1.close();

        H2Store v2 = Stores.create(StoreSettings.defaults(dir), Stores.withExtra(ADD_NOTE), Stores.fixed(Stores.T0));
        assertThat(v2.start()).isTrue();
        assertThat(v2.stats().schemaVersion()).isEqualTo(NEXT);
        assertThat(Stores.count(v2, "SELECT COUNT(*) FROM note")).isEqualTo(1);
        v2.close();

        Path backup = dir.resolve("backups/" + PRE_NEXT);
        assertThat(backup).exists();
        try (Stream<Path> files = Files.list(dir.resolve("backups"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactly(PRE_NEXT); // no .part left
        }
        // the backup is the database as it was before the new migration: the audit row, no note table
        Path restored = dir.resolve("restored");
        Restore.execute(backup.toString(), restored.resolve("db").toString(), "lockergate");
        try (Connection c = Stores.jdbc(restored)) {
            assertThat(Stores.count(c, "SELECT COUNT(*) FROM audit_log WHERE action = 'before.v2'")).isEqualTo(1);
            assertThat(Stores.count(c, "SELECT MAX(version) FROM schema_history")).isEqualTo(LAST);
            assertThat(Stores.count(c,
                    "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'NOTE'")).isZero();
        }
    }

    @Test
    void aChangedAppliedMigrationStopsTheStore() throws Exception {
        H2Store first = Stores.create(StoreSettings.defaults(dir), Stores.withExtra(ADD_NOTE), Stores.fixed(Stores.T0));
        assertThat(first.start()).isTrue();
        first.close();
        // the same version with another script (someone edited it after the release)
        Migration edited = new Migration(NEXT, "add_note", ADD_NOTE.sql() + "CREATE INDEX note_text ON note(text);\n");
        H2Store store = Stores.create(StoreSettings.defaults(dir), Stores.withExtra(edited), Stores.fixed(Stores.T0));

        assertThat(store.start()).isFalse();
        assertThat(store.isOpen()).isFalse();
        assertThat(store.failure())
                .contains("V" + NEXT + "__add_note.sql was changed after it was applied")
                .contains(edited.checksum())
                .contains(ADD_NOTE.checksum())
                .contains(dir.resolve("db/lockergate.mv.db").toString());
        assertThatThrownBy(() -> store.write("x", tx -> null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("was changed after it was applied");
        assertThat(StoreHealth.check(store).status()).hasToString("DOWN");
        // nothing was migrated or backed up
        assertThat(dir.resolve("backups")).doesNotExist();
    }

    @Test
    void aDatabaseNewerThanTheBundleStopsTheStore() throws Exception {
        H2Store v2 = Stores.create(StoreSettings.defaults(dir), Stores.withExtra(ADD_NOTE), Stores.fixed(Stores.T0));
        assertThat(v2.start()).isTrue();
        v2.close();
        H2Store v1 = Stores.create(StoreSettings.defaults(dir), Stores.bundleMigrations(), Stores.fixed(Stores.T0));
        assertThat(v1.start()).isFalse();
        assertThat(v1.failure()).contains("schema V" + NEXT + " (add_note)").contains("newer than the bundle")
                .contains("pre-V" + NEXT + "-");
    }

    @Test
    void aFailingMigrationNamesTheStatementAndTheBackup() throws Exception {
        Stores.open(dir).close();
        Migration broken = new Migration(NEXT, "broken",
                "CREATE TABLE ok (id INT);\nCREATE TABLE bad (id NOSUCHTYPE);");
        H2Store store = Stores.create(StoreSettings.defaults(dir), Stores.withExtra(broken), Stores.fixed(Stores.T0));
        assertThat(store.start()).isFalse();
        assertThat(store.failure()).contains("V" + NEXT + "__broken.sql failed at statement 2")
                .contains("CREATE TABLE bad").contains("Unknown data type: \"NOSUCHTYPE\". The database may be half")
                .contains("restore").contains(PRE_NEXT);
    }

    @Test
    void scriptsSplitAtSemicolonsOutsideQuotesAndComments() {
        List<String> statements = SqlScript.statements("""
                -- header; not a statement
                CREATE TABLE a (x VARCHAR(10) DEFAULT 'x;y'); /* block; comment */
                INSERT INTO a VALUES ('it''s; fine');
                CREATE TABLE "odd;name" (y INT)
                """);
        assertThat(statements).containsExactly(
                "CREATE TABLE a (x VARCHAR(10) DEFAULT 'x;y')",
                "INSERT INTO a VALUES ('it''s; fine')",
                "CREATE TABLE \"odd;name\" (y INT)");
        assertThat(SqlScript.statements(ADD_NOTE.sql())).hasSize(2);
    }

    @Test
    void migrationFileNamesAreParsed() {
        assertThat(Migration.parse("V12__add_thing.sql", "x")).isEqualTo(new Migration(12, "add_thing", "x"));
        assertThat(Migration.parse("README.md", "x")).isNull();
        assertThat(Migration.parse("V1_missing_underscore.sql", "x")).isNull();
        assertThat(new Migration(1, "a", "x\r\ny").checksum()).isEqualTo(new Migration(1, "a", "x\ny").checksum());
        assertThat(Stores.bundleMigrations().migrations()).extracting(Migration::fileName)
                .startsWith("V1__locker_core.sql");
    }
}
