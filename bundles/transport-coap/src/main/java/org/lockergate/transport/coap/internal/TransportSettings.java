package org.lockergate.transport.coap.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link CoapTransport} runs with, already validated.
 *
 * @param bindAddress the local address of both endpoints ({@code 0.0.0.0} for all)
 * @param port the plain CoAP UDP port, {@code 0} for an ephemeral one, {@code null} for no plain endpoint
 * @param securePort the CoAPs (DTLS-PSK) UDP port, {@code 0} for an ephemeral one, {@code null} for none
 * @param maxPayloadBytes the largest request body accepted
 * @param handlerThreads threads running handlers
 * @param handlerQueue requests waiting for a handler thread before new ones get 5.03 busy
 * @param acceptAfter how long a handler may take before the client gets an empty ACK (separate response)
 * @param pskReload how often the PSK file is checked for changes
 */
record TransportSettings(
        String bindAddress,
        Integer port,
        Integer securePort,
        int maxPayloadBytes,
        int handlerThreads,
        int handlerQueue,
        Duration acceptAfter,
        Duration pskReload) {

    static final int DEFAULT_PORT = 5683;
    static final int DEFAULT_SECURE_PORT = 5684;
    static final int DEFAULT_MAX_PAYLOAD = 8192;
    static final Duration DEFAULT_ACCEPT_AFTER = Duration.ofSeconds(1);
    static final Duration DEFAULT_PSK_RELOAD = Duration.ofSeconds(2);

    TransportSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(acceptAfter, "acceptAfter");
        Objects.requireNonNull(pskReload, "pskReload");
        checkPort(port);
        checkPort(securePort);
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 1: " + maxPayloadBytes);
        }
        if (handlerThreads < 1) {
            throw new IllegalArgumentException("handlerThreads must be at least 1: " + handlerThreads);
        }
        if (handlerQueue < 0) {
            throw new IllegalArgumentException("handlerQueue must not be negative: " + handlerQueue);
        }
    }

    /** Both endpoints on 127.0.0.1 with ephemeral ports and the default limits: for tests. */
    static TransportSettings loopback() {
        return new TransportSettings("127.0.0.1", 0, 0, DEFAULT_MAX_PAYLOAD, 16, 1024, DEFAULT_ACCEPT_AFTER,
                DEFAULT_PSK_RELOAD);
    }

    TransportSettings withPorts(Integer port, Integer securePort) {
        return new TransportSettings(bindAddress, port, securePort, maxPayloadBytes, handlerThreads, handlerQueue,
                acceptAfter, pskReload);
    }

    TransportSettings withLimits(int maxPayloadBytes, int handlerThreads, int handlerQueue) {
        return new TransportSettings(bindAddress, port, securePort, maxPayloadBytes, handlerThreads, handlerQueue,
                acceptAfter, pskReload);
    }

    TransportSettings withPskReload(Duration pskReload) {
        return new TransportSettings(bindAddress, port, securePort, maxPayloadBytes, handlerThreads, handlerQueue,
                acceptAfter, pskReload);
    }

    private static void checkPort(Integer port) {
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
