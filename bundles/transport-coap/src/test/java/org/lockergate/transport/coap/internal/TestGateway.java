package org.lockergate.transport.coap.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.lockergate.transport.coap.CoapHandler;

/**
 * A running {@link CoapTransport} on 127.0.0.1 with ephemeral ports, a handler whiteboard to register on, and plain
 * Californium clients as the peers. Closes everything it made.
 */
final class TestGateway implements AutoCloseable {

    private static final AtomicLong SERVICE_IDS = new AtomicLong(100);

    final HandlerRegistry registry = new HandlerRegistry();
    final PskFileStore psk;
    final CoapTransport transport;
    private final List<Endpoint> clientEndpoints = new ArrayList<>();
    private final List<CoapClient> clients = new ArrayList<>();

    TestGateway(TransportSettings settings, Path dataFolder) throws Exception {
        psk = new PskFileStore(PskFileStore.defaultFile(dataFolder));
        psk.open();
        transport = new CoapTransport(settings, registry, psk);
        transport.start();
    }

    TestGateway(Path dataFolder) throws Exception {
        this(TransportSettings.loopback(), dataFolder);
    }

    /** Registers a handler as the whiteboard would; returns its service id. */
    long register(CoapHandler handler, String path, String methods, boolean observable) {
        long id = SERVICE_IDS.incrementAndGet();
        Map<String, Object> properties = new HashMap<>();
        properties.put(CoapHandler.PATH, path);
        properties.put(CoapHandler.METHODS, methods.split(","));
        if (observable) {
            properties.put(CoapHandler.OBSERVABLE, Boolean.TRUE);
        }
        registry.add(handler, properties, id, "test handler " + id);
        return id;
    }

    void unregister(long serviceId) {
        registry.remove(serviceId);
    }

    InetSocketAddress plainAddress() {
        return transport.localAddress(false).orElseThrow();
    }

    InetSocketAddress secureAddress() {
        return transport.localAddress(true).orElseThrow();
    }

    String uri(String pathAndQuery) {
        return "coap://127.0.0.1:" + plainAddress().getPort() + pathAndQuery;
    }

    /** A plain CoAP client with its own endpoint (never Californium's default one, which reads a file). */
    CoapClient client(String pathAndQuery) {
        CoapEndpoint endpoint = clientEndpoint();
        CoapClient client = new CoapClient(URI.create(uri(pathAndQuery)));
        client.setEndpoint(endpoint);
        client.setTimeout(5000L);
        clients.add(client);
        return client;
    }

    CoapEndpoint clientEndpoint() {
        CoapEndpoint endpoint = new CoapEndpoint.Builder()
                .setConfiguration(Configuration.createStandardWithoutFile())
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0))
                .build();
        clientEndpoints.add(endpoint);
        return endpoint;
    }

    void track(Endpoint endpoint) {
        clientEndpoints.add(endpoint);
    }

    @Override
    public void close() {
        clients.forEach(CoapClient::shutdown);
        clientEndpoints.forEach(Endpoint::destroy);
        transport.close();
    }
}
