package org.lockergate.upstream.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.store.internal.H2Store;
import org.lockergate.store.internal.StoreSettings;

/** The outbox drain against a real Mosquitto: order, payloads, PUBACK-only confirms, broker restarts, crashes. */
class DrainTest {

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    private Mosquitto broker() throws Exception {
        return closeLater(Mosquitto.start(tmp.resolve("broker")));
    }

    private Upstream started(Upstream u) {
        closing.add(u::stop);
        u.start();
        return u;
    }

    static String deposit(int i) {
        return "{\"parcelId\":\"p" + i + "\",\"groupId\":\"g1\",\"cabinetId\":\"c1\",\"compartment\":\"" + (i % 48 + 1)
                + "\",\"size\":\"S\"}";
    }

    static String alarm(String state) {
        return "{\"state\":\"" + state + "\",\"alarmId\":7,\"groupId\":\"g1\",\"cabinetId\":\"c1\","
                + "\"compartment\":\"12\",\"message\":\"door open\"}";
    }

    @Test
    void alarms_are_sent_ahead_of_a_backlog_of_business_events_with_the_contract_payload() throws Exception {
        Mosquitto broker = broker();
        MemStore store = new MemStore();
        Instant ts = Instant.parse("2026-03-01T08:00:00Z");
        for (int i = 1; i <= 300; i++) {
            store.add(Stream.EVENTS, "parcel.deposited", ts, deposit(i));
        }
        store.add(Stream.ALARMS, "door_left_open", ts, alarm("raised"));
        store.add(Stream.ALARMS, "door_left_open", ts, alarm("cleared"));
        store.add(Stream.TELEMETRY, "telemetry", ts, "{\"groups\":[]}");
        Subscriber sub = closeLater(new Subscriber(broker.url(), "cloud-1", "lockergate/v1/+/#"));

        started(Gateways.upstream(broker.url(), tmp, store, b -> { }));

        Await.until(Duration.ofSeconds(10), "all 303 rows", () -> sub.on("lockergate/v1/gw-test-1/events/").size()
                + sub.on("lockergate/v1/gw-test-1/alarms/").size() + sub.on("lockergate/v1/gw-test-1/telemetry")
                        .size() >= 303);
        List<Subscriber.Received> data = sub.all().stream().filter(r -> !r.topic().endsWith("/status")).toList();
        assertThat(data.get(0).topic()).isEqualTo("lockergate/v1/gw-test-1/alarms/door_left_open");
        assertThat(data.get(1).topic()).isEqualTo("lockergate/v1/gw-test-1/alarms/door_left_open");
        // Telemetry is published last, but at QoS 0 the broker may hand it to a subscriber before QoS 1 events it
        // still queues for that subscriber: only "after the alarms" is observable here.
        assertThat(data.stream().map(Subscriber.Received::topic).toList().indexOf("lockergate/v1/gw-test-1/telemetry"))
                .isGreaterThan(1);

        JsonNode alarm = data.get(0).json();
        assertThat(alarm.get("seq").asLong()).isEqualTo(1);
        assertThat(alarm.get("state").asText()).isEqualTo("raised");
        assertThat(alarm.get("type").asText()).isEqualTo("door_left_open");
        assertThat(alarm.get("compartment").asText()).isEqualTo("12");

        JsonNode event = data.get(2).json();
        assertThat(event.get("ts").asText()).isEqualTo("2026-03-01T16:00:00+08:00");
        assertThat(event.get("eventId").asText()).isNotBlank();
        assertThat(event.get("seq").asLong()).isEqualTo(1);
        assertThat(event.get("type").asText()).isEqualTo("parcel.deposited");
        assertThat(event.get("gatewayId").asText()).isEqualTo("gw-test-1");
        assertThat(event.get("groupId").asText()).isEqualTo("g1");
        assertThat(event.get("cabinetId").asText()).isEqualTo("c1");
        assertThat(event.get("compartment").asText()).isEqualTo("2");
        assertThat(event.get("data").get("parcelId").asText()).isEqualTo("p1");
        assertThat(data.stream().filter(r -> r.topic().contains("/events/")).map(r -> r.json().get("seq").asLong())
                .toList()).as("events in seq order").isSorted().hasSize(300);

        Await.until(Duration.ofSeconds(5), "everything confirmed",
                () -> store.depth(Stream.EVENTS) == 0 && store.depth(Stream.ALARMS) == 0
                        && store.depth(Stream.TELEMETRY) == 0);
    }

