package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Declaration;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.core.internal.crypto.CodeHasher;
import org.lockergate.store.StorageStatus;

class DepositAndPickupTest {

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

    @Test
    void deposit_then_pickup_goes_through_every_state_and_the_code_exists_in_clear_only_for_the_recipient()
            throws Exception {
        DepositResult deposit = h.deposit(SizeClass.S, "13800001234");

        assertThat(deposit.cabinetId()).isEqualTo("c1");
        assertThat(deposit.compartment()).isEqualTo("1");
        assertThat(deposit.unlock()).isEqualTo("opened");
        assertThat(h.driver.pulses).containsExactly(java.time.Duration.ofMillis(400));
        assertThat(h.parcel(deposit.parcelId()).state()).isEqualTo(ParcelState.RESERVED);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.RESERVED);
        assertThat(h.notified).isEmpty();

        h.close("1", true);

        assertThat(h.parcel(deposit.parcelId()).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(h.parcel(deposit.parcelId()).phoneMasked()).isEqualTo("138******34");
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.OCCUPIED);
        assertThat(h.notified).hasSize(1);
        String code = h.notified.get(0).code();
        assertThat(code).matches("[0-9]{8}");
        assertThat(h.notified.get(0).phone()).isEqualTo("13800001234");
        assertThat(h.notified.get(0).lockerName()).isEqualTo("幸福里小区 1 号柜组");
        String storedHmac = h.store.query("SELECT code_hmac FROM parcel WHERE parcel_id = ?", rs -> rs.getString(1),
                deposit.parcelId());
        assertThat(storedHmac).hasSize(64).isNotEqualTo(code).doesNotContain(code);
        String phoneEnc = h.store.query("SELECT phone_enc FROM parcel WHERE parcel_id = ?", rs -> rs.getString(1),
                deposit.parcelId());
        assertThat(phoneEnc).doesNotContain("13800001234");
        List<OutboxEvent> withCode = h.core.queries.outbox(1000).stream().filter(e -> e.data().contains(code)).toList();
        assertThat(withCode).extracting(OutboxEvent::type).containsExactly("notification.requested");
        Map<String, Object> notification = h.data(withCode.get(0));
        assertThat(notification).containsEntry("phoneMasked", "138******34").containsKeys("freeUntil", "lockerName",
                "lockerAddress", "feeRule");
        assertThat(h.data(h.outbox("parcel.deposited").get(0))).doesNotContainKeys("code", "phone", "phoneMasked");
        assertThat(h.core.queries.audit(Harness.START, 1000)).noneMatch(e -> String.valueOf(e.detail()).contains(code)
                || String.valueOf(e.detail()).contains("13800001234"));

        PickupResult pickup = h.core.kiosk.pickup("g1", code, null, null);

