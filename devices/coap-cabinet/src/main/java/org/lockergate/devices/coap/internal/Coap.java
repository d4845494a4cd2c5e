package org.lockergate.devices.coap.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * The one place that knows how the simulators use Californium: configuration without a properties file, one
 * endpoint per simulated device (plain UDP or DTLS-PSK) with a lossy socket, and blocking requests with a
 * deadline.
 */
public final class Coap {

    public static final String SCHEME = "coap";
    public static final String SECURE_SCHEME = "coaps";

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private Coap() {
    }

    /** A pre-shared key for DTLS; the identity is the cabinet's or kiosk's id. */
    public record Psk(String identity, byte[] key) {
        public Psk {
            if (identity == null || identity.isBlank()) {
                throw new IllegalArgumentException("PSK identity is empty");
            }
            if (key == null || key.length == 0) {
                throw new IllegalArgumentException("PSK key is empty");
            }
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public String toString() {
            return "Psk[identity=" + identity + ", key=(" + key.length + " bytes)]";
        }
    }

    /**
     * Californium's standard values, never read from or written to a file (STACK.md), with the few values a
     * simulated device changes: small thread counts (a JVM may run hundreds of simulated devices) and the CoAP
     * ACK timeout (tests shorten it so lost datagrams are retransmitted within milliseconds).
     */
    public static Configuration configuration(Duration ackTimeout) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
        config.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
        config.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 64);
        long ackMillis = Math.max(10, ackTimeout.toMillis());
        config.set(CoapConfig.ACK_TIMEOUT, ackMillis, TimeUnit.MILLISECONDS);
        config.set(CoapConfig.MAX_ACK_TIMEOUT, Math.max(ackMillis * 32, 1000), TimeUnit.MILLISECONDS);
        if (ackMillis < 1000) {
            // the DTLS handshake retransmits on its own timer; keep it in step with a shortened CoAP timer
            config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, Math.max(ackMillis, 50), TimeUnit.MILLISECONDS);
        }
        return config;
    }

    /** Checks a gateway URI: {@code coap://host[:port]} or {@code coaps://host[:port]}; a path is not allowed. */
    public static URI gatewayUri(String text) {
        URI uri = URI.create(text.trim());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals(SCHEME) && !scheme.equals(SECURE_SCHEME)) {
            throw new IllegalArgumentException("gateway URI must start with coap:// or coaps://: " + text);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("gateway URI has no host: " + text);
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException("gateway URI must not have a path: " + text);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : (scheme.equals(SCHEME) ? 5683 : 5684);
        return URI.create(scheme + "://" + hostForUri(uri.getHost()) + ":" + port);
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    public static boolean isSecure(URI gateway) {
        return SECURE_SCHEME.equals(gateway.getScheme());
    }

    /**
     * One endpoint for one simulated device: it serves the device's resources and sends its requests from the
     * same port, so the gateway answers and calls back to the address it saw.
     */
    public static CoapEndpoint endpoint(boolean secure, InetSocketAddress bind, Psk psk, NetworkConditions network,
            Configuration config, String tag) {
        CoapEndpoint.Builder builder = new CoapEndpoint.Builder().setConfiguration(config).setLoggingTag(tag);
        if (secure) {
            if (psk == null) {
                throw new IllegalArgumentException("coaps:// needs a PSK identity and key");
            }
            DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                    .setAddress(bind)
                    .setAdvancedPskStore(new AdvancedSinglePskStore(psk.identity(), psk.key()))
                    .setLoggingTag(tag)
                    .build();
            builder.setConnector(new LossyDtlsConnector(dtls, network));
        } else {
            builder.setConnector(new LossyUdpConnector(bind, config, network));
        }
        return builder.build();
    }

    /** A request to {@code gateway} with the given path segments and query parameters ({@code name=value}). */
    public static Request request(Code code, URI gateway, List<String> path, List<String> query) {
        Request request = new Request(code);
        request.setURI(gateway);
        for (String segment : path) {
            request.getOptions().addUriPath(segment);
        }
        for (String parameter : query) {
            request.getOptions().addUriQuery(parameter);
        }
        return request;
    }

    /**
     * Sends a request and waits for its answer; returns {@code null} when none came in time (the request is then
     * cancelled, so CoAP stops retransmitting it).
     */
    public static Response call(Endpoint endpoint, Request request, Duration timeout) throws InterruptedException {
        endpoint.sendRequest(request);
        Response response = request.waitForResponse(Math.max(1, timeout.toMillis()));
        if (response == null) {
            request.cancel();
        }
        return response;
    }
}
