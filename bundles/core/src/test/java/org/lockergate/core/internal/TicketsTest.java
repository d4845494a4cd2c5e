package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.maintenance.InspectionRound;
import org.lockergate.api.maintenance.RepairTime;
import org.lockergate.api.maintenance.RoundKind;
import org.lockergate.api.maintenance.Ticket;
import org.lockergate.api.maintenance.TicketState;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.core.internal.ticket.Rounds;

class TicketsTest {

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

    private List<Ticket> open() {
        return h.core.tickets.tickets(List.of(TicketState.OPEN, TicketState.TAKEN), null, 100);
    }

    @Test
    void a_jammed_door_opens_one_ticket_in_the_alarms_transaction_with_its_outbox_event() throws Exception {
        h.driver.answer("1", FakeDriver.Answer.JAMMED);

        h.deposit(SizeClass.S, "13800001234");

        Ticket t = open().get(0);
        assertThat(open()).hasSize(1);
        assertThat(t.fault()).isEqualTo("door_jammed");
        assertThat(t.state()).isEqualTo(TicketState.OPEN);
        assertThat(t.groupId()).isEqualTo("g1");
        assertThat(t.cabinetId()).isEqualTo("c1");
        assertThat(t.compartment()).isEqualTo("1");
        assertThat(t.vendor()).isEqualTo("fake");
        assertThat(t.openedBy()).isEqualTo("system");
        assertThat(t.openedAt()).isEqualTo(Harness.START);
        assertThat(t.alarmId()).isEqualTo(h.alarms(AlarmType.DOOR_JAMMED).get(0).alarmId());
        assertThat(h.outbox("ticket.opened")).singleElement()
                .satisfies(e -> assertThat(h.data(e)).containsEntry("fault", "door_jammed")
                        .containsEntry("compartment", "1").containsEntry("ticketId", (int) t.ticketId()));
    }

    @Test
    void a_fault_raised_again_while_its_ticket_is_open_counts_on_that_ticket() throws Exception {
        h.core.alarms.raise(AlarmType.FORCED_OPEN, "g1", "c1", "3", "forced");
        h.core.alarms.clear(AlarmType.FORCED_OPEN, "g1", "c1", "3");
        h.clock.advance(Duration.ofMinutes(5));
        h.core.alarms.raise(AlarmType.FORCED_OPEN, "g1", "c1", "3", "forced again");
        h.core.tickets.open("forced_open", "g1", null, "3", "staff saw it too", "operator:wang");

        assertThat(open()).singleElement().satisfies(t -> {
            assertThat(t.occurrences()).isEqualTo(3);
            assertThat(t.notes()).hasSize(2);
        });
        assertThat(h.outbox("ticket.opened")).hasSize(1);
    }

    @Test
    void alarms_that_are_not_faults_open_no_ticket() {
        h.core.alarms.raise(AlarmType.DOOR_LEFT_OPEN, "g1", "c1", "3", "open");
        h.core.alarms.raise(AlarmType.UPSTREAM_OFFLINE, null, null, null, "cloud gone");

        assertThat(open()).isEmpty();
    }

