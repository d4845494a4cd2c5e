package org.lockergate.transport.coap.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapService;
import org.lockergate.transport.coap.PskStore;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DS component: reads the configuration and the framework properties {@value #PORT_PROPERTY} /
 * {@value #SECURE_PORT_PROPERTY} (set by the launcher from {@code LOCKERGATE_COAP_PORT} /
 * {@code LOCKERGATE_COAPS_PORT}),
 * tracks the {@link CoapHandler} whiteboard, starts the {@link CoapTransport} and registers {@link CoapService}
 * (with the bound ports as service properties) and {@link PskStore}. A port that cannot be bound does not fail
 * the component: it runs on without that endpoint.
 */
@Component(configurationPid = CoapTransportComponent.PID, immediate = true, service = {})
@Designate(ocd = CoapTransportComponent.Config.class)
public class CoapTransportComponent {

    static final String PID = "org.lockergate.transport.coap";

    /** Framework property from {@code LOCKERGATE_COAP_PORT}. */
    static final String PORT_PROPERTY = "lockergate.coap.port";

    /** Framework property from {@code LOCKERGATE_COAPS_PORT}. */
    static final String SECURE_PORT_PROPERTY = "lockergate.coaps.port";

    /** Framework property: the gateway's data folder. */
    static final String DATA_PROPERTY = "lockergate.data";

    private static final Logger LOG = LoggerFactory.getLogger(CoapTransportComponent.class);

    @ObjectClassDefinition(
            id = PID,
            name = "LockerGate CoAP 传输 / CoAP transport",
            description = "The gateway's CoAP (UDP 5683) and CoAPs DTLS-PSK (UDP 5684) endpoints for cabinets and"
                    + " kiosks. Changing a value restarts both endpoints.")
    public @interface Config {

        @AttributeDefinition(name = "CoAP port",
                description = "UDP port of plain CoAP; 0 = ephemeral (logged); -1 = the framework property"
                        + " lockergate.coap.port (LOCKERGATE_COAP_PORT), 5683 when that is not set.",
                min = "-1", max = "65535")
        int port() default -1;

        @AttributeDefinition(name = "CoAPs port",
                description = "UDP port of CoAPs (DTLS-PSK); 0 = ephemeral (logged); -1 = the framework property"
                        + " lockergate.coaps.port (LOCKERGATE_COAPS_PORT), 5684 when that is not set.",
                min = "-1", max = "65535")
        int securePort() default -1;

        @AttributeDefinition(name = "Bind address", description = "Local address of both endpoints; 0.0.0.0 = all.")
        String bindAddress() default "0.0.0.0";

        @AttributeDefinition(name = "CoAPs enabled", description = "Whether the DTLS-PSK endpoint listens.")
        boolean secureEnabled() default true;

        @AttributeDefinition(name = "Largest request body (bytes)",
                description = "Bigger requests get 4.13 too_large (also for blockwise transfers).", min = "64")
        int maxPayloadBytes() default TransportSettings.DEFAULT_MAX_PAYLOAD;

        @AttributeDefinition(name = "Handler threads",
                description = "Requests handled at once (handlers may block, e.g. for an unlock round trip).",
                min = "1")
        int handlerThreads() default 16;

        @AttributeDefinition(name = "Handler queue",
                description = "Requests waiting for a handler thread; when full, new ones get 5.03 busy at once.",
                min = "0")
        int handlerQueue() default 1024;

        @AttributeDefinition(name = "PSK file",
                description = "The DTLS pre-shared keys (identity=<hex key> lines, owner-only); empty ="
                        + " {lockergate.data}/secrets/coap-psk.properties.")
        String pskFile() default "";
    }

    private final HandlerRegistry registry = new HandlerRegistry();

    private CoapTransport transport;
    private ServiceRegistration<CoapService> serviceRegistration;
    private ServiceRegistration<PskStore> pskRegistration;

    @Reference(service = CoapHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeHandler", updated = "updatedHandler")
    void addHandler(ServiceReference<CoapHandler> reference, CoapHandler handler) {
        registry.add(handler, properties(reference), serviceId(reference), owner(reference));
    }

    void updatedHandler(ServiceReference<CoapHandler> reference, CoapHandler handler) {
        registry.remove(serviceId(reference));
        registry.add(handler, properties(reference), serviceId(reference), owner(reference));
    }

    void removeHandler(ServiceReference<CoapHandler> reference) {
        registry.remove(serviceId(reference));
    }

    @Activate
    void activate(Config config, BundleContext context) {
        Path pskPath = pskPath(config, context.getProperty(DATA_PROPERTY));
        PskFileStore psk = new PskFileStore(pskPath);
        boolean pskUsable = true;
        try {
            psk.open();
        } catch (IOException | RuntimeException e) {
            pskUsable = false;
            LOG.error("CoAP PSK 文件无法打开，CoAPs 关闭 / CoAP PSK file {} cannot be opened, CoAPs stays off: {}",
                    pskPath, Messages.oneLine(String.valueOf(e.getMessage())));
        }
        TransportSettings settings = settings(config, context.getProperty(PORT_PROPERTY),
                context.getProperty(SECURE_PORT_PROPERTY));
        CoapTransport started = new CoapTransport(settings, registry,
                pskUsable && config.secureEnabled() ? psk : null);
        started.start();
        transport = started;

        Dictionary<String, Object> properties = new Hashtable<>();
        started.localAddress(false).ifPresent(a -> properties.put(CoapService.PORT_PROPERTY, a.getPort()));
        started.localAddress(true).ifPresent(a -> properties.put(CoapService.SECURE_PORT_PROPERTY, a.getPort()));
        properties.put("lockergate.coap.address", settings.bindAddress());
        serviceRegistration = context.registerService(CoapService.class, started, properties);
        if (pskUsable) {
            pskRegistration = context.registerService(PskStore.class, psk, null);
        }
    }

    @Deactivate
    void deactivate() {
        unregister(serviceRegistration);
        unregister(pskRegistration);
        serviceRegistration = null;
        pskRegistration = null;
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }

    /** The settings to run with; a framework property that is not a port leaves that endpoint off (one ERROR line). */
    static TransportSettings settings(Config config, String frameworkPort, String frameworkSecurePort) {
        Integer port = port(config.port(), frameworkPort, PORT_PROPERTY, TransportSettings.DEFAULT_PORT, false);
        Integer securePort = config.secureEnabled()
                ? port(config.securePort(), frameworkSecurePort, SECURE_PORT_PROPERTY,
                        TransportSettings.DEFAULT_SECURE_PORT, true)
                : null;
        String bind = config.bindAddress() == null || config.bindAddress().isBlank() ? "0.0.0.0"
                : config.bindAddress().strip();
        int maxPayload = atLeast("maxPayloadBytes", config.maxPayloadBytes(), 64);
        int threads = atLeast("handlerThreads", config.handlerThreads(), 1);
        int queue = atLeast("handlerQueue", config.handlerQueue(), 0);
        return new TransportSettings(bind, port, securePort, maxPayload, threads, queue,
                TransportSettings.DEFAULT_ACCEPT_AFTER, TransportSettings.DEFAULT_PSK_RELOAD);
    }

    static Path pskPath(Config config, String dataFolder) {
        if (config.pskFile() != null && !config.pskFile().isBlank()) {
            return Path.of(config.pskFile().strip());
        }
        if (dataFolder == null || dataFolder.isBlank()) {
            LOG.warn("未设置 lockergate.data，PSK 文件放在 ./data / lockergate.data is not set: the PSK file goes"
                    + " under ./data");
            return PskFileStore.defaultFile(Path.of("data"));
        }
        return PskFileStore.defaultFile(Path.of(dataFolder.strip()));
    }

    private static Integer port(int configured, String framework, String property, int fallback, boolean secure) {
        if (configured >= 0 && configured <= 65535) {
            return configured;
        }
        if (configured != -1) {
            LOG.error(Messages.badPort(secure, "configuration " + (secure ? "securePort" : "port"),
                    Integer.toString(configured)));
            return null;
        }
        if (framework == null || framework.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(framework.strip());
            if (value >= 0 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.error(Messages.badPort(secure, property, framework));
        return null;
    }

    private static int atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            LOG.warn("CoAP 配置 {} = {} 太小，改用 {} / CoAP configuration {} = {} is too small, using {}", name, value,
                    minimum, name, value, minimum);
            return minimum;
        }
        return value;
    }

    private static Map<String, Object> properties(ServiceReference<?> reference) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            properties.put(key, reference.getProperty(key));
        }
        return properties;
    }

    private static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    private static String owner(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        String name = bundle == null ? "?" : bundle.getSymbolicName();
        return "bundle " + name + ", service " + serviceId(reference);
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    Optional<InetSocketAddress> localAddress(boolean secure) {
        return transport == null ? Optional.empty() : transport.localAddress(secure);
    }
}
