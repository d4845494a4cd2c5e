package org.lockergate.core.internal.kiosk;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lockergate.api.spi.CabinetDriver;
import org.lockergate.api.spi.UnlockOutcome;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.registry.AttachedCabinet;
import org.lockergate.core.internal.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unlocks through the cabinet's driver (R13: pulse 400 ms) and waits for the outcome; no driver, an exception or no
 * answer in time is {@link Result#UNAVAILABLE}. Remembers commanded unlocks for a while so that the door-open event
 * that follows is not taken for a forced opening.
 */
public final class Unlocker {

    public enum Result {
        OPENED, ALREADY_OPEN, JAMMED, UNAVAILABLE;

        public boolean opened() {
            return this == OPENED || this == ALREADY_OPEN;
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Unlocker.class);

    private final Env env;
    private final Registry registry;
    private final Map<String, Instant> commanded = new ConcurrentHashMap<>();

    public Unlocker(Env env, Registry registry) {
        this.env = env;
        this.registry = registry;
    }

    public Result unlock(String groupId, String cabinetId, String label) {
        CabinetDriver driver = registry.cabinet(cabinetId).map(AttachedCabinet::driver).orElse(null);
        if (driver == null) {
            return Result.UNAVAILABLE;
        }
        commanded.put(CompartmentRow.key(groupId, label), env.now());
        Duration timeout = env.settings().unlockTimeout();
        try {
            UnlockOutcome outcome = driver.unlock(label, env.settings().unlockPulse()).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return switch (outcome) {
                case OPENED -> Result.OPENED;
                case ALREADY_OPEN -> Result.ALREADY_OPEN;
                case JAMMED -> Result.JAMMED;
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.UNAVAILABLE;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("柜子 {} 格口 {} 开锁无应答 / Unlock of {} compartment {} got no answer: {}", cabinetId, label,
                    cabinetId, label, String.valueOf(e instanceof ExecutionException ? e.getCause() : e));
            return Result.UNAVAILABLE;
        }
    }

    /** Whether an unlock was commanded for that door within the unlock window. */
    public boolean recentlyCommanded(String key, Instant now) {
        Instant at = commanded.get(key);
        return at != null && !at.plus(env.settings().unlockTimeout()).plusSeconds(5).isBefore(now);
    }

    public void purge(Instant now) {
        commanded.values().removeIf(at -> at.plus(env.settings().unlockTimeout()).plusSeconds(5).isBefore(now));
    }
}
