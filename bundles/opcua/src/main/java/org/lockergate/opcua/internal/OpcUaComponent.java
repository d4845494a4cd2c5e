package org.lockergate.opcua.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.MaintenanceService;
import org.lockergate.identity.IdentityService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DS component: reads the configuration and the framework properties {@value #PORT_PROPERTY} (from
 * {@code LOCKERGATE_OPCUA_PORT}), {@value #DATA_PROPERTY} and {@value #GATEWAY_ID_PROPERTY}, starts the
 * {@link LockerGateServer} on its own thread (activation does not wait for namespace 0 to load) and forwards the
 * core's EventAdmin events to it. A port that cannot be bound does not fail the component: it logs an ERROR and runs
 * on without OPC UA until reconfigured.
 */
@Component(configurationPid = OpcUaComponent.PID, immediate = true, service = EventHandler.class,
        property = EventConstants.EVENT_TOPIC + "=" + LockerTopics.ALL)
@Designate(ocd = OpcUaComponent.Config.class)
public class OpcUaComponent implements EventHandler {

    static final String PID = "org.lockergate.opcua";
    static final String PORT_PROPERTY = "lockergate.opcua.port";
    static final String DATA_PROPERTY = "lockergate.data";
    static final String GATEWAY_ID_PROPERTY = "lockergate.gateway.id";

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaComponent.class);

    @ObjectClassDefinition(
            id = PID,
            name = "LockerGate OPC UA 服务 / OPC UA server",
            description = "The gateway's OPC UA server for monitoring tools (opc.tcp://{host}:{port}/lockergate,"
                    + " namespace urn:lockergate). Changing a value restarts the server.")
    public @interface Config {

        @AttributeDefinition(name = "Port",
                description = "TCP port; 0 = ephemeral (logged); -1 = the framework property lockergate.opcua.port"
                        + " (LOCKERGATE_OPCUA_PORT), 4840 when that is not set.",
                min = "-1", max = "65535")
        int port() default -1;

        @AttributeDefinition(name = "Bind address", description = "Local address to listen on; 0.0.0.0 = all.")
        String bindAddress() default "0.0.0.0";

        @AttributeDefinition(name = "Host name",
                description = "Host name in the endpoint URLs and the certificate; empty = this machine's names.")
        String hostname() default "";

        @AttributeDefinition(name = "Anonymous None endpoint",
                description = "Offer the unsecured endpoint (SecurityPolicy None, anonymous, read-only).")
        boolean anonymousEndpoint() default true;

        @AttributeDefinition(name = "Anonymous on secure endpoints",
                description = "Also accept anonymous (read-only) sessions on the Basic256Sha256 endpoints.")
        boolean anonymousOnSecureEndpoints() default true;

        @AttributeDefinition(name = "PKI folder",
                description = "Application certificate, trusted/ and rejected/ client certificates; empty ="
                        + " {lockergate.data}/opcua/pki.")
        String pkiDir() default "";

        @AttributeDefinition(name = "Outbox count limit",
                description = "The largest OutboxDepth counted; more rows are shown as this number.", min = "1")
        int outboxCountLimit() default 100_000;
    }

    @Reference
    private LockerQueries queries;
    @Reference
    private AlarmService alarms;
    @Reference
    private MaintenanceService maintenance;
    @Reference
    private IdentityService identity;

    private ExecutorService starter;
    private volatile LockerGateServer server;

    @Activate
    void activate(Config config, BundleContext context) {
        OpcUaSettings settings = settings(config, context.getProperty(PORT_PROPERTY),
                context.getProperty(DATA_PROPERTY), context.getProperty(GATEWAY_ID_PROPERTY),
                context.getBundle().getVersion().toString());
        if (settings == null) {
            return;
        }
        LockerGateServer created = new LockerGateServer(settings, queries, alarms, maintenance, identity);
        server = created;
        starter = Executors.newSingleThreadExecutor(r -> new Thread(r, "lockergate-opcua-start"));
        starter.execute(() -> {
            try {
                created.start();
            } catch (Exception | LinkageError e) {
                LOG.error("OPC UA 服务无法启动 / OPC UA server cannot start on {}:{}: {}", settings.bindAddress(),
                        settings.port(), e.toString(), e);
            }
        });
    }

    @Deactivate
    void deactivate() {
        ExecutorService startThread = starter;
        starter = null;
        if (startThread != null) {
            startThread.shutdown();
            try {
                startThread.awaitTermination(40, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LockerGateServer running = server;
        server = null;
        if (running != null) {
            running.close();
        }
    }

    @Override
    public void handleEvent(Event event) {
        LockerGateServer running = server;
        if (running != null) {
            Map<String, Object> properties = new HashMap<>();
            for (String name : event.getPropertyNames()) {
                properties.put(name, event.getProperty(name));
            }
            running.onEvent(event.getTopic(), properties);
        }
    }

    /** The settings to run with, or null (one ERROR line) when the port is not a port. */
    static OpcUaSettings settings(Config config, String frameworkPort, String dataFolder, String gatewayId,
            String version) {
        Integer port = port(config.port(), frameworkPort);
        if (port == null) {
            return null;
        }
        Path pki;
        if (config.pkiDir() != null && !config.pkiDir().isBlank()) {
            pki = Path.of(config.pkiDir().strip());
        } else {
            Path data = dataFolder == null || dataFolder.isBlank() ? Path.of("data") : Path.of(dataFolder.strip());
            pki = data.resolve("opcua").resolve("pki");
        }
        String bind = config.bindAddress() == null || config.bindAddress().isBlank() ? "0.0.0.0"
                : config.bindAddress().strip();
        String id = gatewayId == null || gatewayId.isBlank() ? "lockergate" : gatewayId.strip();
        return new OpcUaSettings(bind, port, config.hostname() == null ? "" : config.hostname().strip(),
                OpcUaSettings.DEFAULT_PATH, config.anonymousEndpoint(), config.anonymousOnSecureEndpoints(), pki, id,
                version, Math.max(1, config.outboxCountLimit()), Duration.ofSeconds(1));
    }

    private static Integer port(int configured, String framework) {
        if (configured >= 0 && configured <= 65535) {
            return configured;
        }
        if (configured == -1) {
            if (framework == null || framework.isBlank()) {
                return OpcUaSettings.DEFAULT_PORT;
            }
            try {
                int value = Integer.parseInt(framework.strip());
                if (value >= 0 && value <= 65535) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        LOG.error("OPC UA 端口无效，服务不启动 / OPC UA port is not valid ({} / {}={}), the server stays off",
                configured, PORT_PROPERTY, framework);
        return null;
    }
}
