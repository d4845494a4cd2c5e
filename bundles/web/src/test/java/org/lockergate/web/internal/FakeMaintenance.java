package org.lockergate.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.maintenance.InspectionRound;
import org.lockergate.api.maintenance.InspectionService;
import org.lockergate.api.maintenance.RepairTime;
import org.lockergate.api.maintenance.RoundKind;
import org.lockergate.api.maintenance.Ticket;
import org.lockergate.api.maintenance.TicketNote;
import org.lockergate.api.maintenance.TicketService;
import org.lockergate.api.maintenance.TicketState;

/**
 * In-memory tickets and rounds with the core's refusals (closed tickets, unknown items); records every actor, so
 * tests see who the API said acted. The core's own behaviour is tested in the core bundle.
 */
final class FakeMaintenance implements TicketService, InspectionService {

    static final Instant T0 = Instant.parse("2025-03-03T02:00:00Z");

    final Map<Long, Ticket> tickets = new ConcurrentHashMap<>();
    final Map<Long, InspectionRound> rounds = new ConcurrentHashMap<>();
    final List<String> actions = new CopyOnWriteArrayList<>();
    final List<String> enabled = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    volatile Instant now = T0;

    Ticket add(String fault, String groupId, String compartment) {
        long id = ids.incrementAndGet();
        Ticket t = new Ticket(id, TicketState.OPEN, fault, 7L, groupId, "c1", compartment, "coap", "door", 1, now,
                "system", null, null, null, null, null, List.of());
        tickets.put(id, t);
        return t;
    }

    InspectionRound addRound(Instant due) {
        long id = ids.incrementAndGet();
        InspectionRound r = new InspectionRound(id, "g1-clean", "g1", RoundKind.CLEANING, "daily cleaning",
                List.of("screen", "doors"), due, due.plusSeconds(7200), null, null, List.of(), null);
        rounds.put(id, r);
        return r;
    }

    @Override
    public Ticket open(String fault, String groupId, String cabinetId, String compartment, String description,
            String actor) throws LockerException {
        if (!groupId.equals("g1")) {
            throw new LockerException(Kind.NOT_FOUND, "unknown_group", "未知的柜组 / Unknown group");
        }
        actions.add("open " + actor);
        return add(fault, groupId, compartment);
    }

    @Override
    public List<Ticket> tickets(List<TicketState> states, String groupId, int limit) {
        return tickets.values().stream().filter(t -> states.isEmpty() || states.contains(t.state()))
                .filter(t -> groupId == null || groupId.equals(t.groupId())).limit(limit).toList();
    }

    @Override
    public Optional<Ticket> ticket(long ticketId) {
        return Optional.ofNullable(tickets.get(ticketId));
    }

    private Ticket notClosed(long id) throws LockerException {
        Ticket t = tickets.get(id);
        if (t == null) {
            throw new LockerException(Kind.NOT_FOUND, "not_found", "未找到 / Not found");
        }
        if (t.state() == TicketState.CLOSED) {
            throw new LockerException(Kind.CONFLICT, "ticket_closed", "已关闭 / closed");
        }
        return t;
    }

    @Override
    public Ticket take(long id, String actor) throws LockerException {
        Ticket t = notClosed(id);
        actions.add("take " + actor);
        return put(new Ticket(id, TicketState.TAKEN, t.fault(), t.alarmId(), t.groupId(), t.cabinetId(),
                t.compartment(), t.vendor(), t.description(), t.occurrences(), t.openedAt(), t.openedBy(), now, actor,
                null, null, null, t.notes()));
    }

    @Override
    public Ticket note(long id, String actor, String text) throws LockerException {
        Ticket t = notClosed(id);
        actions.add("note " + actor);
        List<TicketNote> notes = new ArrayList<>(t.notes());
        notes.add(new TicketNote(now, actor, text));
        return put(new Ticket(id, t.state(), t.fault(), t.alarmId(), t.groupId(), t.cabinetId(), t.compartment(),
                t.vendor(), t.description(), t.occurrences(), t.openedAt(), t.openedBy(), t.takenAt(), t.takenBy(),
                null, null, null, notes));
    }

    @Override
    public Ticket close(long id, String actor, String resolution, boolean enableCompartment) throws LockerException {
        Ticket t = notClosed(id);
        actions.add("close " + actor);
        if (enableCompartment) {
            enabled.add(t.groupId() + "/" + t.compartment());
        }
        return put(new Ticket(id, TicketState.CLOSED, t.fault(), t.alarmId(), t.groupId(), t.cabinetId(),
                t.compartment(), t.vendor(), t.description(), t.occurrences(), t.openedAt(), t.openedBy(),
                t.takenAt(), t.takenBy(), now, actor, resolution, t.notes()));
    }

    private Ticket put(Ticket t) {
        tickets.put(t.ticketId(), t);
        return t;
    }

    @Override
    public List<RepairTime> repairTimesByVendor(Instant from, Instant to) {
        return List.of(new RepairTime("coap", 2, 1800, 2400));
    }

    @Override
    public List<RepairTime> repairTimesByGroup(Instant from, Instant to) {
        return List.of(new RepairTime("g1", 2, 1800, 2400));
    }

    @Override
    public List<InspectionRound> rounds(String groupId, boolean includeCompleted, int limit) {
        return rounds.values().stream().filter(r -> includeCompleted || !r.completed()).limit(limit).toList();
    }

    @Override
    public List<InspectionRound> overdue() {
        return rounds.values().stream().filter(r -> r.overdue(now)).toList();
    }

    @Override
    public InspectionRound complete(long roundId, String actor, List<String> ticked, String note)
            throws LockerException {
        InspectionRound r = rounds.get(roundId);
        if (r == null) {
            throw new LockerException(Kind.NOT_FOUND, "not_found", "未找到 / Not found");
        }
        if (r.completed()) {
            throw new LockerException(Kind.CONFLICT, "round_completed", "已完成 / done");
        }
        for (String item : ticked) {
            if (!r.checklist().contains(item)) {
                throw new LockerException(Kind.BAD_REQUEST, "unknown_item", "x / x", Map.of("item", item));
            }
        }
        actions.add("complete " + actor);
        InspectionRound done = new InspectionRound(r.roundId(), r.scheduleId(), r.groupId(), r.kind(), r.name(),
                r.checklist(), r.dueAt(), r.overdueAt(), now, actor, ticked, note);
        rounds.put(roundId, done);
        return done;
    }
}
