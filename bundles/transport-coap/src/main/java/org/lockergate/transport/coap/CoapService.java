package org.lockergate.transport.coap;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's CoAP endpoints. Registered while the transport runs, with the service properties
 * {@value #PORT_PROPERTY} and {@value #SECURE_PORT_PROPERTY} (Integer, the bound UDP ports) for each endpoint that
 * listens; an integration test finds the plain port with the filter {@code (lockergate.coap.port=*)}.
 */
@ProviderType
public interface CoapService {

    /** Service property: the UDP port plain CoAP listens on (present only while it listens). */
    String PORT_PROPERTY = "lockergate.coap.port";

    /** Service property: the UDP port CoAPs (DTLS-PSK) listens on (present only while it listens). */
    String SECURE_PORT_PROPERTY = "lockergate.coaps.port";

    /** The local address of the plain ({@code secure=false}) or DTLS endpoint, empty when it does not listen. */
    Optional<InetSocketAddress> localAddress(boolean secure);

    /**
     * Tells the observers of a resource that it changed: each gets a notification produced by calling the resource's
     * handler again with the GET it observes with. Without observers nothing happens; returns at once.
     *
     * @param path a concrete path, {@code /groups/g1/state}
     */
    void changed(String path);

    /**
     * Sends a confirmable request from the gateway's own endpoint: plain when {@code secure} is false, DTLS when it
     * is true (to a peer with a DTLS session, that is one that connected to the gateway: the gateway never starts a
     * handshake itself).
     *
     * @param method the request method
     * @param peer the device's address, normally the one it registered from
     * @param path the resource on the device, {@code /locks/12}
     * @param jsonBody the body, written as JSON (a {@code JsonNode} or anything Jackson can write); {@code null}
     *     for none
     * @param timeout how long to wait for the answer
     * @return the answer, whatever its code; completes exceptionally with a {@link CoapRequestException} on timeout,
     *     reset, send failure, or when the endpoint is not running. Stages chained without an executor run on a
     *     transport thread: keep them short, or use the {@code ...Async} variants.
     * @throws IllegalArgumentException when Jackson cannot write the body
     */
    CompletableFuture<CoapReply> request(CoapMethod method, InetSocketAddress peer, boolean secure, String path,
            Object jsonBody, Duration timeout);

    /**
     * Like {@link #request}, but with a raw body of the given content-format (a firmware image): a body above the
     * block size goes out in Block1 blocks (RFC 7959) and the answer comes back when the device has taken the last
     * block.
     *
     * @param payload the body, sent as is; {@code null} or empty for none
     * @param contentFormat its content-format, e.g. 42 ({@code application/octet-stream})
     * @since 1.1
     */
    default CompletableFuture<CoapReply> requestBytes(CoapMethod method, InetSocketAddress peer, boolean secure,
            String path, byte[] payload, int contentFormat, Duration timeout) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("raw CoAP requests"));
    }

    /** {@link #request} with {@link CoapMethod#POST}, as for {@code POST /locks/{label}}. */
    default CompletableFuture<CoapReply> post(InetSocketAddress peer, boolean secure, String path, Object jsonBody,
            Duration timeout) {
        return request(CoapMethod.POST, peer, secure, path, jsonBody, timeout);
    }
}
