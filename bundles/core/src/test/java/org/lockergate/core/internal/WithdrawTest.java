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
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.locker.RecallEntry;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;

/** The courier's take-back (R7, R19), the recall/return list and deposits at a group whose cabinets are offline. */
class WithdrawTest {

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

    /** A fresh session (the harness's cached one expires when the clock moves by days). */
    private String signIn(String courierId) throws LockerException {
        return h.core.kiosk.signIn("g1", courierId, Harness.PIN.toCharArray()).session();
    }

    private void advance(Duration d) throws Exception {
        h.clock.advance(d);
        h.core.timers.tick();
        h.link.heartbeat();
    }

    private List<String> audit(String parcelId) {
        return h.core.queries.audit(Harness.START.minusSeconds(1), 10_000).stream()
                .filter(a -> parcelId.equals(a.target())).map(AuditEntry::action).toList();
    }

    private String rejected() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null);
        h.core.kiosk.reject("g1", parcel, "damaged");
        h.close("1", true);
        return parcel;
    }

    @Test
    void courier_withdraws_a_recall_due_parcel_and_it_is_recalled_when_the_door_closes_empty() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        advance(Duration.ofHours(72));
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.RECALL_DUE);

        PickupResult result = h.core.kiosk.withdraw("g1", signIn("JT-0001"), parcel);

        assertThat(result.parcelId()).isEqualTo(parcel);
        assertThat(result.compartment()).isEqualTo("1");
        assertThat(result.unlock()).isEqualTo("opened");
        assertThat(result.feeFen()).isZero();
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.OPENING);
        h.close("1", false);

        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.RECALLED);
        assertThat(h.parcel(parcel).closedAt()).isNotNull();
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FREE);
        assertThat(h.compartment("1").parcelId()).isNull();
        assertThat(h.outbox("parcel.recalled")).hasSize(1);
        assertThat(h.data(h.outbox("parcel.recalled").get(0))).containsEntry("parcelId", parcel)
                .containsEntry("companyCode", "JT").containsEntry("withdrawnBy", "JT-0001")
                .containsEntry("from", "RECALL_DUE");
        assertThat(h.outbox("parcel.picked_up")).isEmpty();
        assertThat(audit(parcel)).contains("parcel.withdrawing", "parcel.recalled");
    }

    @Test
    void courier_withdraws_a_held_parcel_and_it_is_recalled() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");
        advance(Duration.ofDays(7));
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.HELD);

        h.core.kiosk.withdraw("g1", signIn("JT-0001"), parcel);
        h.close("1", false);

        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.RECALLED);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FREE);
        assertThat(h.data(h.outbox("parcel.recalled").get(0))).containsEntry("from", "HELD");
        assertThat(audit(parcel)).contains("parcel.withdrawing", "parcel.recalled");
    }

    @Test
    void courier_takes_back_a_rejected_parcel_and_it_is_returned() throws Exception {
        String parcel = rejected();

        h.core.kiosk.withdraw("g1", signIn("JT-0001"), parcel);
        h.close("1", false);

        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.RETURNED);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FREE);
        assertThat(h.outbox("parcel.returned")).hasSize(1);
        assertThat(h.outbox("parcel.recalled")).isEmpty();
        assertThat(h.data(h.outbox("parcel.returned").get(0))).containsEntry("companyCode", "JT")
                .containsEntry("from", "REJECTED");
        assertThat(audit(parcel)).contains("parcel.withdrawing", "parcel.returned");
    }

    @Test
    void door_closed_with_the_item_still_in_leaves_the_parcel_where_it_was() throws Exception {
        String parcel = rejected();

        h.core.kiosk.withdraw("g1", signIn("JT-0001"), parcel);
        h.close("1", true);

        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.REJECTED);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.OCCUPIED);
        assertThat(h.compartment("1").parcelId()).isEqualTo(parcel);
        assertThat(h.outbox("parcel.returned")).isEmpty();
    }

    @Test
    void a_parcel_in_another_state_is_not_withdrawable_and_names_its_state() throws Exception {
        String parcel = h.deposited(SizeClass.S, "13800001234");

        LockerException e = catchThrowableOfType(LockerException.class,
                () -> h.core.kiosk.withdraw("g1", signIn("JT-0001"), parcel));

        assertThat(e.code()).isEqualTo("not_withdrawable");
        assertThat(e.kind()).isEqualTo(LockerException.Kind.CONFLICT);
        assertThat(e.extra()).containsEntry("state", "DEPOSITED");
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.OCCUPIED);
        assertThat(audit(parcel)).doesNotContain("parcel.withdrawing");
    }

    @Test
    void another_companys_courier_is_forbidden_and_a_missing_session_is_refused() throws Exception {
        String parcel = rejected();

        LockerException other = catchThrowableOfType(LockerException.class,
                () -> h.core.kiosk.withdraw("g1", signIn("ZTO-0001"), parcel));
        LockerException none = catchThrowableOfType(LockerException.class,
                () -> h.core.kiosk.withdraw("g1", "nonsense", parcel));
        LockerException unknown = catchThrowableOfType(LockerException.class,
                () -> h.core.kiosk.withdraw("g1", signIn("JT-0001"), "P-unknown"));

        assertThat(other.code()).isEqualTo("forbidden");
        assertThat(other.kind()).isEqualTo(LockerException.Kind.FORBIDDEN);
        assertThat(none.code()).isEqualTo("no_session");
        assertThat(unknown.code()).isEqualTo("not_found");
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.REJECTED);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.OCCUPIED);
    }

    @Test
    void withdrawal_at_an_offline_cabinet_is_unavailable_and_a_jam_marks_the_compartment_fault() throws Exception {
        String parcel = rejected();
        String session = signIn("JT-0001");
        h.driver.answer("1", FakeDriver.Answer.JAMMED);

        LockerException jammed = catchThrowableOfType(LockerException.class,
                () -> h.core.kiosk.withdraw("g1", session, parcel));

        assertThat(jammed.code()).isEqualTo("door_jammed");
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FAULT);
        assertThat(h.parcel(parcel).state()).isEqualTo(ParcelState.REJECTED);

        h.core.registry.vendorGone("fake");
        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.kiosk.withdraw("g1", session, parcel))
                .code()).isEqualTo("unavailable");
    }

    @Test
    void the_recall_list_shows_the_companys_recall_due_held_and_rejected_parcels_only() throws Exception {
        String rejected = rejected();
        String recallDue = h.deposited(SizeClass.S, "13800005678");
        h.deposited(SizeClass.S, "13800009999");
        java.time.Instant rejectedAt = h.clock.now();
        advance(Duration.ofHours(72));
        // deposited at the same time as recallDue: both are RECALL_DUE now
        List<RecallEntry> list = h.core.kiosk.recalls("g1", signIn("JT-0001"));

        assertThat(list).extracting(RecallEntry::parcelId).contains(rejected, recallDue);
        RecallEntry r = list.stream().filter(e -> e.parcelId().equals(rejected)).findFirst().orElseThrow();
        assertThat(r.state()).isEqualTo(ParcelState.REJECTED);
        assertThat(r.compartment()).isEqualTo("1");
        assertThat(r.waybill()).isEqualTo(h.parcel(rejected).waybill());
        assertThat(r.since()).isEqualTo(rejectedAt);
        RecallEntry d = list.stream().filter(e -> e.parcelId().equals(recallDue)).findFirst().orElseThrow();
        assertThat(d.state()).isEqualTo(ParcelState.RECALL_DUE);
        assertThat(d.since()).isEqualTo(h.clock.now());
        assertThat(h.core.kiosk.recalls("g1", signIn("ZTO-0001"))).isEmpty();
        assertThat(catchThrowableOfType(LockerException.class, () -> h.core.kiosk.recalls("g1", "nonsense")).code())
                .isEqualTo("no_session");
    }

    @Test
    void a_group_whose_cabinets_are_all_offline_answers_deposits_unavailable_not_full() throws Exception {
        h.core.registry.vendorGone("fake");

        LockerException e = catchThrowableOfType(LockerException.class, () -> h.deposit(SizeClass.S, "13800001234"));

        assertThat(e.code()).isEqualTo("unavailable");
        assertThat(e.kind()).isEqualTo(LockerException.Kind.UNAVAILABLE);
        assertThat(e.getMessage()).isEqualTo("柜组暂时不可用 / Locker group temporarily unavailable");
        assertThat(h.core.queries.parcels("g1", List.of(ParcelState.RESERVED), 10)).isEmpty();

        h.restart(2);
        assertThat(h.deposit(SizeClass.S, "13800001234").compartment()).isNotNull();
    }
}
