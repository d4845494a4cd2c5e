package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetEvent.Type;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.core.internal.db.Db;

/**
 * {@code CabinetLink.report(boot, events)}: {@code acked} never passes a missing event (D1), and each boot keeps its
 * own sequence, so events a cabinet still delivers from before a restart are stored and acted on (D2).
 */
class CabinetEventSequenceTest {

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

    private CabinetEvent event(long seq, Type type, String label, boolean value) {
        return new CabinetEvent(seq, h.clock.now(), type, label, value, null);
    }

    private CabinetEvent tamper(long seq) {
        return event(seq, Type.TAMPER, null, true);
    }

    private CabinetEvent power(long seq, boolean mains) {
        return new CabinetEvent(seq, h.clock.now(), Type.POWER, null, mains, mains ? "mains" : "battery");
    }

    /** Raised and not cleared (acknowledgement aside). */
    private List<?> active(AlarmType type) {
        return h.alarms(type).stream().filter(a -> a.clearedAt() == null).toList();
    }

    private long audits(String action) throws Exception {
        return h.store.query("SELECT COUNT(*) FROM audit_log WHERE action = ?", rs -> rs.getLong(1), action);
    }

    private List<Long> boots(String cabinetId) throws Exception {
        return h.store.read(tx -> Db.query(tx.connection(), "SELECT boot FROM cabinet_boot WHERE cabinet_id = ? "
                + "ORDER BY boot", rs -> rs.getLong(1), cabinetId));
    }

    // --- D1: a gap stops the acknowledgement ---

    @Test
    void acked_stops_before_a_gap_and_the_events_after_it_are_stored_when_sent_again() throws Exception {
        assertThat(h.link.report(1, List.of(power(1, true)))).isEqualTo(1);

        assertThat(h.link.report(1, List.of(tamper(4)))).as("2 and 3 never arrived").isEqualTo(1);
        assertThat(audits("cabinet.tamper")).isZero();

        assertThat(h.link.report(1, List.of(event(2, Type.CAMERA, null, true), tamper(3)))).isEqualTo(3);
        assertThat(audits("cabinet.tamper")).isEqualTo(1);

        assertThat(h.link.report(1, List.of(tamper(4)))).isEqualTo(4);
        assertThat(audits("cabinet.tamper")).isEqualTo(2);
        assertThat(h.link.report(1, List.of(tamper(3), tamper(4)))).as("repeats").isEqualTo(4);
        assertThat(audits("cabinet.tamper")).isEqualTo(2);
    }

    @Test
    void events_of_one_request_are_taken_in_seq_order_up_to_the_first_gap() throws Exception {
        assertThat(h.link.report(1, List.of(tamper(3), power(1, false), tamper(2), tamper(5)))).isEqualTo(3);
        assertThat(audits("cabinet.tamper")).isEqualTo(2);
        assertThat(active(AlarmType.POWER_ON_BATTERY)).hasSize(1);

        assertThat(h.link.report(1, List.of(tamper(5), power(4, true)))).isEqualTo(5);
        assertThat(audits("cabinet.tamper")).isEqualTo(3);
        assertThat(active(AlarmType.POWER_ON_BATTERY)).isEmpty();
    }

