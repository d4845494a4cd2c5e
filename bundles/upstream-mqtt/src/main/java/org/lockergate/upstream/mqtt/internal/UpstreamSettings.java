package org.lockergate.upstream.mqtt.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * Everything the upstream runs with, resolved from the configuration and the framework properties. Built with
 * {@link #builder(String, String, Path)}; defaults are those of {@link UpstreamComponent.Config}.
 */
record UpstreamSettings(
        String url,
        String gatewayId,
        String version,
        Path dataDir,
        String username,
        Path passwordFile,
        Path caFile,
        Path clientKeyStore,
        Path clientKeyStorePasswordFile,
        int keepAliveSeconds,
        int connectTimeoutSeconds,
        int maxInflight,
        int pageSize,
        Duration poll,
        Duration reconnectMin,
        Duration reconnectMax,
        Duration offlineAlarmAfter,
        long outboxLimit,
        int nearFullPercent,
        Duration depthCheck,
        Duration telemetryInterval,
        int telemetryMaxPending,
        List<String> cloudPublicKeys,
        Path hmacKeyFile,
        String hmacKeyId,
        Duration maxCommandLifetime,
        Duration clockSkew,
        int replayCacheSize,
        int commandThreads,
        int commandQueue,
        SocketFactory socketFactory) {

    /** Publishes the drain keeps free for replies, the birth message and the offline status. */
    static final int RESERVED_INFLIGHT = 10;

    UpstreamSettings {
        Objects.requireNonNull(gatewayId, "gatewayId");
        cloudPublicKeys = List.copyOf(cloudPublicKeys);
    }

    /** Cloud sync is off when no broker URL is set: events wait in the outbox. */
    boolean enabled() {
        return url != null && !url.isBlank();
    }

    /** {@code lockergate/v1/{gatewayId}/}. */
    String topicRoot() {
        return "lockergate/v1/" + gatewayId + "/";
    }

    /** How many outbox rows may be in flight at once (Paho's window minus the reserve). */
    int drainWindow() {
        return Math.max(1, maxInflight - RESERVED_INFLIGHT);
    }

    boolean tls() {
        return url != null && (url.startsWith("ssl://") || url.startsWith("wss://"));
    }

    static Builder builder(String url, String gatewayId, Path dataDir) {
        return new Builder(url, gatewayId, dataDir);
    }

    Builder toBuilder() {
        Builder b = new Builder(url, gatewayId, dataDir);
        b.version = version;
        b.username = username;
        b.passwordFile = passwordFile;
        b.caFile = caFile;
        b.clientKeyStore = clientKeyStore;
        b.clientKeyStorePasswordFile = clientKeyStorePasswordFile;
        b.keepAliveSeconds = keepAliveSeconds;
        b.connectTimeoutSeconds = connectTimeoutSeconds;
        b.maxInflight = maxInflight;
        b.pageSize = pageSize;
        b.poll = poll;
        b.reconnectMin = reconnectMin;
        b.reconnectMax = reconnectMax;
        b.offlineAlarmAfter = offlineAlarmAfter;
        b.outboxLimit = outboxLimit;
        b.nearFullPercent = nearFullPercent;
        b.depthCheck = depthCheck;
        b.telemetryInterval = telemetryInterval;
        b.telemetryMaxPending = telemetryMaxPending;
        b.cloudPublicKeys = cloudPublicKeys;
        b.hmacKeyFile = hmacKeyFile;
        b.hmacKeyId = hmacKeyId;
        b.maxCommandLifetime = maxCommandLifetime;
        b.clockSkew = clockSkew;
        b.replayCacheSize = replayCacheSize;
        b.commandThreads = commandThreads;
        b.commandQueue = commandQueue;
        b.socketFactory = socketFactory;
        return b;
    }

    /** Mutable builder with the documented defaults. */
    static final class Builder {
        String url;
        String gatewayId;
        Path dataDir;
        String version = "0.0.0";
        String username = "";
        Path passwordFile;
        Path caFile;
        Path clientKeyStore;
        Path clientKeyStorePasswordFile;
        int keepAliveSeconds = 30;
        int connectTimeoutSeconds = 10;
        int maxInflight = 100;
        int pageSize = 2000;
        Duration poll = Duration.ofSeconds(5);
        Duration reconnectMin = Duration.ofSeconds(1);
        Duration reconnectMax = Duration.ofSeconds(60);
        Duration offlineAlarmAfter = Duration.ofSeconds(30);
        long outboxLimit = 100_000;
        int nearFullPercent = 80;
        Duration depthCheck = Duration.ofSeconds(10);
        Duration telemetryInterval = Duration.ofSeconds(60);
        int telemetryMaxPending = 60;
        List<String> cloudPublicKeys = List.of();
        Path hmacKeyFile;
        String hmacKeyId = "gateway";
        Duration maxCommandLifetime = Duration.ofMinutes(10);
        Duration clockSkew = Duration.ofMinutes(5);
        int replayCacheSize = 10_000;
        int commandThreads = 2;
        int commandQueue = 100;
        SocketFactory socketFactory;

        private Builder(String url, String gatewayId, Path dataDir) {
            this.url = url;
            this.gatewayId = gatewayId;
            this.dataDir = dataDir;
            Path secrets = dataDir.resolve("secrets");
            this.passwordFile = secrets.resolve("mqtt-password");
            this.clientKeyStorePasswordFile = secrets.resolve("mqtt-client-keystore-password");
            this.hmacKeyFile = secrets.resolve("mqtt-command-hmac");
        }

        Builder with(java.util.function.Consumer<Builder> change) {
            change.accept(this);
            return this;
        }

        UpstreamSettings build() {
            return new UpstreamSettings(url, gatewayId, version, dataDir, username, passwordFile, caFile,
                    clientKeyStore, clientKeyStorePasswordFile, keepAliveSeconds, connectTimeoutSeconds, maxInflight,
                    pageSize, poll, reconnectMin, reconnectMax, offlineAlarmAfter, outboxLimit, nearFullPercent,
                    depthCheck, telemetryInterval, telemetryMaxPending, cloudPublicKeys, hmacKeyFile, hmacKeyId,
                    maxCommandLifetime, clockSkew, replayCacheSize, commandThreads, commandQueue, socketFactory);
        }
    }

    @Override
    public String toString() {
        // No secrets are held here (only file paths), but keep dumps short and explicit anyway.
        return "UpstreamSettings[url=" + url + ", gatewayId=" + gatewayId + ", username=" + username
                + ", tls=" + tls() + ", caFile=" + caFile + ", maxInflight=" + maxInflight + ", outboxLimit="
                + outboxLimit + "]";
    }
}
