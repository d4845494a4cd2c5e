package org.lockergate.upstream.mqtt.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StorageStatus;
import org.lockergate.upstream.mqtt.CommandResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream, outside OSGi (the component only wires it): link, drain, offline alarm, bounded-outbox policy,
 * telemetry and commands. {@link #start()} / {@link #stop()}; {@link #crash()} for tests.
 */
final class Upstream implements MqttLink.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

    private final UpstreamSettings settings;
    private final LockerStore store;
    private final GatewayClock clock;
    private final Supplier<AlarmService> alarms;
    private final Supplier<LockerQueries> queries;
    private final HandlerRegistry handlers;
    private final Supplier<Map<String, Object>> versions;
    private final Instant startedAt;

    private final Payloads payloads;
    private final OutboxBudget budget;
    private final OfflineWatch offline;
    private final TelemetryWriter telemetry;
    private final OutboxDrainer drainer;
    private final MqttLink link;
    private final CommandDispatcher commands;
    private final ScheduledExecutorService timers;
    private final ScheduledExecutorService linkThread;
    private final ThreadPoolExecutor commandPool;
    /** Service id of the built-in diagnostics handler: below every real service id, unique per instance. */
    private final long builtInId = BUILT_IN_IDS.incrementAndGet();
    private static final java.util.concurrent.atomic.AtomicLong BUILT_IN_IDS =
            new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

    Upstream(UpstreamSettings settings, LockerStore store, GatewayClock clock, Supplier<AlarmService> alarms,
            Supplier<LockerQueries> queries, HandlerRegistry handlers, DepthProbe depth,
            Supplier<Map<String, Object>> versions) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.alarms = alarms;
        this.queries = queries;
        this.handlers = handlers;
        this.versions = versions;
        this.startedAt = clock.now();
        this.payloads = new Payloads(settings.gatewayId(), clock.zone());
        AlarmSink sink = new AlarmSink(alarms);
        this.budget = new OutboxBudget(depth, settings.outboxLimit(), settings.nearFullPercent(), sink);
        this.offline = new OfflineWatch(clock::now, settings.offlineAlarmAfter(), sink);
        this.timers = Executors.newSingleThreadScheduledExecutor(named("lockergate-upstream-timer"));
        this.linkThread = Executors.newSingleThreadScheduledExecutor(named("lockergate-upstream-link"));
        SecureRandom random = new SecureRandom();
        this.link = new MqttLink(settings, payloads, this, linkThread,
                new Backoff(settings.reconnectMin(), settings.reconnectMax(), random::nextDouble), clock::now);
        this.drainer = new OutboxDrainer(store, payloads, settings.pageSize(), settings.poll().toMillis(), link::ended);
        this.telemetry = new TelemetryWriter(store, queries, alarms, budget, settings.telemetryMaxPending(), clock::now,
                link::connected);
        this.commandPool = new ThreadPoolExecutor(settings.commandThreads(), settings.commandThreads(), 60,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, settings.commandQueue())),
                named("lockergate-upstream-command"));
        this.commands = new CommandDispatcher(
                new CommandVerifier(CommandVerifier.parseKeys(settings.cloudPublicKeys()), settings.hmacKeyFile(),
                        settings.hmacKeyId(), settings.gatewayId(), clock::now, settings.maxCommandLifetime(),
                        settings.clockSkew(), new ReplayGuard(settings.replayCacheSize())),
                handlers, payloads, link::publish, store, clock::now, commandPool);
        handlers.add("diagnostics", command -> CommandResult.ok(diagnostics()), builtInId,
                "org.lockergate.upstream.mqtt (built in)");
    }

    void start() {
        long depthMs = Math.max(100, settings.depthCheck().toMillis());
        timers.scheduleWithFixedDelay(guard(budget::check), 0, depthMs, TimeUnit.MILLISECONDS);
        if (!settings.enabled()) {
            LOG.info("未设置 MQTT 地址，云同步关闭，事件留在发件箱 / No MQTT URL: cloud sync is off, events wait in the"
                    + " outbox");
            return;
        }
        offline.offline();
        long checkMs = Math.max(10, Math.min(1_000, settings.offlineAlarmAfter().toMillis() / 2));
        timers.scheduleWithFixedDelay(guard(offline::check), checkMs, checkMs, TimeUnit.MILLISECONDS);
        long telemetryMs = settings.telemetryInterval().toMillis();
        if (telemetryMs > 0) {
            timers.scheduleWithFixedDelay(guard(this::telemetryTick), telemetryMs, telemetryMs, TimeUnit.MILLISECONDS);
        }
        drainer.start();
        link.start();
        LOG.info("云同步启动 / Cloud sync starting: {} as {}, topics {}", settings.url(), settings.gatewayId(),
                payloads.root());
    }

    /** Clean stop: confirms what was acknowledged, publishes the retained offline status, disconnects. */
    void stop() {
        timers.shutdownNow();
        drainer.stop(true, 5_000);
        link.stop(true);
        linkThread.shutdownNow();
        commandPool.shutdownNow();
        handlers.remove(builtInId);
    }

    /** As a crash: no confirm flush, the socket dropped without DISCONNECT (the broker publishes the will). */
    void crash() {
        timers.shutdownNow();
        linkThread.shutdownNow();
        link.stop(false);
        drainer.stop(false, 5_000);
        commandPool.shutdownNow();
        handlers.remove(builtInId);
    }

    /** EventAdmin {@code lockergate/outbox/WRITTEN}. */
    void wake(Stream stream) {
        drainer.wake(stream);
    }

    void wakeAll() {
        for (Stream s : Stream.values()) {
            drainer.wake(s);
        }
    }

    // ---------------------------------------------------------------------------------------- link listener

    @Override
    public void connected(Session session) {
        drainer.attach(session);
        timers.execute(guard(offline::online));
    }

    @Override
    public void lost(Session session) {
        drainer.detach(session);
        offline.offline();
    }

    @Override
    public void attemptFailed() {
        offline.offline();
        try {
            timers.execute(guard(offline::check));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    @Override
    public void message(Session session, String topic, MqttMessage message) {
        commands.arrived(topic, message.getPayload(), message.isRetained());
    }

    // ---------------------------------------------------------------------------------------- parts

    long telemetryTick() {
        long seq = telemetry.tick();
        if (seq > 0) {
            drainer.wake(Stream.TELEMETRY);
        }
        return seq;
    }

    Map<String, Object> diagnostics() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gatewayId", settings.gatewayId());
        out.put("version", settings.version());
        out.put("versions", versions.get());
        Instant now = clock.now();
        out.put("startedAt", payloads.iso(startedAt));
        out.put("uptimeSeconds", Duration.between(startedAt, now).toSeconds());
        out.put("jvmUptimeSeconds", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        Map<String, Object> up = new LinkedHashMap<>();
        up.put("url", settings.url());
        up.put("connected", link.connected());
        up.put("connectedSince", payloads.iso(link.connectedSince()));
        up.put("connects", link.connects());
        up.put("lastFailure", link.lastFailure());
        up.put("offlineAlarm", offline.raised());
        out.put("upstream", up);
        Map<String, Object> outbox = new LinkedHashMap<>();
        for (Stream s : Stream.values()) {
            Map<String, Object> stream = new LinkedHashMap<>();
            stream.put("pending", budget.depth(s));
            stream.put("published", drainer.published(s));
            stream.put("ackedSeq", drainer.acked(s));
            stream.put("confirmedSeq", drainer.confirmed(s));
            outbox.put(s.name().toLowerCase(Locale.ROOT), stream);
        }
        outbox.put("limit", budget.limit());
        outbox.put("level", budget.level().name().toLowerCase(Locale.ROOT));
        outbox.put("telemetryThinned", telemetry.thinnedWrites());
        out.put("outbox", outbox);
        Map<String, Object> storeView = new LinkedHashMap<>();
        try {
            StorageStatus st = store.storage();
            storeView.put("freeBytes", st.freeBytes());
            storeView.put("reserveBytes", st.reserveBytes());
            storeView.put("databaseBytes", st.databaseBytes());
            storeView.put("acceptsNewData", st.acceptsNewData());
        } catch (RuntimeException e) {
            storeView.put("error", e.toString());
        }
        storeView.put("drainProblem", drainer.storeProblem());
        out.put("store", storeView);
        LockerQueries q = queries.get();
        if (q != null) {
            Map<String, Object> cabinets = new LinkedHashMap<>();
            int total = 0;
            int online = 0;
            for (Cabinet c : q.cabinets(null)) {
                total++;
                if (c.online()) {
                    online++;
                }
            }
            cabinets.put("total", total);
            cabinets.put("online", online);
            out.put("cabinets", cabinets);
        }
        out.put("commands", Map.of("served", handlers.names(), "executed", commands.executed(), "refused",
                commands.refused()));
        return out;
    }

    // ---------------------------------------------------------------------------------------- for tests

    MqttLink link() {
        return link;
    }

    OutboxDrainer drainer() {
        return drainer;
    }

    OutboxBudget budget() {
        return budget;
    }

    OfflineWatch offlineWatch() {
        return offline;
    }

    CommandDispatcher commands() {
        return commands;
    }

    Payloads payloads() {
        return payloads;
    }

    private static Runnable guard(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("云同步定时任务出错 / Upstream task failed: {}", e.toString(), e);
            }
        };
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
