package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.core.internal.db.Db;

/** Store migration V2 ({@code cabinet_boot}) on a database that V1 cabinets already used. */
class CabinetBootMigrationTest {

    @TempDir
    Path dir;

    @Test
    void v2_keeps_each_cabinets_current_boot_and_acked_seq_and_starts_its_history_there() throws Exception {
        try (H2Store store = new H2Store(dir, 1)) {
            Instant now = Harness.START;
            store.write("seed", tx -> {
                Db.update(tx.connection(), "INSERT INTO cabinet_group(group_id, name, created_at) VALUES ('g1', 'G', ?)",
                        now);
                Db.update(tx.connection(), "INSERT INTO cabinet(cabinet_id, group_id, vendor, boot, acked_seq, "
                        + "registered_at) VALUES ('c9', 'g1', 'coap', 3, 6, ?)", now);
                return null;
            });

            assertThat(store.migrate(2)).isEqualTo(2);

            assertThat(store.<String>query("SELECT boot || '/' || acked_seq FROM cabinet_boot WHERE cabinet_id = 'c9'",
                    rs -> rs.getString(1))).isEqualTo("3/6");
            assertThat(store.<Long>query("SELECT boot_history_from FROM cabinet WHERE cabinet_id = 'c9'",
                    rs -> rs.getLong(1))).isEqualTo(3);
        }
    }
}
