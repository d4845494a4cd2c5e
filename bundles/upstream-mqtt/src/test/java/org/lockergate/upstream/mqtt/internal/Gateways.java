package org.lockergate.upstream.mqtt.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.lockergate.store.LockerStore;

/** Builds upstreams for tests: fast polls and reconnects, no telemetry unless asked. */
final class Gateways {

    static final String GW = "gw-test-1";

    private Gateways() {
    }

    static UpstreamSettings.Builder settings(String url, Path dataDir) {
        UpstreamSettings.Builder b = UpstreamSettings.builder(url, GW, dataDir);
        b.version = "0.1.0.test";
        b.poll = Duration.ofMillis(200);
        b.reconnectMin = Duration.ofMillis(50);
        b.reconnectMax = Duration.ofMillis(400);
        b.connectTimeoutSeconds = 3;
        b.telemetryInterval = Duration.ZERO;
        b.depthCheck = Duration.ofMillis(200);
        return b;
    }

    static Upstream upstream(UpstreamSettings s, LockerStore store, DepthProbe probe, Fakes.Clock clock,
            Fakes.Alarms alarms, Fakes.Queries queries, HandlerRegistry handlers) {
        return new Upstream(s, store, clock, () -> alarms, () -> queries, handlers, probe,
                () -> Map.of("framework", "test"));
    }

    static Upstream upstream(String url, Path dataDir, MemStore store, Consumer<UpstreamSettings.Builder> change) {
        UpstreamSettings.Builder b = settings(url, dataDir);
        change.accept(b);
        return upstream(b.build(), store, store.probe(), new Fakes.Clock(), new Fakes.Alarms(), new Fakes.Queries(),
                new HandlerRegistry());
    }
}