    @Test
    void a_ticket_is_taken_noted_and_closed_and_closing_reenables_the_compartment() throws Exception {
        h.driver.answer("1", FakeDriver.Answer.JAMMED);
        h.deposit(SizeClass.S, "13800001234");
        long id = open().get(0).ticketId();

        h.clock.advance(Duration.ofMinutes(10));
        Ticket taken = h.core.tickets.take(id, "operator:tech");
        h.core.tickets.note(id, "operator:tech", "门锁舌卡住，已润滑");
        h.clock.advance(Duration.ofMinutes(35));
        h.driver.answer("1", FakeDriver.Answer.OPENED);
        Ticket closed = h.core.tickets.close(id, "operator:tech", "lock replaced", true);

        assertThat(taken.state()).isEqualTo(TicketState.TAKEN);
        assertThat(taken.takenBy()).isEqualTo("operator:tech");
        assertThat(closed.state()).isEqualTo(TicketState.CLOSED);
        assertThat(closed.repairTime()).isEqualTo(Duration.ofMinutes(45));
        assertThat(closed.notes()).extracting(n -> n.text()).containsExactly("门锁舌卡住，已润滑");
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FREE);
        assertThat(h.alarms(AlarmType.DOOR_JAMMED)).allSatisfy(a -> assertThat(a.active()).isFalse());
        assertThat(h.outbox("ticket.taken")).hasSize(1);
        assertThat(h.outbox("ticket.closed")).singleElement()
                .satisfies(e -> assertThat(h.data(e)).containsEntry("repairSeconds", 2700)
                        .containsEntry("closedBy", "operator:tech"));
        assertThat(h.core.queries.audit(Harness.START, 1000)).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("ticket.closed");
            assertThat(a.actor()).isEqualTo("operator:tech");
        });
        assertThatThrownBy(() -> h.core.tickets.take(id, "operator:other"))
                .isInstanceOfSatisfying(LockerException.class, e -> assertThat(e.code()).isEqualTo("ticket_closed"));
    }

    @Test
    void after_closing_the_same_fault_opens_a_new_ticket() throws Exception {
        h.core.alarms.raise(AlarmType.BOARD_OFFLINE, "g1", "c1", null, "board 1");
        long first = open().get(0).ticketId();
        h.core.tickets.close(first, "operator:tech", "cable fixed", false);
        h.core.alarms.clear(AlarmType.BOARD_OFFLINE, "g1", "c1", null);
        h.core.alarms.raise(AlarmType.BOARD_OFFLINE, "g1", "c1", null, "board 1 again");

        assertThat(open()).singleElement().satisfies(t -> assertThat(t.ticketId()).isNotEqualTo(first));
    }

    @Test
    void closing_needs_a_resolution_and_a_manual_ticket_needs_a_known_group() {
        assertThatThrownBy(() -> h.core.tickets.open("broken_screen", "nope", null, null, "x", "operator:a"))
                .isInstanceOfSatisfying(LockerException.class, e -> assertThat(e.code()).isEqualTo("unknown_group"));
        assertThatThrownBy(() -> h.core.tickets.close(1, "operator:a", " ", false))
                .isInstanceOfSatisfying(LockerException.class,
                        e -> assertThat(e.code()).isEqualTo("resolution_required"));
        assertThatThrownBy(() -> h.core.tickets.take(999, "operator:a"))
                .isInstanceOfSatisfying(LockerException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
    }

    @Test
    void mean_time_to_repair_per_vendor_and_per_group() throws Exception {
        h.core.alarms.raise(AlarmType.DOOR_JAMMED, "g1", "c1", "2", "jam");
        h.core.tickets.open("broken_screen", "g2", null, null, "screen dark", "operator:wang");
        List<Ticket> both = open();
        h.clock.advance(Duration.ofMinutes(30));
        h.core.tickets.close(both.stream().filter(t -> t.fault().equals("door_jammed")).findFirst().orElseThrow()
                .ticketId(), "operator:tech", "fixed", false);
        h.clock.advance(Duration.ofMinutes(60));
        h.core.tickets.close(both.stream().filter(t -> t.fault().equals("broken_screen")).findFirst().orElseThrow()
                .ticketId(), "operator:tech", "fixed", false);
        Instant from = Harness.START;
        Instant to = Harness.START.plus(Duration.ofDays(1));

        assertThat(h.core.tickets.repairTimesByVendor(from, to)).containsExactly(
                new RepairTime("-", 1, 5400, 5400), new RepairTime("fake", 1, 1800, 1800));
        assertThat(h.core.tickets.repairTimesByGroup(from, to)).containsExactly(
                new RepairTime("g1", 1, 1800, 1800), new RepairTime("g2", 1, 5400, 5400));
        assertThat(h.core.tickets.repairTimesByGroup(to, to.plusSeconds(60))).isEmpty();
    }

    @Test
    void a_daily_cleaning_round_is_due_at_its_slot_becomes_overdue_and_is_completed_with_its_checklist()
            throws Exception {
        // START is 2025-03-03T10:00+08:00; the daily round is at 09:00 local, so the first one is due the next day
        h.core.rounds.put(new Rounds.Schedule("g1-clean", "g1", RoundKind.CLEANING, "每日清洁 / daily cleaning",
                List.of("screen", "doors", "floor"), Duration.ofHours(24), LocalDate.parse("2024-01-01"),
                LocalTime.of(9, 0), Duration.ofHours(2)));

        InspectionRound due = h.core.rounds.rounds("g1", false, 10).get(0);
        assertThat(due.dueAt()).isEqualTo(Instant.parse("2025-03-04T01:00:00Z"));
        assertThat(h.core.rounds.overdue()).isEmpty();

        h.clock.set(Instant.parse("2025-03-04T02:59:59Z"));
        assertThat(h.core.rounds.overdue()).isEmpty();
        h.clock.set(Instant.parse("2025-03-04T03:00:00Z"));
        assertThat(h.core.rounds.overdue()).extracting(InspectionRound::roundId).containsExactly(due.roundId());
        assertThat(h.core.rounds.rounds("g1", false, 10)).hasSize(1); // still one pending round

        assertThatThrownBy(() -> h.core.rounds.complete(due.roundId(), "operator:li", List.of("roof"), null))
                .isInstanceOfSatisfying(LockerException.class, e -> assertThat(e.code()).isEqualTo("unknown_item"));
        InspectionRound done = h.core.rounds.complete(due.roundId(), "operator:li", List.of("screen", "doors"),
                "floor wet");

        assertThat(done.completedBy()).isEqualTo("operator:li");
        assertThat(done.ticked()).containsExactly("screen", "doors");
        assertThat(h.outbox("inspection.completed")).singleElement().satisfies(e -> assertThat(h.data(e))
                .containsEntry("overdue", true).containsEntry("missed", List.of("floor")));
        InspectionRound next = h.core.rounds.rounds("g1", false, 10).get(0);
        assertThat(next.dueAt()).isEqualTo(Instant.parse("2025-03-05T01:00:00Z"));
        assertThat(h.core.rounds.overdue()).isEmpty();
        assertThatThrownBy(() -> h.core.rounds.complete(due.roundId(), "operator:li", List.of("screen"), null))
                .isInstanceOfSatisfying(LockerException.class, e -> assertThat(e.code()).isEqualTo("round_completed"));
    }

    @Test
    void a_weekly_inspection_falls_on_the_anchors_weekday() {
        // 2024-01-01 is a Monday; START (2025-03-03) is a Monday 10:00 local, after the 09:00 slot
        h.core.rounds.put(new Rounds.Schedule("g1-weekly", "g1", RoundKind.INSPECTION, "weekly",
                List.of("locks"), Duration.ofHours(168), LocalDate.parse("2024-01-01"), LocalTime.of(9, 0),
                Duration.ofHours(2)));

        assertThat(h.core.rounds.rounds(null, false, 10)).singleElement()
                .satisfies(r -> assertThat(r.dueAt()).isEqualTo(Instant.parse("2025-03-10T01:00:00Z")));
    }
}