    @Test
    void an_alarm_written_during_a_long_drain_overtakes_the_remaining_events() throws Exception {
        Mosquitto broker = broker();
        MemStore store = new MemStore();
        for (int i = 1; i <= 20_000; i++) {
            store.add(Stream.EVENTS, "parcel.deposited", Fakes.T0, deposit(i));
        }
        Subscriber sub = closeLater(new Subscriber(broker.url(), "cloud-2", "lockergate/v1/gw-test-1/#"));
        Upstream u = started(Gateways.upstream(broker.url(), tmp, store, b -> b.pageSize = 200));
        Await.until(Duration.ofSeconds(10), "drain started", () -> sub.on("lockergate/v1/gw-test-1/events/").size() > 100);
        store.add(Stream.ALARMS, "door_jammed", Fakes.T0, alarm("raised"));
        u.wake(Stream.ALARMS);
        Await.until(Duration.ofSeconds(20), "everything", () -> sub.on("lockergate/v1/gw-test-1/events/").size()
                >= 20_000 && sub.on("lockergate/v1/gw-test-1/alarms/").size() == 1);
        List<Subscriber.Received> all = sub.all();
        int alarmAt = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).topic().contains("/alarms/")) {
                alarmAt = i;
            }
        }
        assertThat(alarmAt).as("the alarm arrives before the end of the backlog").isLessThan(all.size() - 1000);
    }

    @Test
    void a_broker_restart_mid_drain_loses_nothing_and_keeps_seq_order_after_dedup() throws Exception {
        Mosquitto broker = broker();
        H2Store store = h2(tmp.resolve("store"));
        closing.add(store::close);
        int n = 30_000;
        seed(store, n);
        Subscriber sub = closeLater(new Subscriber(broker.url(), "cloud-3", "lockergate/v1/gw-test-1/events/#"));
        Upstream u = started(Gateways.upstream(Gateways.settings(broker.url(), tmp).build(), store,
                DepthProbe.of(store), new Fakes.Clock(), new Fakes.Alarms(), new Fakes.Queries(),
                new HandlerRegistry()));

        Await.until(Duration.ofSeconds(20), "a part delivered", () -> sub.size() >= 2_000);
        broker.stop();
        long confirmedWhileDown = u.drainer().confirmed(Stream.EVENTS);
        assertThat(confirmedWhileDown).as("the drain was interrupted").isLessThan(n);
        broker.start();

        Await.until(Duration.ofSeconds(60), () -> "all " + n + " events, have " + distinct(sub).size()
                + " subscriber connected " + sub.connected() + " gateway connected " + u.link().connected()
                + " published " + u.drainer().published(Stream.EVENTS) + " acked " + u.drainer().acked(Stream.EVENTS)
                + " confirmed " + u.drainer().confirmed(Stream.EVENTS) + " broker log " + broker.readLog(),
                () -> distinct(sub).size() >= n);
        assertOrderedAndComplete(sub, n);
        Await.until(Duration.ofSeconds(10), "all confirmed", () -> pendingCount(store) == 0);
        assertThat(u.link().connects()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void a_crashed_gateway_resends_unconfirmed_rows_after_restart() throws Exception {
        Mosquitto broker = broker();
        Path storeDir = tmp.resolve("store");
        H2Store store = h2(storeDir);
        int n = 30_000;
        seed(store, n);
        Subscriber sub = closeLater(new Subscriber(broker.url(), "cloud-4", "lockergate/v1/gw-test-1/events/#"));
        UpstreamSettings s = Gateways.settings(broker.url(), tmp).build();
        Upstream first = Gateways.upstream(s, store, DepthProbe.of(store), new Fakes.Clock(), new Fakes.Alarms(),
                new Fakes.Queries(), new HandlerRegistry());
        first.start();
        Await.until(Duration.ofSeconds(20), "a part delivered", () -> sub.size() >= 2_000);
        first.crash();
        store.close(); // the process is gone: reopen the database as after a restart
        assertThat(distinct(sub).size()).isLessThan(n);

        H2Store reopened = h2(storeDir);
        closing.add(reopened::close);
        assertThat(pendingCount(reopened)).as("rows not confirmed survive the crash").isPositive();
        started(Gateways.upstream(s, reopened, DepthProbe.of(reopened), new Fakes.Clock(), new Fakes.Alarms(),
                new Fakes.Queries(), new HandlerRegistry()));
        Await.until(Duration.ofSeconds(60), () -> "all events, have " + distinct(sub).size(),
                () -> distinct(sub).size() >= n);
        assertOrderedAndComplete(sub, n);
        Await.until(Duration.ofSeconds(10), "all confirmed", () -> pendingCount(reopened) == 0);
    }

    @Test
    void rows_are_confirmed_only_up_to_what_the_broker_acknowledged() throws Exception {
        // No broker at all: nothing is ever acknowledged, so nothing may be confirmed.
        MemStore store = new MemStore();
        for (int i = 1; i <= 50; i++) {
            store.add(Stream.EVENTS, "parcel.deposited", Fakes.T0, deposit(i));
        }
        int port = Mosquitto.freePort();
        Upstream u = started(Gateways.upstream("tcp://127.0.0.1:" + port, tmp, store, b -> { }));
        Await.until(Duration.ofSeconds(5), "a few failed attempts", () -> u.link().lastFailure() != null);
        assertThat(store.confirms).isEmpty();
        assertThat(store.depth(Stream.EVENTS)).isEqualTo(50);

        // The broker comes up: everything is delivered, then confirmed.
        Mosquitto broker = closeLater(Mosquitto.start(tmp.resolve("late"), port, List.of()));
        Await.until(Duration.ofSeconds(10), "drained", () -> store.depth(Stream.EVENTS) == 0);
        assertThat(store.confirms).last().isEqualTo("EVENTS:50");
        assertThat(broker.port()).isEqualTo(port);
    }

    // ------------------------------------------------------------------------------------------------

    static H2Store h2(Path dir) {
        H2Store store = H2Store.standalone(StoreSettings.defaults(dir), java.time.Clock.systemUTC());
        if (!store.start()) {
            throw new IllegalStateException(store.failure());
        }
        return store;
    }

    static void seed(H2Store store, int n) throws Exception {
        store.write("test.seed", tx -> {
            for (int i = 1; i <= n; i++) {
                tx.outbox(Stream.EVENTS, "parcel.deposited", Fakes.T0, deposit(i));
            }
            return null;
        });
    }

    static long pendingCount(H2Store store) {
        try {
            return OutboxBudget.total(DepthProbe.of(store).depth());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** First occurrence of each eventId, in arrival order. */
    static List<JsonNode> distinct(Subscriber sub) {
        Set<String> seen = new HashSet<>();
        List<JsonNode> out = new ArrayList<>();
        for (Subscriber.Received r : sub.all()) {
            if (r.topic().contains("/events/") && seen.add(r.json().get("eventId").asText())) {
                out.add(r.json());
            }
        }
        return out;
    }

    static void assertOrderedAndComplete(Subscriber sub, int n) {
        List<JsonNode> events = distinct(sub);
        Map<Long, String> bySeq = new LinkedHashMap<>();
        long previous = 0;
        for (JsonNode e : events) {
            long seq = e.get("seq").asLong();
            assertThat(seq).as("seq after dedup by eventId never goes backwards").isGreaterThan(previous);
            previous = seq;
            bySeq.put(seq, e.get("eventId").asText());
        }
        assertThat(bySeq).hasSize(n);
        assertThat(bySeq.keySet()).first().isEqualTo(1L);
        assertThat(previous).isEqualTo(n);
    }
}
