package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;

class AlarmsAndTimersTest {

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private List<OutboxEvent> alarmRows(AlarmType type) {
        return h.core.queries.outbox(10_000).stream()
                .filter(e -> e.stream() == OutboxEvent.Stream.ALARMS && e.type().equals(type.wireName())).toList();
    }

    @Test
    void door_left_open_for_sixty_seconds_raises_once_clears_on_close_and_is_acknowledged_once() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null);
        h.clock.advance(Duration.ofSeconds(59));
        h.core.timers.tick();
        assertThat(h.alarms(AlarmType.DOOR_LEFT_OPEN)).isEmpty();

        h.clock.advance(Duration.ofSeconds(2));
        h.core.timers.tick();
        h.core.timers.tick();

        Alarm alarm = h.alarms(AlarmType.DOOR_LEFT_OPEN).get(0);
        assertThat(h.alarms(AlarmType.DOOR_LEFT_OPEN)).hasSize(1);
        assertThat(alarm.compartment()).isEqualTo("1");

        h.close("1", false);
        h.core.alarms.acknowledge(alarm.alarmId(), "operator:alice");
        h.core.alarms.acknowledge(alarm.alarmId(), "operator:bob");

        assertThat(alarmRows(AlarmType.DOOR_LEFT_OPEN)).extracting(e -> h.data(e).get("state"))
                .containsExactly("raised", "cleared", "acknowledged");
        assertThat(h.alarms(AlarmType.DOOR_LEFT_OPEN)).isEmpty();
        assertThat(h.topics).contains("lockergate/alarm/CHANGED");
        assertThat(h.core.queries.audit(Harness.START, 1000)).filteredOn(e -> e.action().startsWith("alarm."))
                .extracting(e -> e.action()).contains("alarm.raised", "alarm.cleared", "alarm.acknowledged");
    }

    @Test
    void an_acknowledgement_answers_the_time_it_stored() throws Exception {
        h.clock.set(Harness.START.plusNanos(555_666_777));
        Alarm alarm = h.core.alarms.raise(AlarmType.POWER_ON_BATTERY, "g1", "c1", null, "test");

        Alarm answered = h.core.alarms.acknowledge(alarm.alarmId(), "operator:alice");
        Alarm stored = h.core.alarms.acknowledge(alarm.alarmId(), "operator:alice");

        assertThat(answered.acknowledgedAt()).isEqualTo(Harness.START.plusMillis(555));
        assertThat(stored.acknowledgedAt()).isEqualTo(answered.acknowledgedAt());
        assertThat(stored.raisedAt()).isEqualTo(alarm.raisedAt());
    }

    @Test
    void acknowledging_an_unknown_alarm_is_not_found() {
        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.alarms.acknowledge(999, "x")).code())
                .isEqualTo("not_found");
    }

    @Test
    void raising_an_active_alarm_again_does_nothing() {
        Alarm first = h.core.alarms.raise(AlarmType.DISK_LOW, null, null, null, "disk");
        Alarm again = h.core.alarms.raise(AlarmType.DISK_LOW, null, null, null, "disk");

        assertThat(again.alarmId()).isEqualTo(first.alarmId());
        assertThat(alarmRows(AlarmType.DISK_LOW)).hasSize(1);
    }

    @Test
    void a_door_opened_without_a_command_raises_forced_open() throws Exception {
        h.report(CabinetEvent.Type.DOOR, "3", false);

        assertThat(h.alarms(AlarmType.FORCED_OPEN)).singleElement()
                .satisfies(a -> assertThat(a.compartment()).isEqualTo("3"));

        h.close("3", false);
        assertThat(h.alarms(AlarmType.FORCED_OPEN).get(0).active()).isFalse();
    }

    @Test
    void a_commanded_door_opening_is_not_forced() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null);

        h.report(CabinetEvent.Type.DOOR, "1", false);

        assertThat(h.alarms(AlarmType.FORCED_OPEN)).isEmpty();
    }

    @Test
    void cabinet_goes_offline_after_three_missed_heartbeats_and_comes_back() throws Exception {
        h.clock.advance(Duration.ofSeconds(29));
        h.core.timers.tick();
        assertThat(h.core.queries.cabinets("g1").get(0).online()).isTrue();

        h.clock.advance(Duration.ofSeconds(1));
        h.core.timers.tick();

        assertThat(h.core.queries.cabinets("g1").get(0).online()).isFalse();
        assertThat(h.alarms(AlarmType.CABINET_OFFLINE)).hasSize(1);
        assertThat(h.outbox("cabinet.offline")).hasSize(1);

        h.link.heartbeat();

        assertThat(h.core.queries.cabinets("g1").get(0).online()).isTrue();
        assertThat(h.alarms(AlarmType.CABINET_OFFLINE).get(0).active()).isFalse();
        assertThat(h.outbox("cabinet.online")).hasSize(1);
    }

    @Test
    void vendor_gone_takes_its_cabinets_offline_keeps_state_and_attach_brings_them_back() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");

        h.core.registry.vendorGone("fake");

        assertThat(h.core.queries.cabinets("g1").get(0).online()).isFalse();
        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.kiosk.pickup("g1", h.codeOf(parcel),
                null, null)).code()).isEqualTo("unavailable");
        assertThat(catchThrowableOfType(LockerException.class, () -> h.link.report(1, List.of())).code())
                .isEqualTo("not_registered");

        FakeDriver updated = new FakeDriver();
        h.link = h.attach("c1", "g1", updated, Harness.specs("S:1", "S:2", "S:3", "S:4", "M:5", "M:6", "L:7"));

        assertThat(h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null).compartment()).isEqualTo("1");
        assertThat(updated.unlocks).containsExactly("1");
    }

    @Test
    void power_and_camera_events_raise_and_clear_their_alarms() throws Exception {
        h.reportOther(CabinetEvent.Type.POWER, false, "battery");
        h.reportOther(CabinetEvent.Type.CAMERA, false, null);
        assertThat(h.alarms(AlarmType.POWER_ON_BATTERY)).hasSize(1);
        assertThat(h.alarms(AlarmType.CAMERA_OFFLINE)).hasSize(1);

        h.reportOther(CabinetEvent.Type.POWER, true, "mains");
        h.reportOther(CabinetEvent.Type.CAMERA, true, null);
        h.reportOther(CabinetEvent.Type.TAMPER, true, null);

        assertThat(h.alarms(AlarmType.POWER_ON_BATTERY).get(0).active()).isFalse();
        assertThat(h.alarms(AlarmType.CAMERA_OFFLINE).get(0).active()).isFalse();
        assertThat(h.core.queries.audit(Harness.START, 1000)).anyMatch(e -> e.action().equals("cabinet.tamper"));
    }

    @Test
    void parcel_becomes_overdue_at_the_end_of_the_free_period_then_recall_due_at_72_hours_then_held_at_7_days()
            throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.clock.advance(Duration.ofHours(24).minusSeconds(1));
        h.core.timers.tick();
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.DEPOSITED);

        h.clock.advance(Duration.ofSeconds(1));
        h.core.timers.tick();
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.OVERDUE);
        assertThat(h.outbox("parcel.overdue")).hasSize(1);

        h.clock.advance(Duration.ofHours(48));
        h.core.timers.tick();
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.RECALL_DUE);
        assertThat(h.outbox("parcel.recall_due")).hasSize(1);
        h.link.heartbeat();
        assertThat(h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null).feeFen()).isEqualTo(200);
        h.close("1", true);

        h.clock.advance(Duration.ofDays(4));
        h.core.timers.tick();
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.HELD);
        assertThat(h.outbox("parcel.held")).hasSize(1);
        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.kiosk.pickup("g1", h.codeOf(parcel),
                null, null)).code()).isEqualTo("held");
    }

    @Test
    void a_gateway_that_was_off_takes_every_missed_step_at_once() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.clock.advance(Duration.ofDays(8));

        h.core.timers.tick();

        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.HELD);
        assertThat(h.outbox("parcel.overdue")).hasSize(1);
        assertThat(h.outbox("parcel.held")).hasSize(1);
    }

    @Test
    void reminders_go_out_once_six_hours_before_and_once_at_the_end_of_the_free_period() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.clock.advance(Duration.ofHours(18).minusSeconds(1));
        h.core.timers.tick();
        assertThat(h.outbox("parcel.reminder")).isEmpty();

        h.clock.advance(Duration.ofSeconds(1));
        h.core.timers.tick();
        h.clock.advance(Duration.ofHours(1));
        h.core.timers.tick();
        assertThat(h.outbox("parcel.reminder")).extracting(e -> h.data(e).get("kind")).containsExactly("before");

        h.clock.advance(Duration.ofHours(5));
        h.core.timers.tick();
        h.core.timers.tick();

        assertThat(h.outbox("parcel.reminder")).extracting(e -> h.data(e).get("kind"))
                .containsExactly("before", "due");
        assertThat(h.outbox("parcel.reminder")).allMatch(e -> h.data(e).get("parcelId").equals(parcel));
    }

    @Test
    void parcels_of_a_cabinet_offline_for_thirty_minutes_are_redirected_once_to_the_nearest_group() throws Exception {
        CabinetLink g2 = h.attach("c2", "g2", new FakeDriver(), Harness.specs("S:201"));
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.link.detach("power cut"); // c1 only: a group whose cabinets are offline is no redirect target
        h.clock.advance(Duration.ofMinutes(29));
        g2.heartbeat();
        h.core.timers.tick();
        assertThat(h.outbox("parcel.redirected")).isEmpty();

        h.clock.advance(Duration.ofMinutes(1));
        g2.heartbeat();
        h.core.timers.tick();
        h.core.timers.tick();

        assertThat(h.outbox("parcel.redirected")).singleElement().satisfies(e -> {
            assertThat(h.data(e)).containsEntry("parcelId", parcel);
            assertThat(h.data(e).get("to").toString()).contains("g2");
        });
    }

    @Test
    void staff_disable_and_enable_are_audited_and_sent() throws Exception {
        h.core.maintenance.disable("g1", "2", "operator:tech", "broken hinge");
        assertThat(h.compartment("2").state().name()).isEqualTo("DISABLED");
        assertThat(h.deposit(SizeClass.S, "13800001234").compartment()).isEqualTo("1");

        h.core.maintenance.enable("g1", "2", "operator:tech", "fixed");

        assertThat(h.compartment("2").state().name()).isEqualTo("FREE");
        assertThat(h.outbox("compartment.disabled")).hasSize(1);
        assertThat(h.outbox("compartment.enabled")).hasSize(1);
        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.maintenance.open("g1", "3", "operator:x",
                " ")).code()).isEqualTo("reason_required");
    }

    @Test
    void staff_open_is_audited_with_actor_and_reason_and_the_compartment_returns_to_its_state() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");

        assertThat(h.core.maintenance.open("g1", "1", "operator:tech", "check sensor").wireName())
                .isEqualTo("opened");
        h.close("1", true);

        assertThat(h.compartment("1").state().name()).isEqualTo("OCCUPIED");
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(h.core.queries.audit(Harness.START, 1000)).anyMatch(e -> e.action().equals("compartment.open")
                && e.actor().equals("operator:tech") && e.detail().equals("check sensor"));
        assertThat(h.alarms(AlarmType.ITEM_LEFT)).isEmpty();
    }
}