    @Test
    void a_door_closed_after_a_gap_completes_the_deposit_only_once_the_gap_is_filled() throws Exception {
        DepositResult deposit = h.deposit(SizeClass.S, "13800001234");
        String label = deposit.compartment();
        List<CabinetEvent> closed = List.of(event(2, Type.DOOR, label, true), event(3, Type.OCCUPANCY, label, true));

        assertThat(h.link.report(1, closed)).isZero();
        assertThat(h.parcel(deposit.parcelId()).state()).isEqualTo(ParcelState.RESERVED);
        assertThat(h.notified).isEmpty();

        assertThat(h.link.report(1, List.of(event(1, Type.DOOR, label, false)))).isEqualTo(1);
        assertThat(h.link.report(1, closed)).isEqualTo(3);

        assertThat(h.parcel(deposit.parcelId()).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(h.notified).hasSize(1);
    }

    // --- D2: every boot has its own sequence ---

    @Test
    void a_door_closed_event_of_the_previous_boot_completes_the_deposit_after_the_restart() throws Exception {
        DepositResult deposit = h.deposit(SizeClass.S, "13800001234");
        String label = deposit.compartment();
        assertThat(h.link.report(1, List.of(event(1, Type.DOOR, label, false)))).isEqualTo(1);

        CabinetLink afterRestart = h.restart(2);
        List<CabinetEvent> queued = List.of(event(2, Type.DOOR, label, true), event(3, Type.OCCUPANCY, label, true));

        assertThat(afterRestart.report(1, queued)).isEqualTo(3);
        assertThat(h.parcel(deposit.parcelId()).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(h.notified).hasSize(1);
        assertThat(audits("cabinet.earlier_boot_events")).isEqualTo(1);

        assertThat(afterRestart.report(2, List.of(power(1, true)))).as("boot 2 counts from 1").isEqualTo(1);
        assertThat(afterRestart.report(1, queued)).as("a repeat of boot 1").isEqualTo(3);
        assertThat(afterRestart.report(2, List.of(tamper(3)))).as("a gap in boot 2").isEqualTo(1);
        assertThat(h.outbox("parcel.deposited")).hasSize(1);
        assertThat(h.store.<Long>query("SELECT acked_seq FROM cabinet WHERE cabinet_id = 'c1'", rs -> rs.getLong(1)))
                .isEqualTo(1);
    }

    @Test
    void an_event_of_the_previous_boot_still_clears_what_it_reports() throws Exception {
        h.link.report(1, List.of(power(1, false)));
        assertThat(active(AlarmType.POWER_ON_BATTERY)).hasSize(1);

        assertThat(h.restart(2).report(1, List.of(power(2, true)))).isEqualTo(2);

        assertThat(active(AlarmType.POWER_ON_BATTERY)).isEmpty();
    }

    @Test
    void events_of_a_boot_older_than_the_last_four_or_newer_than_the_registered_one_are_bad_events()
            throws Exception {
        for (long boot = 2; boot <= 6; boot++) {
            h.restart(boot);
        }

        LockerException old = catchThrowableOfType(LockerException.class, () -> h.link.report(2, List.of(tamper(1))));
        LockerException future = catchThrowableOfType(LockerException.class,
                () -> h.link.report(7, List.of(tamper(1))));

        assertThat(old.code()).isEqualTo("bad_event");
        assertThat(old.kind()).isEqualTo(LockerException.Kind.BAD_REQUEST);
        assertThat(old.extra()).containsEntry("field", "boot");
        assertThat(old.getMessage()).contains("older than the last 4 boots of cabinet c1 (boot 3-6)");
        assertThat(future.code()).isEqualTo("bad_event");
        assertThat(future.extra()).containsEntry("field", "boot");
        assertThat(future.getMessage()).contains("newer than the boot 6 cabinet c1 registered with");
        assertThat(audits("cabinet.tamper")).isZero();
        assertThat(h.link.report(3, List.of(tamper(1)))).isEqualTo(1);
        assertThat(boots("c1")).as("rows of boots 1 and 2 purged").containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void a_boot_never_acknowledged_starts_at_seq_one() throws Exception {
        h.restart(3); // the gateway never saw boot 2

        assertThat(h.link.report(2, List.of(tamper(4)))).isZero();
        assertThat(h.link.report(2, List.of(tamper(1), tamper(2)))).isEqualTo(2);
    }

    @Test
    void a_boot_from_before_the_gateway_kept_boot_rows_continues_at_the_first_event_the_cabinet_still_sends()
            throws Exception {
        // c9 was acknowledged by another gateway (or before store V2) up to some seq of boot 4; it now has boot 5
        CabinetLink c9 = h.attach("c9", "g2", new FakeDriver(), Harness.specs("S:91"), 5);

        assertThat(c9.report(4, List.of(tamper(7), power(8, true)))).isEqualTo(8);
        assertThat(audits("cabinet.boot_resumed")).isEqualTo(1);
        assertThat(c9.report(4, List.of(tamper(10)))).as("from here on the boot has a row: gaps stop").isEqualTo(8);
        assertThat(c9.report(4, List.of(tamper(9), tamper(10)))).isEqualTo(10);
    }

    @Test
    void a_boot_counter_that_went_back_restarts_the_event_history() throws Exception {
        assertThat(h.link.report(1, List.of(tamper(1), tamper(2)))).isEqualTo(2);
        h.restart(5);

        CabinetLink replaced = h.restart(1);

        assertThat(replaced.report(1, List.of(tamper(1)))).as("not a repeat: a new history").isEqualTo(1);
        assertThat(audits("cabinet.boot_reset")).isEqualTo(1);
        assertThat(boots("c1")).containsExactly(1L);
    }
}
