package org.lockergate.opcua.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link LockerGateServer} runs with, already validated.
 *
 * @param bindAddress local address of the TCP listener ({@code 0.0.0.0} for all)
 * @param port TCP port; {@code 0} = an ephemeral port chosen at start (logged)
 * @param hostname the host name put into endpoint URLs and the certificate; blank = this machine's name
 * @param path the endpoint path, {@code /lockergate}
 * @param anonymousEndpoint whether the SecurityPolicy None endpoint (anonymous, read-only) is offered
 * @param anonymousOnSecureEndpoints whether anonymous sessions are also accepted on the Basic256Sha256 endpoints
 * @param pkiDir the folder of the application certificate and the trusted client certificates
 * @param gatewayId the gateway id shown as Gateway/Id
 * @param version the software version shown as Gateway/Version
 * @param outboxCountLimit the largest outbox depth counted (rows beyond it are reported as this number)
 * @param outboxRecount how often at most the outbox depth is recounted while rows keep coming
 */
public record OpcUaSettings(
        String bindAddress,
        int port,
        String hostname,
        String path,
        boolean anonymousEndpoint,
        boolean anonymousOnSecureEndpoints,
        Path pkiDir,
        String gatewayId,
        String version,
        int outboxCountLimit,
        Duration outboxRecount) {

    public static final int DEFAULT_PORT = 4840;
    public static final String DEFAULT_PATH = "/lockergate";
    public static final String NAMESPACE_URI = "urn:lockergate";

    public OpcUaSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(pkiDir, "pkiDir");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(outboxRecount, "outboxRecount");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        if (outboxCountLimit < 1) {
            throw new IllegalArgumentException("outboxCountLimit must be at least 1: " + outboxCountLimit);
        }
    }

    /** Settings for tests and tools: loopback, the given port, both endpoint kinds. */
    public static OpcUaSettings loopback(int port, Path pkiDir) {
        return new OpcUaSettings("127.0.0.1", port, "127.0.0.1", DEFAULT_PATH, true, true, pkiDir, "gw-test",
                "0.0.0", 100_000, Duration.ofSeconds(1));
    }

    public OpcUaSettings withPort(int newPort) {
        return new OpcUaSettings(bindAddress, newPort, hostname, path, anonymousEndpoint, anonymousOnSecureEndpoints,
                pkiDir, gatewayId, version, outboxCountLimit, outboxRecount);
    }

    public OpcUaSettings withAnonymousEndpoint(boolean enabled) {
        return new OpcUaSettings(bindAddress, port, hostname, path, enabled, anonymousOnSecureEndpoints, pkiDir,
                gatewayId, version, outboxCountLimit, outboxRecount);
    }
}
