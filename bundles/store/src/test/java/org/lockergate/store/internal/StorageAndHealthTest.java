package org.lockergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthStatus;
import org.lockergate.store.StorageStatus;
import org.lockergate.store.StoreException;

class StorageAndHealthTest {

    @TempDir
    Path dir;

    @Test
    void storageReportsTheRealDiskTheReserveAndTheDatabaseSize() throws Exception {
        H2Store store = Stores.open(dir);
        try {
            StorageStatus s = store.storage();
            assertThat(s.freeBytes()).isPositive()
                    .isCloseTo(Files.getFileStore(dir).getUsableSpace(), org.assertj.core.data.Percentage.withPercentage(5));
            assertThat(s.reserveBytes()).isEqualTo(256L << 20);
            assertThat(s.databaseBytes()).isEqualTo(Files.size(dir.resolve("db/lockergate.mv.db"))).isPositive();
        } finally {
            store.close();
        }
    }

    @Test
    void simulatedFreeSpaceBelowTheReserveIsUpWithAWarning() throws Exception {
        H2Store store = Stores.open(dir);
        try {
            store.update(store.settings().withSimulatedFreeBytes(100L << 20));
            StorageStatus s = store.storage();
            assertThat(s.freeBytes()).isEqualTo(100L << 20);
            assertThat(s.acceptsNewData()).isFalse();

            HealthCheck check = StoreHealth.check(store);
            assertThat(check.name()).isEqualTo("store");
            assertThat(check.critical()).isTrue();
            assertThat(check.status()).isEqualTo(HealthStatus.UP); // pickups go on (R22)
            assertThat(check.message()).contains("below the reserve").contains("100 MB free").contains("reserve 256 MB");
            assertThat(check.details()).containsEntry("freeBytes", 100L << 20)
                    .containsEntry("reserveBytes", 256L << 20)
                    .containsEntry("acceptsNewData", false)
                    .containsEntry("simulatedFreeSpace", true);

            // writes still work below the reserve: refusing deposits is core's decision
            store.write("test", tx -> {
                tx.audit(Stores.T0, "test", "pickup", "p1", null);
                return null;
            });

            store.update(store.settings().withSimulatedFreeBytes(-1));
            assertThat(store.storage().acceptsNewData()).isTrue();
            assertThat(StoreHealth.check(store).message()).contains("Store open");
        } finally {
            store.close();
        }
    }

    @Test
    void healthDetailsCarryTheFigures() throws Exception {
        H2Store store = Stores.open(dir);
        try {
            store.write("test", tx -> {
                tx.audit(Stores.T0, "test", "x", null, null);
                return null;
            });
            HealthCheck check = StoreHealth.check(store);
            assertThat(check.status()).isEqualTo(HealthStatus.UP);
            assertThat(check.details()).containsKeys("path", "sizeBytes", "freeBytes", "reserveBytes", "syncs",
                    "transactions", "transactionsPerSync", "lastSyncMs", "schemaVersion");
            assertThat(check.details().get("path")).isEqualTo(dir.resolve("db/lockergate.mv.db").toString());
            assertThat((Long) check.details().get("transactions")).isEqualTo(1);
            assertThat((Long) check.details().get("syncs")).isPositive();
        } finally {
            store.close();
        }
        assertThat(StoreHealth.check(store).status()).isEqualTo(HealthStatus.DOWN);
        assertThat(StoreHealth.check(store).message()).contains("closed");
    }

    @Test
    void aCorruptDatabaseFileGivesOnePreciseErrorAndDown() throws Exception {
        H2Store good = Stores.open(dir);
        good.write("test", tx -> {
            tx.audit(Stores.T0, "test", "x", null, null);
            return null;
        });
        good.close();
        Path file = dir.resolve("db/lockergate.mv.db");
        byte[] bytes = Files.readAllBytes(file);
        Random random = new Random(42);
        for (int i = 0; i < bytes.length; i += 3) {
            bytes[i] = (byte) random.nextInt();
        }
        Files.write(file, bytes);

        H2Store store = H2Store.standalone(StoreSettings.defaults(dir), java.time.Clock.systemUTC());
        assertThat(store.start()).isFalse();
        assertThat(store.failure())
                .startsWith("数据库文件已损坏 / Database file " + file + " is corrupt")
                .contains("restore the latest backup from " + dir.resolve("backups"))
                .doesNotContain("\n");
        HealthCheck check = StoreHealth.check(store);
        assertThat(check.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(check.message()).isEqualTo(store.failure());
        assertThat(check.details()).containsEntry("open", false).containsEntry("path", file.toString());
        assertThatThrownBy(() -> store.read(tx -> null)).isInstanceOf(StoreException.class).hasMessageContaining("corrupt");
        assertThatThrownBy(() -> store.pending(org.lockergate.api.model.OutboxEvent.Stream.EVENTS, 10))
                .isInstanceOf(StoreException.class);
        store.close();
    }

    @Test
    void aDatabaseWithoutSynchronousCommitsIsRefused() {
        H2Store store = new H2Store(StoreSettings.defaults(dir),
                (url, user, password) -> new DriverManagerDataSource(url.replace("WRITE_DELAY=0", "WRITE_DELAY=500"),
                        user, password),
                Stores.bundleMigrations(), java.time.Clock.systemUTC(), null);
        assertThat(store.start()).isFalse();
        assertThat(store.failure()).contains("WRITE_DELAY is 500, the store needs 0");
    }

    @Test
    void theFolderIsCreatedOnFirstStartOwnerOnly() throws Exception {
        Path data = dir.resolve("fresh/data");
        H2Store store = Stores.open(data);
        store.close();
        assertThat(data.resolve("db/lockergate.mv.db")).exists();
        if (Files.getFileStore(data).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(data.resolve("db")))).isEqualTo("rwx------");
        }
    }
}
