package org.lockergate.core.internal.timer;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lockergate.api.locker.LockerException;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.kiosk.Completions;
import org.lockergate.core.internal.kiosk.CourierSessions;
import org.lockergate.core.internal.kiosk.Unlocker;
import org.lockergate.core.internal.policy.Policies;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.core.internal.registry.Suggestions;
import org.lockergate.core.internal.send.SendOrders;
import org.lockergate.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one scheduler of the core: every tick (1 s by default) doors, reservations and heartbeats; parcels
 * (reminders, overdue, recall) every parcel scan period; emergency redirects. {@link #tick()} runs everything at
 * once, for tests with a moved clock.
 */
public final class Timers {

    private static final Logger LOG = LoggerFactory.getLogger(Timers.class);

    private final Env env;
    private final CourierSessions sessions;
    private final Unlocker unlocker;
    private final SendOrders sends;
    private final DoorTimers doors;
    private final HeartbeatMonitor heartbeats;
    private final ParcelTimers parcels;
    private final EmergencyRedirect redirects;
    private final Markers reminded;
    private final Markers redirected;
    private volatile Instant lastParcelScan;
    private ScheduledExecutorService scheduler;

    public Timers(Env env, Registry registry, Alarms alarms, Completions completions, CourierSessions sessions,
            Unlocker unlocker, Policies policies, Suggestions suggestions, SendOrders sends) {
        this.env = env;
        this.sessions = sessions;
        this.unlocker = unlocker;
        this.sends = sends;
        this.reminded = new Markers(env, ParcelTimers.REMINDER);
        this.redirected = new Markers(env, EmergencyRedirect.ACTION);
        this.doors = new DoorTimers(env, alarms, completions);
        this.heartbeats = new HeartbeatMonitor(env, registry, alarms);
        this.parcels = new ParcelTimers(env, policies, reminded);
        this.redirects = new EmergencyRedirect(env, registry, suggestions, redirected);
    }

    /** Loads the once-markers from the audit log. */
    public void load() throws StoreException, LockerException {
        reminded.load();
        redirected.load();
    }

    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lockergate-core-timers");
            thread.setDaemon(true);
            return thread;
        });
        long period = env.settings().tick().toMillis();
        scheduler.scheduleWithFixedDelay(this::scheduledTick, period, period, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void scheduledTick() {
        Instant now = env.now();
        Instant last = lastParcelScan;
        run(now, last == null || !last.plus(env.settings().parcelScan()).isAfter(now));
    }

    /** Runs every check now (tests move the clock and call this). */
    public void tick() {
        run(env.now(), true);
    }

    private synchronized void run(Instant now, boolean scanParcels) {
        step("sessions", () -> {
            sessions.purge(now);
            unlocker.purge(now);
        });
        step("doors", () -> doors.check(now));
        step("heartbeats", () -> heartbeats.check(now));
        if (scanParcels) {
            lastParcelScan = now;
            step("parcels", () -> parcels.check(now));
        }
        step("redirects", () -> redirects.check(now));
        step("sends", () -> sends.expire(now));
    }

    /** The shell's {@code locker:redirect}: redirects a cabinet's parcels now, whatever its state. */
    public int redirectNow(String cabinetId) throws StoreException, LockerException {
        return redirects.redirect(cabinetId, null, "redirected by an operator", env.now());
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(String name, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.error("Timer step {} failed: {}", name, e.toString(), e);
        }
    }
}
