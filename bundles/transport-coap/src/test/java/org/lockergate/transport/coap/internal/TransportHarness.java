package org.lockergate.transport.coap.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapService;
import org.lockergate.transport.coap.PskStore;

/**
 * The real CoAP transport (its package-private server class, started as its own tests do) on 127.0.0.1 with
 * ephemeral ports, a handler whiteboard to register on, and Californium peers: plain and DTLS clients, and devices
 * that serve resources from the same endpoint they send from (a cabinet). Closes everything it made.
 */
public final class TransportHarness implements AutoCloseable {

    private static final AtomicLong SERVICE_IDS = new AtomicLong(1000);

    private final HandlerRegistry registry = new HandlerRegistry();
    private final PskFileStore psk;
    private final CoapTransport transport;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<CoapClient> clients = new ArrayList<>();
    private final List<CoapServer> servers = new ArrayList<>();

    public TransportHarness(Path dataFolder) throws Exception {
        psk = new PskFileStore(PskFileStore.defaultFile(dataFolder));
        psk.open();
        transport = new CoapTransport(TransportSettings.loopback(), registry, psk);
        transport.start();
    }

    /** The gateway's {@link CoapService}, as handlers and drivers see it. */
    public CoapService service() {
        return transport;
    }

    public PskStore psk() {
        return psk;
    }

    /** Registers a handler as the whiteboard would; returns its service id. */
    public long register(CoapHandler handler, Map<String, ?> properties) {
        long id = SERVICE_IDS.incrementAndGet();
        registry.add(handler, properties, id, "test handler " + id);
        return id;
    }

    public void unregister(long serviceId) {
        registry.remove(serviceId);
    }

    public int plainPort() {
        return transport.localAddress(false).orElseThrow().getPort();
    }

    public int securePort() {
        return transport.localAddress(true).orElseThrow().getPort();
    }

    /** A plain CoAP client on an endpoint of its own (never Californium's default one, which reads a file). */
    public CoapClient client(String pathAndQuery) {
        return client(plainEndpoint(), pathAndQuery);
    }

    /** A plain client sending from a given endpoint (a device's). */
    public CoapClient client(Endpoint endpoint, String pathAndQuery) {
        CoapClient client = new CoapClient(URI.create("coap://127.0.0.1:" + plainPort() + pathAndQuery));
        client.setEndpoint(endpoint);
        client.setTimeout(5000L);
        clients.add(client);
        return client;
    }

    /** A CoAPs client with a PSK identity and key. */
    public CoapClient dtlsClient(String identity, byte[] key, String pathAndQuery) {
        return dtlsClient(dtlsEndpoint(identity, key), pathAndQuery);
    }

    public CoapClient dtlsClient(Endpoint endpoint, String pathAndQuery) {
        CoapClient client = new CoapClient(URI.create("coaps://127.0.0.1:" + securePort() + pathAndQuery));
        client.setEndpoint(endpoint);
        client.setTimeout(5000L);
        clients.add(client);
        return client;
    }

    public CoapEndpoint plainEndpoint() {
        CoapEndpoint endpoint = new CoapEndpoint.Builder()
                .setConfiguration(Configuration.createStandardWithoutFile())
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .build();
        endpoints.add(endpoint);
        return endpoint;
    }

    public CoapEndpoint dtlsEndpoint(String identity, byte[] key) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.BOTH);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key))
                .build();
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config)
                .setConnector(new DTLSConnector(dtls)).build();
        endpoints.add(endpoint);
        return endpoint;
    }

    /** A started device serving from {@code endpoint}: what the gateway sends to that endpoint's address reaches it. */
    public CoapServer device(Endpoint endpoint) {
        CoapServer server = new CoapServer(Configuration.createStandardWithoutFile());
        server.addEndpoint(endpoint);
        server.start();
        servers.add(server);
        return server;
    }

    @Override
    public void close() {
        clients.forEach(CoapClient::shutdown);
        servers.forEach(CoapServer::destroy);
        endpoints.forEach(Endpoint::destroy);
        transport.close();
    }
}