        assertThat(pickup.parcelId()).isEqualTo(deposit.parcelId());
        assertThat(pickup.compartment()).isEqualTo("1");
        assertThat(pickup.unlock()).isEqualTo("opened");
        assertThat(pickup.feeFen()).isZero();
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.OPENING);

        h.close("1", false);

        assertThat(h.parcel(deposit.parcelId()).state()).isEqualTo(ParcelState.PICKED_UP);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FREE);
        assertThat(h.compartment("1").parcelId()).isNull();
        assertThat(h.outbox("parcel.picked_up")).hasSize(1);
        assertThat(h.outbox("fee.owed")).isEmpty();
        assertThat(h.topics).contains("lockergate/parcel/CHANGED", "lockergate/compartment/CHANGED",
                "lockergate/outbox/WRITTEN");
    }

    @Test
    void parcels_between_lists_the_stays_overlapping_a_range_oldest_first() throws Exception {
        DepositResult first = h.deposit(SizeClass.S, "13800001234");
        h.close("1", true);
        h.clock.advance(java.time.Duration.ofMinutes(1)); // within the courier's session
        DepositResult second = h.deposit(SizeClass.S, "13800005678");
        Instant afterBoth = h.clock.now().plusSeconds(1);

        assertThat(h.core.queries.parcelsBetween(null, Harness.START, afterBoth)).extracting(Parcel::parcelId)
                .containsExactly(first.parcelId(), second.parcelId());
        assertThat(h.core.queries.parcelsBetween("g1", Harness.START.minusSeconds(60), Harness.START.plusSeconds(1)))
                .extracting(Parcel::parcelId).containsExactly(first.parcelId());
        assertThat(h.core.queries.parcelsBetween("g2", Harness.START, afterBoth)).isEmpty();
        assertThat(h.core.queries.parcelsBetween(null, Harness.START.minusSeconds(60), Harness.START)).isEmpty();
    }

    @Test
    void deposit_without_consent_is_refused() throws Exception {
        DepositRequest request = new DepositRequest(h.session("JT-0001"), "WB1", SizeClass.S, "13800001234", null,
                Declaration.NONE, false);

        LockerException e = catchThrowableOfType(LockerException.class, () -> h.core.kiosk.deposit("g1", request));

        assertThat(e.code()).isEqualTo("no_consent");
        assertThat(e.kind()).isEqualTo(LockerException.Kind.FORBIDDEN);
        assertThat(h.driver.unlocks).isEmpty();
    }

    @Test
    void excluded_parcel_is_refused_unless_the_sender_agreed() throws Exception {
        String session = h.session("JT-0001");
        Consent consent = new Consent("app", "C-1", Harness.START, true);
        DepositRequest fresh = new DepositRequest(session, "WB1", SizeClass.S, "13800001234", consent,
                new Declaration(false, false, true, false, false), false);
        DepositRequest agreed = new DepositRequest(session, "WB2", SizeClass.S, "13800001234", consent,
                new Declaration(false, false, true, false, true), false);

        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.kiosk.deposit("g1", fresh)).code())
                .isEqualTo("excluded");
        assertThat(h.core.kiosk.deposit("g1", agreed).unlock()).isEqualTo("opened");
    }

    @Test
    void deposit_without_a_valid_session_is_refused() {
        LockerException e = catchThrowableOfType(LockerException.class, () -> h.core.kiosk.deposit("g1",
                Harness.request("nope", SizeClass.S, "13800001234", true)));

        assertThat(e.code()).isEqualTo("no_session");
    }

    @Test
    void storage_nearly_full_pauses_deposits_but_not_pickups() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.store.storage = new StorageStatus(100L << 20, 256L << 20, 0);

        LockerException e = catchThrowableOfType(LockerException.class, () -> h.deposit(SizeClass.S, "13800005678"));

        assertThat(e.code()).isEqualTo("storage_full");
        assertThat(e.getMessage()).isEqualTo("存储空间不足，暂停投递 / Storage almost full: deposits paused, pickups continue");
        assertThat(h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null).parcelId()).isEqualTo(parcel);
    }

    @Test
    void paused_group_refuses_deposits() throws Exception {
        h.store.write("test", tx -> tx.connection().createStatement().executeUpdate(
                "UPDATE cabinet_group SET paused = TRUE WHERE group_id = 'g1'"));

        assertThat(catchThrowableOfType(LockerException.class, () -> h.deposit(SizeClass.S, "13800001234")).code())
                .isEqualTo("paused");
    }

    @Test
    void smallest_free_size_is_used_and_a_full_size_upsizes() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(h.deposit(SizeClass.S, "1380000123" + i).compartment()).isEqualTo(String.valueOf(i + 1));
        }
        DepositResult upsized = h.deposit(SizeClass.S, "13800001239");

        assertThat(upsized.compartment()).isEqualTo("5");
        assertThat(upsized.explanation()).contains("upsized to M");
    }

    @Test
    void full_group_suggests_the_nearest_group_with_room() throws Exception {
        h.attach("c2", "g2", new FakeDriver(), Harness.specs("L:201"));
        h.attach("c3", "g3", new FakeDriver(), Harness.specs("L:301"));
        h.deposit(SizeClass.L, "13800001234");

        LockerException e = catchThrowableOfType(LockerException.class, () -> h.deposit(SizeClass.L, "13800005678"));

        assertThat(e.code()).isEqualTo("full");
        assertThat(e.kind()).isEqualTo(LockerException.Kind.UNAVAILABLE);
        @SuppressWarnings("unchecked")
        Map<String, Object> suggest = (Map<String, Object>) e.extra().get("suggest");
        assertThat(suggest).containsEntry("groupId", "g2");
        assertThat((Integer) suggest.get("distanceM")).isBetween(780, 820);
        // the allocation policy's own words say why none (full, or the company's quota), and the reservation's
        // audit row says why this compartment
        assertThat((String) e.extra().get("explanation")).isNotBlank();
        assertThat(h.core.queries.audit(Harness.START, 1000)).filteredOn(a -> a.action().equals("parcel.reserved"))
                .allSatisfy(a -> assertThat(a.detail()).contains("; "));
    }

    @Test
    void full_group_suggests_only_a_group_with_room_in_an_online_cabinet() throws Exception {
        CabinetLink g2 = h.attach("c2", "g2", new FakeDriver(), Harness.specs("L:201"));
        CabinetLink g3 = h.attach("c3", "g3", new FakeDriver(), Harness.specs("L:301"));
        h.deposit(SizeClass.L, "13800001234");
        g2.detach("power cut");

        LockerException nextNearest = catchThrowableOfType(LockerException.class,
                () -> h.deposit(SizeClass.L, "13800005678"));
        g3.detach("power cut");
        LockerException none = catchThrowableOfType(LockerException.class,
                () -> h.deposit(SizeClass.L, "13800005678"));

        @SuppressWarnings("unchecked")
        Map<String, Object> suggest = (Map<String, Object>) nextNearest.extra().get("suggest");
        assertThat(suggest).containsEntry("groupId", "g3");
        assertThat(none.code()).isEqualTo("full");
        assertThat(none.extra().get("suggest")).isEqualTo(Map.of("station", "幸福里快递驿站"));
    }

    @Test
    void full_group_without_other_room_suggests_the_service_station() throws Exception {
        h.deposit(SizeClass.L, "13800001234");

        LockerException e = catchThrowableOfType(LockerException.class, () -> h.deposit(SizeClass.L, "13800005678"));

        assertThat(e.extra().get("suggest")).isEqualTo(Map.of("station", "幸福里快递驿站"));
    }

    @Test
    void jammed_door_during_deposit_marks_it_fault_raises_an_alarm_and_opens_the_next() throws Exception {
        h.driver.answer("1", FakeDriver.Answer.JAMMED);

        DepositResult result = h.deposit(SizeClass.S, "13800001234");

        assertThat(result.compartment()).isEqualTo("2");
        assertThat(result.skipped()).containsExactly(new DepositResult.Skipped("1", "jammed"));
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FAULT);
        assertThat(h.compartment("2").state()).isEqualTo(CompartmentState.RESERVED);
        assertThat(h.parcel(result.parcelId()).compartment()).isEqualTo("2");
        assertThat(h.alarms(AlarmType.DOOR_JAMMED)).singleElement()
                .satisfies(a -> assertThat(a.compartment()).isEqualTo("1"));
        assertThat(h.core.queries.outbox(100)).anyMatch(e -> e.stream() == OutboxEvent.Stream.ALARMS
                && e.type().equals("door_jammed") && e.data().contains("\"state\":\"raised\""));
    }

    @Test
    void cabinet_without_answer_is_skipped_as_unavailable_without_fault() throws Exception {
        FakeDriver other = new FakeDriver();
        h.attach("c0", "g1", other, Harness.specs("S:0"));
        other.answer("0", FakeDriver.Answer.TIMEOUT);

        DepositResult result = h.deposit(SizeClass.S, "13800001234");

        assertThat(result.skipped()).containsExactly(new DepositResult.Skipped("0", "unavailable"));
        assertThat(result.compartment()).isEqualTo("1");
        assertThat(h.compartment("0").state()).isEqualTo(CompartmentState.FREE);
    }

    @Test
    void when_no_door_opens_the_deposit_fails_and_the_reservation_is_cancelled() throws Exception {
        for (String label : List.of("1", "2", "3", "4", "5", "6", "7")) {
            h.driver.answer(label, FakeDriver.Answer.JAMMED);
        }

        LockerException e = catchThrowableOfType(LockerException.class, () -> h.deposit(SizeClass.S, "13800001234"));

        assertThat(e.code()).isEqualTo("no_working_compartment");
        assertThat(h.core.queries.parcels("g1", List.of(), 10)).singleElement()
                .satisfies(p -> assertThat(p.state()).isEqualTo(ParcelState.CANCELLED));
        assertThat(h.core.queries.compartments("g1")).allSatisfy(c -> assertThat(c.state())
                .isEqualTo(CompartmentState.FAULT));
    }

    @Test
    void door_closed_without_an_item_cancels_the_reservation_and_raises_item_missing() throws Exception {
        DepositResult result = h.deposit(SizeClass.S, "13800001234");

        h.close(result.compartment(), false);

        assertThat(h.parcel(result.parcelId()).state()).isEqualTo(ParcelState.CANCELLED);
        assertThat(h.compartment(result.compartment()).state()).isEqualTo(CompartmentState.FREE);
        assertThat(h.alarms(AlarmType.ITEM_MISSING)).hasSize(1);
        assertThat(h.notified).isEmpty();
    }

    @Test
    void reservation_whose_door_never_closed_is_cancelled_after_the_kiosk_hold() throws Exception {
        DepositResult result = h.deposit(SizeClass.S, "13800001234");
        h.clock.advance(java.time.Duration.ofSeconds(89));
        h.core.timers.tick();
        assertThat(h.parcel(result.parcelId()).state()).isEqualTo(ParcelState.RESERVED);

        h.clock.advance(java.time.Duration.ofSeconds(2));
        h.core.timers.tick();

        assertThat(h.parcel(result.parcelId()).state()).isEqualTo(ParcelState.CANCELLED);
        assertThat(h.compartment(result.compartment()).state()).isEqualTo(CompartmentState.FREE);
    }

    @Test
    void item_left_after_pickup_raises_an_alarm_and_the_parcel_stays_pickable() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        String code = h.codeOf(parcel);
        h.core.kiosk.pickup("g1", code, null, null);

        h.close("1", true);

        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.OCCUPIED);
        assertThat(h.alarms(AlarmType.ITEM_LEFT)).hasSize(1);

        h.core.kiosk.pickup("g1", code, null, null);
        h.close("1", false);

        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.PICKED_UP);
        assertThat(h.alarms(AlarmType.ITEM_LEFT)).allSatisfy(a -> assertThat(a.active()).isFalse());
    }

    @Test
    void jammed_door_during_pickup_answers_door_jammed_and_the_parcel_waits_for_staff() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.driver.answer("1", FakeDriver.Answer.JAMMED);

        LockerException e = catchThrowableOfType(LockerException.class,
                () -> h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null));

        assertThat(e.code()).isEqualTo("door_jammed");
        assertThat(e.kind()).isEqualTo(LockerException.Kind.UNAVAILABLE);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FAULT);
        assertThat(h.compartment("1").parcelId()).isEqualTo(parcel);
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(h.alarms(AlarmType.DOOR_JAMMED)).hasSize(1);
    }

    @Test
    void recipient_rejects_while_the_door_is_open_and_not_after() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.kiosk.reject("g1", parcel, "damaged"))
                .code()).isEqualTo("not_open");
        h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null);

        h.core.kiosk.reject("g1", parcel, "damaged");
        h.close("1", true);

        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.REJECTED);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.OCCUPIED);
        assertThat(h.data(h.outbox("parcel.rejected").get(0))).containsEntry("companyCode", "JT")
                .containsEntry("reason", "damaged");
    }

    @Test
    void a_rejected_parcel_picked_up_with_its_code_answers_rejected() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null);
        h.core.kiosk.reject("g1", parcel, "damaged");
        h.close("1", true);

        LockerException e = catchThrowableOfType(LockerException.class,
                () -> h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null));

        assertThat(e.code()).isEqualTo("rejected");
        assertThat(e.kind()).isEqualTo(LockerException.Kind.FORBIDDEN);
        assertThat(e.getMessage()).isEqualTo("包裹已被拒收，等待快递员取回 / Parcel was rejected and waits for the courier");
    }

    @Test
    void pickup_at_an_offline_cabinet_answers_unavailable() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.core.registry.vendorGone("fake");

        LockerException e = catchThrowableOfType(LockerException.class,
                () -> h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null));

        assertThat(e.code()).isEqualTo("unavailable");
        assertThat(e.getMessage()).isEqualTo("柜子暂时不可用 / Cabinet temporarily unavailable");
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.OCCUPIED);
    }

    @Test
    void payment_required_first_refuses_a_pickup_with_a_fee() throws Exception {
        h.core.env.settings(h.core.env.settings().withPaymentRequiredFirst(true));
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.clock.advance(java.time.Duration.ofHours(25));

        LockerException e = catchThrowableOfType(LockerException.class,
                () -> h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null));

        assertThat(e.code()).isEqualTo("payment_required");
        assertThat(e.extra()).containsEntry("feeFen", 50L);
    }

    @Test
    void overdue_fee_is_recorded_as_owed_and_reported_when_the_pickup_completes() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.clock.advance(java.time.Duration.ofHours(24).plusSeconds(1));

        PickupResult result = h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null);
        h.close("1", false);

        assertThat(result.feeFen()).isEqualTo(50);
        assertThat(result.feeOwed()).isTrue();
        assertThat(h.parcel(parcel).feeFen()).isEqualTo(50);
        assertThat(h.data(h.outbox("fee.owed").get(0))).containsEntry("feeFen", 50);
    }

    @Test
    void codes_are_unique_among_the_groups_parcels_in_the_locker() throws Exception {
        java.util.Set<String> codes = new java.util.HashSet<>();
        for (int i = 0; i < 7; i++) {
            codes.add(h.codeOf(h.deposited(SizeClass.S, "1380000123" + i)));
        }
        assertThat(codes).hasSize(7).allMatch(CodeHasher::wellFormed);
    }

    @Test
    void door_events_already_stored_for_this_boot_are_ignored_when_resent() throws Exception {
        DepositResult result = h.deposit(SizeClass.S, "13800001234");
        long door = h.nextSeq();
        long occupancy = h.nextSeq();
        List<CabinetEvent> batch = List.of(
                new CabinetEvent(door, h.clock.now(), CabinetEvent.Type.DOOR, result.compartment(), true, null),
                new CabinetEvent(occupancy, h.clock.now(), CabinetEvent.Type.OCCUPANCY, result.compartment(), true,
                        null));

        assertThat(h.link.report(1, batch)).isEqualTo(occupancy);
        assertThat(h.link.report(1, batch)).isEqualTo(occupancy);

        assertThat(h.outbox("parcel.deposited")).hasSize(1);
        assertThat(h.notified).hasSize(1);
    }
}
