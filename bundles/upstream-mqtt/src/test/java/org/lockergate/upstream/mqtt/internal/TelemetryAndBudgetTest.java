package org.lockergate.upstream.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;

/** Telemetry shape and thinning, the bounded-outbox policy. */
class TelemetryAndBudgetTest {

    @TempDir
    Path tmp;

    static Fakes.Queries twoGroups() {
        Fakes.Queries q = new Fakes.Queries();
        q.groups.add(new CabinetGroup("g1", "一号柜", null));
        q.groups.add(new CabinetGroup("g2", "二号柜", null));
        q.cabinets.add(new Cabinet("c1", "g1", "coap", "m", "1", true, Fakes.T0));
        q.cabinets.add(new Cabinet("c2", "g1", "coap", "m", "1", false, Fakes.T0));
        q.cabinets.add(new Cabinet("c3", "g2", "coap", "m", "1", true, Fakes.T0));
        CompartmentState[] states = {CompartmentState.FREE, CompartmentState.FREE, CompartmentState.OCCUPIED,
            CompartmentState.FAULT, CompartmentState.DISABLED};
        for (int i = 0; i < states.length; i++) {
            q.compartments.add(new Compartment("g1", "c1", "" + (i + 1), SizeClass.S, 1, i + 1, states[i], true,
                    states[i] == CompartmentState.OCCUPIED, null, null));
        }
        q.compartments.add(new Compartment("g2", "c3", "1", SizeClass.M, 1, 1, CompartmentState.FREE, true, false,
                null, null));
        q.parcels.add(parcel("p1", "g1", ParcelState.DEPOSITED));
        q.parcels.add(parcel("p2", "g1", ParcelState.PICKED_UP));
        return q;
    }

    static Parcel parcel(String id, String group, ParcelState state) {
        return new Parcel(id, group, "c1", "3", SizeClass.S, "w", "ZTO", "k1", "138****0000", state, null, Fakes.T0,
                Fakes.T0, Fakes.T0, 0, false);
    }

    @Test
    void telemetry_counts_compartments_parcels_cabinets_and_alarms_per_group() {
        Fakes.Alarms alarms = new Fakes.Alarms();
        alarms.raise(AlarmType.DOOR_JAMMED, "g1", "c1", "4", "jammed");
        alarms.raise(AlarmType.UPSTREAM_OFFLINE, null, null, null, "offline");
        JsonNode t = Payloads.JSON.valueToTree(TelemetryWriter.snapshot(twoGroups(), alarms));

        JsonNode g1 = t.get("groups").get(0);
        assertThat(g1.get("groupId").asText()).isEqualTo("g1");
        assertThat(g1.get("compartments").get("total").asInt()).isEqualTo(5);
        assertThat(g1.get("compartments").get("free").asInt()).isEqualTo(2);
        assertThat(g1.get("compartments").get("occupied").asInt()).isEqualTo(1);
        assertThat(g1.get("compartments").get("fault").asInt()).isEqualTo(1);
        assertThat(g1.get("compartments").get("disabled").asInt()).isEqualTo(1);
        assertThat(g1.get("parcelsInLocker").asInt()).isEqualTo(1);
        assertThat(g1.get("openAlarms").asInt()).isEqualTo(1);
        assertThat(g1.get("cabinets").get("online").asInt()).isEqualTo(1);
        assertThat(g1.get("cabinets").get("total").asInt()).isEqualTo(2);
        JsonNode g2 = t.get("groups").get(1);
        assertThat(g2.get("compartments").get("free").asInt()).isEqualTo(1);
        assertThat(g2.get("parcelsInLocker").asInt()).isZero();
        assertThat(t.get("openAlarms").asInt()).isEqualTo(2);
        assertThat(t.get("gatewayAlarms").asInt()).isEqualTo(1);
    }

