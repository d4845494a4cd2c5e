package org.lockergate.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Executor;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.crypto.CodeHasher;
import org.lockergate.core.internal.crypto.CourierTokens;
import org.lockergate.core.internal.crypto.PhoneCipher;
import org.lockergate.core.internal.crypto.SecretFiles;
import org.lockergate.core.internal.events.Events;
import org.lockergate.core.internal.kiosk.CabinetEvents;
import org.lockergate.core.internal.kiosk.CloudParcels;
import org.lockergate.core.internal.kiosk.CodeIssuer;
import org.lockergate.core.internal.kiosk.Completions;
import org.lockergate.core.internal.kiosk.CourierSessions;
import org.lockergate.core.internal.kiosk.DepositFlow;
import org.lockergate.core.internal.kiosk.Kiosk;
import org.lockergate.core.internal.kiosk.OpenIntents;
import org.lockergate.core.internal.kiosk.PickupFlow;
import org.lockergate.core.internal.kiosk.Unlocker;
import org.lockergate.core.internal.kiosk.WithdrawFlow;
import org.lockergate.core.internal.lockout.KeypadThrottle;
import org.lockergate.core.internal.maintenance.Maintenance;
import org.lockergate.core.internal.notify.Notifiers;
import org.lockergate.core.internal.policy.Policies;
import org.lockergate.core.internal.query.Queries;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.core.internal.registry.Suggestions;
import org.lockergate.core.internal.ticket.Rounds;
import org.lockergate.core.internal.ticket.Tickets;
import org.lockergate.core.internal.send.SendOrders;
import org.lockergate.core.internal.timer.Timers;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StoreException;

/**
 * The composition root: builds every part of the core from the store, a clock, an event sink, the settings and the
 * data folder (for the keys). The DS component {@link LockerCore} wraps it; tests build it directly.
 */
public final class Core {

    public final Env env;
    public final Alarms alarms;
    public final Registry registry;
    public final Policies policies = new Policies();
    public final Notifiers notifiers;
    public final CourierSessions sessions;
    public final Kiosk kiosk;
    public final CloudParcels cloudParcels;
    public final Maintenance maintenance;
    public final Tickets tickets;
    public final Rounds rounds;
    public final Queries queries;
    public final Timers timers;
    public final CourierTokens courierTokens;
    public final SendOrders sends;

    public Core(LockerStore store, GatewayClock clock, Events.Sink sink, Settings settings, Path dataDir,
            Executor notifyExecutor) throws IOException {
        SecureRandom random = new SecureRandom();
        SecretFiles secrets = new SecretFiles(dataDir, random);
        CodeHasher hasher = new CodeHasher(secrets.loadOrCreate(SecretFiles.PICKUP_CODE_KEY), random);
        PhoneCipher cipher = new PhoneCipher(secrets.loadOrCreate(SecretFiles.PHONE_KEY), random);
        courierTokens = new CourierTokens(secrets.loadOrCreate(SecretFiles.COURIER_TOKEN_KEY));
        env = new Env(store, clock, new Events(sink), settings);
        alarms = new Alarms(env);
        registry = new Registry(env, alarms);
        notifiers = new Notifiers(notifyExecutor);
        Suggestions suggestions = new Suggestions(env, registry);
        sessions = new CourierSessions(env, registry, new KeypadThrottle(KeypadThrottle.Policy.DEFAULT), courierTokens,
                random);
        Unlocker unlocker = new Unlocker(env, registry);
        OpenIntents intents = new OpenIntents();
        CodeIssuer codes = new CodeIssuer(hasher);
        Completions completions = new Completions(env, registry, policies, alarms, codes, cipher, notifiers);
        sends = new SendOrders(env, registry, sessions, policies, suggestions, alarms, unlocker, hasher,
                new KeypadThrottle(KeypadThrottle.Policy.DEFAULT), intents);
        registry.receiver(new CabinetEvents(env, alarms, unlocker, intents, codes, completions, sends));
        DepositFlow deposits = new DepositFlow(env, registry, sessions, policies, suggestions, cipher, alarms, unlocker,
                random);
        PickupFlow pickups = new PickupFlow(env, registry, policies, alarms, hasher, cipher,
                new KeypadThrottle(KeypadThrottle.Policy.DEFAULT), unlocker, intents);
        kiosk = new Kiosk(sessions, deposits, pickups,
                new WithdrawFlow(env, registry, sessions, alarms, unlocker, intents));
        cloudParcels = new CloudParcels(env, policies, codes, completions, pickups);
        maintenance = new Maintenance(env, alarms, unlocker, intents);
        tickets = new Tickets(env, maintenance);
        alarms.hook(tickets);
        rounds = new Rounds(env);
        queries = new Queries(env, registry);
        timers = new Timers(env, registry, alarms, completions, sessions, unlocker, policies, suggestions, sends);
    }

    /** Loads the known cabinets (offline until attached) and the timers' markers. */
    public void start() throws StoreException, LockerException {
        registry.start();
        timers.load();
    }
}
