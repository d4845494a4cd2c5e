package org.lockergate.upstream.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.model.AlarmType;

/** Birth and last will on the retained status topic; the upstream_offline alarm on the gateway clock. */
class StatusAndOfflineTest {

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private static final String STATUS = "lockergate/v1/gw-test-1/status";

    @Test
    void birth_is_retained_and_a_crash_leaves_the_retained_last_will() throws Exception {
        Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
        closing.add(broker);
        Upstream u = Gateways.upstream(broker.url(), tmp, new MemStore(), b -> { });
        u.start();
        Await.until(Duration.ofSeconds(10), "connected", () -> u.link().connected());

        // A consumer that connects later still sees the birth: it is retained.
        try (Subscriber late = new Subscriber(broker.url(), "cloud-late", STATUS)) {
            Await.until(Duration.ofSeconds(5), "retained birth", () -> late.size() == 1);
            Subscriber.Received birth = late.all().get(0);
            assertThat(birth.retained()).isTrue();
            assertThat(birth.json().get("online").asBoolean()).isTrue();
            assertThat(birth.json().get("gatewayId").asText()).isEqualTo("gw-test-1");
            assertThat(birth.json().get("version").asText()).isEqualTo("0.1.0.test");
            assertThat(birth.json().get("ts").asText()).isEqualTo("2026-03-01T16:00:00+08:00");

            // The gateway dies without a DISCONNECT (socket dropped): the broker publishes the will.
            u.crash();
            Await.until(Duration.ofSeconds(10), "last will", () -> late.size() == 2);
            Subscriber.Received will = late.all().get(1);
            assertThat(will.json().get("online").asBoolean()).isFalse();
            assertThat(will.json().get("gatewayId").asText()).isEqualTo("gw-test-1");
        }
        try (Subscriber after = new Subscriber(broker.url(), "cloud-after", STATUS)) {
            Await.until(Duration.ofSeconds(5), "retained will", () -> after.size() == 1);
            assertThat(after.all().get(0).retained()).isTrue();
            assertThat(after.all().get(0).json().get("online").asBoolean()).isFalse();
        }
    }

    @Test
    void a_clean_stop_publishes_a_retained_offline_status() throws Exception {
        Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
        closing.add(broker);
        Upstream u = Gateways.upstream(broker.url(), tmp, new MemStore(), b -> { });
        u.start();
        Await.until(Duration.ofSeconds(10), "connected", () -> u.link().connected());
        u.stop();
        try (Subscriber after = new Subscriber(broker.url(), "cloud-after", STATUS)) {
            Await.until(Duration.ofSeconds(5), "retained offline", () -> after.size() == 1);
            assertThat(after.all().get(0).json().get("online").asBoolean()).isFalse();
            assertThat(after.all().get(0).json().has("ts")).isTrue();
        }
    }

    @Test
    void upstream_offline_is_raised_after_the_configured_time_and_cleared_on_reconnect() throws Exception {
        int port = Mosquitto.freePort();
        Mosquitto broker = Mosquitto.create(tmp.resolve("broker"), port, List.of());
        closing.add(broker);
        Fakes.Clock clock = new Fakes.Clock();
        Fakes.Alarms alarms = new Fakes.Alarms();
        MemStore store = new MemStore();
        UpstreamSettings s = Gateways.settings(broker.url(), tmp).with(b -> b.offlineAlarmAfter = Duration.ofSeconds(30))
                .build();
        Upstream u = Gateways.upstream(s, store, store.probe(), clock, alarms, new Fakes.Queries(),
                new HandlerRegistry());
        closing.add(u::stop);
        u.start();
        Await.until(Duration.ofSeconds(5), "a failed attempt", () -> u.link().lastFailure() != null);

        clock.advance(Duration.ofSeconds(29));
        u.offlineWatch().check();
        assertThat(alarms.isActive(AlarmType.UPSTREAM_OFFLINE)).as("not before 30 s").isFalse();

        clock.advance(Duration.ofSeconds(2));
        Await.until(Duration.ofSeconds(5), "upstream_offline raised", () -> alarms.isActive(AlarmType.UPSTREAM_OFFLINE));
        assertThat(alarms.calls).containsOnlyOnce("raise:upstream_offline");

        broker.start();
        Await.until(Duration.ofSeconds(10), "reconnected and cleared", () -> u.link().connected()
                && !alarms.isActive(AlarmType.UPSTREAM_OFFLINE));
        assertThat(alarms.calls).endsWith("clear:upstream_offline");
    }

    @Test
    void backoff_grows_with_jitter_up_to_the_cap_and_resets() {
        Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);
        Backoff high = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999999);
        List<Long> lows = new ArrayList<>();
        List<Long> highs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lows.add(low.nextMillis());
            highs.add(high.nextMillis());
        }
        assertThat(lows).startsWith(500L, 1000L, 2000L, 4000L).endsWith(30_000L);
        assertThat(highs).startsWith(999L, 1999L).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(60_000L));
        assertThat(highs.get(9)).isGreaterThan(59_000L);
        low.reset();
        assertThat(low.nextMillis()).isEqualTo(500L);
    }
}