    @Test
    void telemetry_is_published_last_at_qos_0_on_the_telemetry_topic() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"));
                Subscriber sub = new Subscriber(broker.url(), "cloud-t", "lockergate/v1/gw-test-1/telemetry")) {
            MemStore store = new MemStore();
            UpstreamSettings s = Gateways.settings(broker.url(), tmp).build();
            Upstream u = Gateways.upstream(s, store, store.probe(), new Fakes.Clock(), new Fakes.Alarms(), twoGroups(),
                    new HandlerRegistry());
            u.start();
            try {
                Await.until(Duration.ofSeconds(10), "connected", () -> u.link().connected());
                assertThat(u.telemetryTick()).isPositive();
                Await.until(Duration.ofSeconds(5), "telemetry", () -> sub.size() == 1);
                JsonNode msg = sub.all().get(0).json();
                assertThat(msg.get("type").asText()).isEqualTo("telemetry");
                assertThat(msg.get("ts").asText()).endsWith("+08:00");
                assertThat(msg.get("data").get("groups")).hasSize(2);
                assertThat(msg.get("data").get("outbox").has("events")).isTrue();
                Await.until(Duration.ofSeconds(5), "confirmed", () -> store.depth(Stream.TELEMETRY) == 0);
            } finally {
                u.stop();
            }
        }
    }

    @Test
    void while_offline_telemetry_is_thinned_to_the_newest_rows() {
        MemStore store = new MemStore();
        OutboxBudget budget = new OutboxBudget(store.probe(), 1000, 80, new AlarmSink(Fakes.Alarms::new));
        TelemetryWriter w = new TelemetryWriter(store, TelemetryAndBudgetTest::twoGroups, () -> null, budget, 3,
                () -> Fakes.T0, () -> false);
        for (int i = 0; i < 10; i++) {
            w.tick();
        }
        assertThat(store.pending(Stream.TELEMETRY, 100)).extracting(e -> e.seq()).containsExactly(8L, 9L, 10L);
    }

    @Test
    void near_full_raises_the_alarm_thins_telemetry_and_full_keeps_business_events() {
        AtomicLong events = new AtomicLong();
        DepthProbe probe = () -> {
            Map<Stream, Long> m = new EnumMap<>(Stream.class);
            m.put(Stream.EVENTS, events.get());
            m.put(Stream.ALARMS, 0L);
            m.put(Stream.TELEMETRY, 0L);
            return m;
        };
        Fakes.Alarms alarms = new Fakes.Alarms();
        OutboxBudget budget = new OutboxBudget(probe, 1000, 80, new AlarmSink(() -> alarms));

        events.set(799);
        budget.check();
        assertThat(budget.level()).isEqualTo(OutboxBudget.Level.NORMAL);
        assertThat(budget.telemetryKeep(60)).isEqualTo(60);
        assertThat(alarms.isActive(AlarmType.OUTBOX_NEAR_FULL)).isFalse();

        events.set(800);
        budget.check();
        assertThat(budget.level()).isEqualTo(OutboxBudget.Level.NEAR_FULL);
        assertThat(budget.telemetryKeep(60)).isEqualTo(1);
        assertThat(alarms.isActive(AlarmType.OUTBOX_NEAR_FULL)).isTrue();

        events.set(1200);
        budget.check();
        assertThat(budget.level()).isEqualTo(OutboxBudget.Level.FULL);
        assertThat(budget.telemetryKeep(60)).isZero();
        assertThat(alarms.calls).containsOnlyOnce("raise:outbox_near_full");

        events.set(760); // within the hysteresis band: stays raised
        budget.check();
        assertThat(alarms.isActive(AlarmType.OUTBOX_NEAR_FULL)).isTrue();
        events.set(749);
        budget.check();
        assertThat(alarms.isActive(AlarmType.OUTBOX_NEAR_FULL)).isFalse();
        assertThat(budget.level()).isEqualTo(OutboxBudget.Level.NORMAL);
    }

    @Test
    void no_telemetry_is_written_when_the_outbox_is_full() throws Exception {
        MemStore store = new MemStore();
        for (int i = 0; i < 20; i++) {
            store.add(Stream.EVENTS, "parcel.deposited", Fakes.T0, "{}");
        }
        OutboxBudget budget = new OutboxBudget(store.probe(), 10, 80, new AlarmSink(Fakes.Alarms::new));
        budget.check();
        TelemetryWriter w = new TelemetryWriter(store, TelemetryAndBudgetTest::twoGroups, () -> null, budget, 60,
                () -> Fakes.T0, () -> false);
        assertThat(w.tick()).isEqualTo(-1);
        assertThat(store.depth(Stream.TELEMETRY)).isZero();
        assertThat(store.depth(Stream.EVENTS)).as("business events are never dropped").isEqualTo(20);
        assertThat(Duration.ZERO).isZero();
    }
}
