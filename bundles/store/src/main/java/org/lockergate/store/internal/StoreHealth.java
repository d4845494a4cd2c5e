package org.lockergate.store.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lockergate.health.HealthCheck;
import org.lockergate.store.StorageStatus;

/**
 * The {@code store} health check (critical). DOWN only when the database cannot be written: not open, the last
 * sync failed, or a write failed because the database is unusable. Free space below the reserve is UP with a
 * warning: new deposits are refused then, but pickups must go on (R22), so the gateway is not DOWN for it.
 */
final class StoreHealth {

    static final String NAME = "store";

    private StoreHealth() {
    }

    static HealthCheck check(H2Store store) {
        try {
            H2Store.Stats s = store.stats();
            StorageStatus storage = s.storage();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("path", s.databaseFile().toString());
            details.put("open", s.open());
            details.put("schemaVersion", s.schemaVersion());
            details.put("sizeBytes", storage.databaseBytes());
            details.put("freeBytes", storage.freeBytes());
            details.put("reserveBytes", storage.reserveBytes());
            details.put("acceptsNewData", storage.acceptsNewData());
            details.put("simulatedFreeSpace", store.settings().simulatedFreeBytes() >= 0);
            details.put("syncs", s.syncs());
            details.put("transactions", s.transactions());
            details.put("transactionsPerSync", Math.round(s.transactionsPerSync() * 100) / 100.0);
            details.put("lastSyncMs", Math.round(s.lastSyncNanos() / 10_000.0) / 100.0);
            details.put("retries", s.retries());
            if (s.failure() != null) {
                details.put("error", s.failure());
                return HealthCheck.down(NAME, true, s.failure(), details);
            }
            if (!storage.acceptsNewData()) {
                return HealthCheck.up(NAME, true, "磁盘空间低于保留值：拒绝新投递，取件照常 / Free space below the "
                        + "reserve: new deposits are refused, pickups go on (" + mb(storage.freeBytes()) + " MB free, "
                        + "reserve " + mb(storage.reserveBytes()) + " MB, in " + s.databaseFile().getParent() + ")",
                        details);
            }
            return HealthCheck.up(NAME, true, "存储正常 / Store open: " + s.databaseFile() + ", "
                    + mb(storage.databaseBytes()) + " MB, " + mb(storage.freeBytes()) + " MB free", details);
        } catch (RuntimeException e) {
            return HealthCheck.down(NAME, true, "存储状态无法读取 / Store status unavailable: " + e, Map.of());
        }
    }

    private static long mb(long bytes) {
        return bytes >> 20;
    }
}
