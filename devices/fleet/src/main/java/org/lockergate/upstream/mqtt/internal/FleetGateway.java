package org.lockergate.upstream.mqtt.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Map;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.store.internal.H2Store;
import org.lockergate.store.internal.StoreSettings;

/**
 * One simulated gateway's upstream for the fleet simulator: the real {@link Upstream} (drain, birth and will,
 * command verification and dispatch) on its own real H2 store, with an HS256 command secret in its data folder.
 * It lives in the upstream bundle's internal package because {@link Upstream} is package-private there; on a plain
 * class path (this simulator) that is allowed, inside OSGi it is not — nothing else uses this class.
 */
public final class FleetGateway implements AutoCloseable {

    private static final GatewayClock CLOCK = new GatewayClock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public ZoneId zone() {
            return ZoneId.of("Asia/Shanghai");
        }
    };

    private final String gatewayId;
    private final H2Store store;
    private final Upstream upstream;

    public FleetGateway(String url, String gatewayId, Path dataDir, byte[] hmacSecret) throws Exception {
        this.gatewayId = gatewayId;
        Path secrets = Files.createDirectories(dataDir.resolve("secrets"));
        Path hmac = secrets.resolve("mqtt-command-hmac");
        Files.writeString(hmac, Base64.getEncoder().encodeToString(hmacSecret) + "\n");
        Files.setPosixFilePermissions(hmac, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        store = H2Store.standalone(StoreSettings.defaults(dataDir), java.time.Clock.systemUTC());
        if (!store.start()) {
            throw new IllegalStateException(gatewayId + ": store did not start: " + store.failure());
        }
        UpstreamSettings.Builder b = UpstreamSettings.builder(url, gatewayId, dataDir);
        b.version = "fleet-sim";
        b.poll = Duration.ofMillis(500);
        b.telemetryInterval = Duration.ofSeconds(10);
        b.reconnectMin = Duration.ofMillis(200);
        b.reconnectMax = Duration.ofSeconds(5);
        b.commandThreads = 1;
        upstream = new Upstream(b.build(), store, CLOCK, () -> null, () -> null, new HandlerRegistry(),
                DepthProbe.of(store), () -> Map.of("framework", "fleet simulator"));
    }

    public String gatewayId() {
        return gatewayId;
    }

    public void start() {
        upstream.start();
    }

    public boolean connected() {
        return upstream.link().connected();
    }

    /** A deposit-like durable transaction writing one {@code parcel.deposited} row; {@code t0} rides in its data. */
    public void deposit(long n, long t0) throws Exception {
        String data = "{\"parcelId\":\"" + gatewayId + "-p" + n + "\",\"groupId\":\"g1\",\"cabinetId\":\"c1\","
                + "\"compartment\":\"" + (n % 48 + 1) + "\",\"size\":\"S\",\"t0\":" + t0 + "}";
        store.write("fleet.deposit", tx -> {
            tx.outbox(Stream.EVENTS, "parcel.deposited", CLOCK.now(), data);
            return null;
        });
        upstream.wake(Stream.EVENTS);
    }

    @Override
    public void close() {
        upstream.stop();
        store.close();
    }
}
