package org.lockergate.upstream.mqtt.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.store.LockerStore;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DS component: reads the configuration and the framework properties {@value #GATEWAY_ID_PROPERTY},
 * {@value #URL_PROPERTY} and {@value #DATA_PROPERTY}, tracks the {@link CommandHandler} whiteboard and runs the
 * {@link Upstream}. It is an EventAdmin handler of {@link LockerTopics#OUTBOX_WRITTEN} to wake the drain at once (a
 * poll covers a missed event). A configuration change restarts it (a clean stop: offline status, disconnect).
 */
@Component(configurationPid = UpstreamComponent.PID, immediate = true, service = EventHandler.class,
        property = EventConstants.EVENT_TOPIC + "=" + LockerTopics.OUTBOX_WRITTEN)
@Designate(ocd = UpstreamComponent.Config.class)
public class UpstreamComponent implements EventHandler {

    static final String PID = "org.lockergate.upstream.mqtt";
    static final String GATEWAY_ID_PROPERTY = "lockergate.gateway.id";
    static final String URL_PROPERTY = "lockergate.mqtt.url";
    static final String DATA_PROPERTY = "lockergate.data";

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamComponent.class);

    @ObjectClassDefinition(id = PID, name = "LockerGate 云同步 (MQTT) / Cloud sync over MQTT",
            description = "Drains the outbox to the county platform's MQTT broker, publishes status and telemetry and"
                    + " serves signed cloud commands (DESIGN.md §4 MQTT). Secrets are files under {data}/secrets/,"
                    + " never configuration values.")
    public @interface Config {

        @AttributeDefinition(name = "Broker URL", description = "tcp://host:1883 or ssl://host:8883; empty = the"
                + " framework property lockergate.mqtt.url (LOCKERGATE_MQTT_URL); both empty = cloud sync off.")
        String url() default "";

        @AttributeDefinition(name = "Gateway id", description = "Client id and topic segment; empty = the framework"
                + " property lockergate.gateway.id (LOCKERGATE_GATEWAY_ID).")
        String gatewayId() default "";

        @AttributeDefinition(name = "Username", description = "MQTT user name; the password is read from the"
                + " passwordFile (never from configuration). Empty = no credentials.")
        String username() default "";

        @AttributeDefinition(name = "Password file", description = "Owner-only file holding the MQTT password;"
                + " empty = {data}/secrets/mqtt-password.")
        String passwordFile() default "";

        @AttributeDefinition(name = "CA file", description = "PEM file of the CA certificate(s) that verify the"
                + " broker (ssl:// only); empty = the JVM's default trust store. The host name is always checked.")
        String caFile() default "";

        @AttributeDefinition(name = "Client key store", description = "PKCS#12 file with the gateway's client"
                + " certificate and key, for brokers that require one; empty = none.")
        String clientKeyStore() default "";

        @AttributeDefinition(name = "Client key store password file", description = "Owner-only file with the"
                + " PKCS#12 password; empty = {data}/secrets/mqtt-client-keystore-password.")
        String clientKeyStorePasswordFile() default "";

        @AttributeDefinition(name = "Keep-alive (s)", min = "5")
        int keepAliveSeconds() default 30;

        @AttributeDefinition(name = "Connect timeout (s)", min = "1")
        int connectTimeoutSeconds() default 10;

        @AttributeDefinition(name = "Max in flight", description = "QoS 1 messages awaiting PUBACK at once (Paho"
                + " maxInflight); the drain uses all but 10.", min = "11")
        int maxInflight() default 100;

        @AttributeDefinition(name = "Page size", description = "Outbox rows read per query.", min = "1")
        int pageSize() default 2000;

        @AttributeDefinition(name = "Poll interval (ms)", description = "The drain also looks for rows this often,"
                + " besides the EventAdmin wake-up.", min = "10")
        long pollMillis() default 5000;

        @AttributeDefinition(name = "Reconnect: first delay (ms)", min = "10")
        long reconnectMinMillis() default 1000;

        @AttributeDefinition(name = "Reconnect: longest delay (s)", description = "Cap of the jittered exponential"
                + " backoff.", min = "1")
        int reconnectMaxSeconds() default 60;

        @AttributeDefinition(name = "Offline alarm after (s)", description = "upstream_offline is raised when the"
                + " broker has been unreachable this long, cleared on reconnect.", min = "1")
        int offlineAlarmSeconds() default 30;

        @AttributeDefinition(name = "Outbox limit (rows)", description = "Unsent rows of all streams. At the"
                + " near-full percentage outbox_near_full is raised and telemetry is thinned; at 100 % telemetry"
                + " stops, business events and alarms are still stored (never dropped).", min = "10")
        long outboxLimit() default 100_000;

        @AttributeDefinition(name = "Near-full (%)", min = "1", max = "100")
        int nearFullPercent() default 80;

        @AttributeDefinition(name = "Depth check interval (s)", min = "1")
        int depthCheckSeconds() default 10;

        @AttributeDefinition(name = "Telemetry interval (s)", description = "0 = no telemetry.", min = "0")
        int telemetrySeconds() default 60;

        @AttributeDefinition(name = "Telemetry kept while offline", description = "Unsent telemetry rows kept;"
                + " older ones are dropped (thinned).", min = "1")
        int telemetryMaxPending() default 60;

        @AttributeDefinition(name = "Cloud public keys", description = "Ed25519 keys that verify commands, as"
                + " kid=<base64 of the raw 32 bytes or the X.509 DER>. Public keys, not secrets.")
        String[] cloudPublicKeys() default {};

        @AttributeDefinition(name = "HS256 key file", description = "Owner-only file with the per-gateway HMAC key"
                + " (base64); empty = {data}/secrets/mqtt-command-hmac. HS256 commands are refused without it.")
        String hmacKeyFile() default "";

        @AttributeDefinition(name = "HS256 key id", description = "The kid HS256 commands carry.")
        String hmacKeyId() default "gateway";

        @AttributeDefinition(name = "Longest command lifetime (s)", description = "expiresAt - issuedAt beyond this"
                + " is refused (it bounds the replay cache).", min = "1")
        int maxCommandLifetimeSeconds() default 600;

        @AttributeDefinition(name = "Clock skew allowed (s)", min = "0")
        int clockSkewSeconds() default 300;

        @AttributeDefinition(name = "Replay cache size", description = "Unexpired requestIds remembered; when full,"
                + " new commands are refused (409 busy).", min = "10")
        int replayCacheSize() default 10_000;

        @AttributeDefinition(name = "Command threads", min = "1")
        int commandThreads() default 2;
    }

    private final HandlerRegistry handlers = new HandlerRegistry();
    private final AtomicReference<AlarmService> alarms = new AtomicReference<>();
    private final AtomicReference<LockerQueries> queries = new AtomicReference<>();
    private final AtomicReference<GatewayClock> clock = new AtomicReference<>();

    @Reference
    private LockerStore store;

    private Upstream upstream;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetAlarms")
    void setAlarms(AlarmService service) {
        alarms.set(service);
    }

    void unsetAlarms(AlarmService service) {
        alarms.compareAndSet(service, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetQueries")
    void setQueries(LockerQueries service) {
        queries.set(service);
    }

    void unsetQueries(LockerQueries service) {
        queries.compareAndSet(service, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetClock")
    void setClock(GatewayClock service) {
        clock.set(service);
    }

    void unsetClock(GatewayClock service) {
        clock.compareAndSet(service, null);
    }

    @Reference(service = CommandHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeHandler", updated = "updatedHandler")
    void addHandler(ServiceReference<CommandHandler> ref, CommandHandler handler) {
        handlers.add(ref.getProperty(CommandHandler.COMMAND), handler, serviceId(ref), owner(ref));
    }

    void updatedHandler(ServiceReference<CommandHandler> ref, CommandHandler handler) {
        handlers.remove(serviceId(ref));
        addHandler(ref, handler);
    }

    void removeHandler(ServiceReference<CommandHandler> ref) {
        handlers.remove(serviceId(ref));
    }

    @Activate
    void activate(Config config, BundleContext context) {
        UpstreamSettings settings = settings(config, context::getProperty,
                context.getBundle().getVersion().toString());
        if (settings == null) {
            return;
        }
        LOG.info("云同步配置 / Cloud sync settings: {}", settings);
        upstream = new Upstream(settings, store, new ClockView(clock), alarms::get, queries::get, handlers,
                DepthProbe.of(store), () -> versions(context));
        upstream.start();
    }

    @Deactivate
    void deactivate() {
        if (upstream != null) {
            upstream.stop();
            upstream = null;
        }
    }

    @Override
    public void handleEvent(Event event) {
        Upstream u = upstream;
        if (u == null) {
            return;
        }
        Object stream = event.getProperty(LockerTopics.STREAM);
        try {
            u.wake(OutboxEvent.Stream.valueOf(String.valueOf(stream)));
        } catch (IllegalArgumentException e) {
            u.wakeAll();
        }
    }

    /** Resolves the configuration; null (with one ERROR line) when the gateway id is missing but sync is on. */
    static UpstreamSettings settings(Config c, java.util.function.Function<String, String> framework, String version) {
        String url = firstNonBlank(c.url(), framework.apply(URL_PROPERTY));
        String gatewayId = firstNonBlank(c.gatewayId(), framework.apply(GATEWAY_ID_PROPERTY));
        String data = firstNonBlank(framework.apply(DATA_PROPERTY), "data");
        if (gatewayId.isEmpty()) {
            if (!url.isEmpty()) {
                LOG.error("未设置网关编号（lockergate.gateway.id），云同步关闭 / No gateway id (lockergate.gateway.id):"
                        + " cloud sync stays off");
                return null;
            }
            gatewayId = "gateway";
        }
        if (!gatewayId.matches("[A-Za-z0-9._-]{1,64}")) {
            LOG.error("网关编号 {} 不能用作 MQTT 主题，云同步关闭 / Gateway id {} is not usable in MQTT topics"
                    + " (letters, digits, . _ -): cloud sync stays off", gatewayId, gatewayId);
            return null;
        }
        Path dataDir = Path.of(data);
        UpstreamSettings.Builder b = UpstreamSettings.builder(url, gatewayId, dataDir);
        b.version = version;
        b.username = c.username() == null ? "" : c.username().strip();
        if (!blank(c.passwordFile())) {
            b.passwordFile = Path.of(c.passwordFile().strip());
        }
        b.caFile = blank(c.caFile()) ? null : Path.of(c.caFile().strip());
        b.clientKeyStore = blank(c.clientKeyStore()) ? null : Path.of(c.clientKeyStore().strip());
        if (!blank(c.clientKeyStorePasswordFile())) {
            b.clientKeyStorePasswordFile = Path.of(c.clientKeyStorePasswordFile().strip());
        }
        b.keepAliveSeconds = Math.max(5, c.keepAliveSeconds());
        b.connectTimeoutSeconds = Math.max(1, c.connectTimeoutSeconds());
        b.maxInflight = Math.max(UpstreamSettings.RESERVED_INFLIGHT + 1, c.maxInflight());
        b.pageSize = Math.max(1, c.pageSize());
        b.poll = Duration.ofMillis(Math.max(10, c.pollMillis()));
        b.reconnectMin = Duration.ofMillis(Math.max(10, c.reconnectMinMillis()));
        b.reconnectMax = Duration.ofSeconds(Math.max(1, c.reconnectMaxSeconds()));
        b.offlineAlarmAfter = Duration.ofSeconds(Math.max(1, c.offlineAlarmSeconds()));
        b.outboxLimit = Math.max(10, c.outboxLimit());
        b.nearFullPercent = Math.min(100, Math.max(1, c.nearFullPercent()));
        b.depthCheck = Duration.ofSeconds(Math.max(1, c.depthCheckSeconds()));
        b.telemetryInterval = Duration.ofSeconds(Math.max(0, c.telemetrySeconds()));
        b.telemetryMaxPending = Math.max(1, c.telemetryMaxPending());
        b.cloudPublicKeys = c.cloudPublicKeys() == null ? List.of() : Arrays.asList(c.cloudPublicKeys());
        if (!blank(c.hmacKeyFile())) {
            b.hmacKeyFile = Path.of(c.hmacKeyFile().strip());
        }
        b.hmacKeyId = blank(c.hmacKeyId()) ? "gateway" : c.hmacKeyId().strip();
        b.maxCommandLifetime = Duration.ofSeconds(Math.max(1, c.maxCommandLifetimeSeconds()));
        b.clockSkew = Duration.ofSeconds(Math.max(0, c.clockSkewSeconds()));
        b.replayCacheSize = Math.max(10, c.replayCacheSize());
        b.commandThreads = Math.max(1, c.commandThreads());
        return b.build();
    }

    private static Map<String, Object> versions(BundleContext context) {
        Map<String, Object> out = new LinkedHashMap<>();
        Bundle system = context.getBundle(0);
        out.put("framework", system == null ? null : system.getSymbolicName() + " " + system.getVersion());
        out.put("java", System.getProperty("java.version"));
        Map<String, String> bundles = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && name.startsWith("org.lockergate")) {
                bundles.put(name, b.getVersion() + " " + state(b.getState()));
            }
        }
        out.put("bundles", bundles);
        return out;
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.INSTALLED -> "INSTALLED";
            default -> "UNINSTALLED";
        };
    }

    private static long serviceId(ServiceReference<?> ref) {
        return ((Number) ref.getProperty(Constants.SERVICE_ID)).longValue();
    }

    private static String owner(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        return b == null ? "?" : b.getSymbolicName() + " (service " + serviceId(ref) + ")";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String firstNonBlank(String a, String b) {
        return !blank(a) ? a.strip() : !blank(b) ? b.strip() : "";
    }

    /** The core's GatewayClock when present, else the system clock in Asia/Shanghai. */
    private record ClockView(AtomicReference<GatewayClock> ref) implements GatewayClock {
        private static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

        @Override
        public Instant now() {
            GatewayClock c = ref.get();
            return c == null ? Instant.now() : c.now();
        }

        @Override
        public ZoneId zone() {
            GatewayClock c = ref.get();
            return c == null ? DEFAULT_ZONE : c.zone();
        }
    }
}
