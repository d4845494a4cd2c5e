package org.lockergate.opcua.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.util.HostnameUtil;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.MaintenanceService;
import org.lockergate.identity.IdentityService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's OPC UA server, without OSGi: plain services in, {@link #start()} / {@link #close()}, and
 * {@link #onEvent} for the core's EventAdmin events. Endpoints at {@code opc.tcp://{host}:{port}/lockergate}: None
 * (anonymous, read-only; can be turned off) and Basic256Sha256 Sign and SignAndEncrypt (user name tokens checked by
 * {@link IdentityService}; anonymous too unless turned off). Runs on its own threads, which {@link #close()} ends.
 */
public final class LockerGateServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LockerGateServer.class);

    private static final UserTokenPolicy ANONYMOUS = OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
    private static final UserTokenPolicy USERNAME = OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;

    private final OpcUaSettings requested;
    private final LockerQueries queries;
    private final AlarmService alarmService;
    private final MaintenanceService maintenance;
    private final IdentityService identity;

    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private ScheduledExecutorService syncThread;
    private EventLoopGroup eventLoop;
    private ServerPki pki;
    private OpcUaServer server;
    private LockerNamespace namespace;
    private LockerSync sync;
    private AlarmConditions conditions;
    private LockerTree tree;
    private int port;
    private String endpointUrl;

    public LockerGateServer(OpcUaSettings settings, LockerQueries queries, AlarmService alarms,
            MaintenanceService maintenance, IdentityService identity) {
        this.requested = Objects.requireNonNull(settings, "settings");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.alarmService = Objects.requireNonNull(alarms, "alarms");
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /** Creates the certificate if needed, binds the endpoints and reads the registry. */
    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        try {
            startServer();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void startServer() throws Exception {
        long t0 = System.nanoTime();
        String hostname = requested.hostname().isBlank() ? HostnameUtil.getHostname() : requested.hostname();
        Set<String> hostnames = new LinkedHashSet<>();
        hostnames.add(hostname);
        if (requested.hostname().isBlank()) {
            hostnames.addAll(HostnameUtil.getHostnames(requested.bindAddress()));
        }
        String applicationUri = "urn:lockergate:gateway:" + requested.gatewayId();
        long tNames = System.nanoTime();
        pki = ServerPki.open(requested.pkiDir(), applicationUri, hostnames);
        long tPki = System.nanoTime();

        port = requested.port() == 0 ? freePort(requested.bindAddress()) : requested.port();
        executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                threads("lockergate-opcua-"));
        scheduler = Executors.newSingleThreadScheduledExecutor(threads("lockergate-opcua-timer-"));
        syncThread = Executors.newSingleThreadScheduledExecutor(threads("lockergate-opcua-sync-"));
        eventLoop = new NioEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                threads("lockergate-opcua-io-"));

        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri(applicationUri)
                .setApplicationName(LocalizedText.english("LockerGate " + requested.gatewayId()))
                .setProductUri(OpcUaSettings.NAMESPACE_URI)
                .setBuildInfo(new BuildInfo(OpcUaSettings.NAMESPACE_URI, "LockerGate", "LockerGate gateway",
                        requested.version(), requested.version(), DateTime.now()))
                .setEndpoints(endpoints(hostnames, pki.certificate()))
                .setCertificateManager(pki.certificateManager())
                .setIdentityValidator(new CompositeValidator(AnonymousIdentityValidator.INSTANCE,
                        new OperatorIdentityValidator(identity)))
                .setExecutor(executor)
                .setScheduledExecutor(scheduler)
                .build();
        OpcTcpServerTransportConfig transportConfig = OpcTcpServerTransportConfig.newBuilder()
                .setExecutor(executor)
                .setEventLoop(eventLoop)
                .build();
        server = new OpcUaServer(config, profile -> profile == TransportProfile.TCP_UASC_UABINARY
                ? new OpcTcpServerTransport(transportConfig) : null);

        long tServer = System.nanoTime();
        namespace = new LockerNamespace(server);
        namespace.startup();
        UaFolderNode root = namespace.folder(NodeIds.ObjectsFolder, LockerNamespace.ROOT, LockerNamespace.ROOT,
                "LockerGate smart parcel locker gateway: its groups, cabinets, compartments and alarms.");
        GatewayNodes gateway = new GatewayNodes(namespace, root, requested.gatewayId(), requested.version(),
                Instant.now());
        LockerDataTypes types = LockerDataTypes.register(namespace);
        LockerTree tree = new LockerTree(namespace, types, root);
        this.tree = tree;
        CompartmentMethods.install(namespace, tree, maintenance);
        AlarmConditions alarms = new AlarmConditions(namespace, root, tree, gateway, alarmService);
        sync = new LockerSync(queries, tree, gateway, alarms, syncThread, requested.outboxCountLimit(),
                requested.outboxRecount());
        conditions = alarms;

        try {
            server.startup().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("OPC UA server did not start on " + requested.bindAddress() + ":" + port + ": "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("OPC UA server did not start within 30 s", e);
        }
        LOG.debug("OPC UA start: host names {} ms, PKI {} ms, server and namespace 0 {} ms, ours and bind {} ms",
                (tNames - t0) / 1_000_000, (tPki - tNames) / 1_000_000, (tServer - tPki) / 1_000_000,
                (System.nanoTime() - tServer) / 1_000_000);
        endpointUrl = "opc.tcp://" + hostname + ":" + port + requested.path();
        alarms.attach();
        sync.all();
        LOG.info("OPC UA 服务已启动 / OPC UA server listening: {} (bind {}:{}, None endpoint {}, certificates in {})",
                endpointUrl, requested.bindAddress(), port, requested.anonymousEndpoint() ? "on" : "off",
                pki.dir());
    }

    private Set<EndpointConfig> endpoints(Set<String> hostnames, X509Certificate certificate) {
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        for (String host : hostnames) {
            EndpointConfig.Builder base = EndpointConfig.newBuilder()
                    .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                    .setBindAddress(requested.bindAddress())
                    .setBindPort(port)
                    .setHostname(host)
                    .setPath(requested.path())
                    .setCertificate(certificate);
            if (requested.anonymousEndpoint()) {
                endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.None)
                        .setSecurityMode(MessageSecurityMode.None).addTokenPolicy(ANONYMOUS).build());
            } else {
                // GetEndpoints must stay reachable without security (OPC UA Part 6: the "/discovery" suffix)
                endpoints.add(base.copy().setPath(requested.path() + "/discovery")
                        .setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None).build());
            }
            for (MessageSecurityMode mode : List.of(MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt)) {
                EndpointConfig.Builder secure = base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                        .setSecurityMode(mode).addTokenPolicy(USERNAME);
                if (requested.anonymousOnSecureEndpoints()) {
                    secure.addTokenPolicy(ANONYMOUS);
                }
                endpoints.add(secure.build());
            }
        }
        return endpoints;
    }

    /** An EventAdmin event under {@code lockergate/} (any thread; returns at once). */
    public void onEvent(String topic, Map<String, ?> properties) {
        LockerSync current = sync;
        if (current != null) {
            current.onEvent(topic, properties);
        }
    }

    /** The TCP port the endpoints are bound to (the chosen one when 0 was asked for). */
    public synchronized int port() {
        return port;
    }

    /** {@code opc.tcp://{host}:{port}/lockergate}. */
    public synchronized String endpointUrl() {
        return endpointUrl;
    }

    /** Where trusted client certificates go ({@code {pki}/trusted/certs}). */
    public synchronized java.nio.file.Path trustedCertificates() {
        return pki == null ? requested.pkiDir().resolve("trusted").resolve("certs") : pki.trustedCertificates();
    }

    /** How many compartments the address space shows. */
    public synchronized int compartmentCount() {
        return tree == null ? 0 : tree.compartmentCount();
    }

    /** The open alarm conditions' node ids (for tests and tools). */
    public synchronized java.util.List<org.eclipse.milo.opcua.stack.core.types.builtin.NodeId> alarmConditionIds() {
        return conditions == null ? java.util.List.of()
                : conditions.nodes().stream().map(n -> n.getNodeId()).toList();
    }

    @Override
    public synchronized void close() {
        sync = null;
        if (conditions != null) {
            conditions.shutdown();
            conditions = null;
        }
        tree = null;
        if (server != null) {
            try {
                server.shutdown().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("OPC UA 服务关闭不干净 / OPC UA server did not shut down cleanly: {}", e.toString());
            }
            server = null;
        }
        if (namespace != null) {
            namespace.shutdown();
            namespace = null;
        }
        if (syncThread != null) {
            syncThread.shutdownNow();
        }
        if (eventLoop != null) {
            eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        syncThread = null;
        eventLoop = null;
        scheduler = null;
        executor = null;
        if (pki != null) {
            try {
                pki.close();
            } catch (IOException e) {
                LOG.debug("closing the PKI folder: {}", e.toString());
            }
            pki = null;
        }
    }

    private static int freePort(String bindAddress) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
            return socket.getLocalPort();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
