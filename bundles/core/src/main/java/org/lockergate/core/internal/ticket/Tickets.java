package org.lockergate.core.internal.ticket;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.locker.MaintenanceService;
import org.lockergate.api.maintenance.RepairTime;
import org.lockergate.api.maintenance.Ticket;
import org.lockergate.api.maintenance.TicketNote;
import org.lockergate.api.maintenance.TicketService;
import org.lockergate.api.maintenance.TicketState;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.events.Json;
import org.lockergate.store.StoreException;
import org.lockergate.store.StoreTx;

/**
 * Maintenance tickets. A fault alarm opens one in the alarm's own transaction ({@link #alarmRaised}), so no fault is
 * ever without its ticket; {@code open_key} (unique while not closed) keeps one ticket per fault and subject, and a
 * fault raised again counts on it. Each change writes its outbox event on the EVENTS stream and an audit row.
 */
public final class Tickets implements TicketService, Alarms.RaiseHook {

    /** The R14 alarms that mean something must be repaired (not the gateway's own alarms, not door_left_open). */
    public static final Set<AlarmType> DEFAULT_FAULTS = EnumSet.of(AlarmType.DOOR_JAMMED, AlarmType.FORCED_OPEN,
            AlarmType.ITEM_LEFT, AlarmType.ITEM_MISSING, AlarmType.CABINET_OFFLINE, AlarmType.BOARD_OFFLINE,
            AlarmType.CAMERA_OFFLINE, AlarmType.POWER_ON_BATTERY, AlarmType.FIRMWARE_FAILED);

    private static final int MAX_TEXT = 1000;

    private final Env env;
    private final MaintenanceService maintenance;
    private volatile Set<AlarmType> faults = DEFAULT_FAULTS;

    public Tickets(Env env, MaintenanceService maintenance) {
        this.env = env;
        this.maintenance = maintenance;
    }

    /** Which alarms open tickets (configuration). */
    public void faults(Set<AlarmType> types) {
        this.faults = types.isEmpty() ? EnumSet.noneOf(AlarmType.class) : EnumSet.copyOf(types);
    }

    public Set<AlarmType> faults() {
        return faults;
    }

    @Override
    public void alarmRaised(StoreTx tx, Alarm alarm) throws SQLException {
        if (!faults.contains(alarm.type()) || alarm.groupId() == null) {
            return;
        }
        openIn(tx, alarm.type().wireName(), alarm.alarmId(), alarm.groupId(), alarm.cabinetId(), alarm.compartment(),
                alarm.message(), "system");
    }

    @Override
    public Ticket open(String fault, String groupId, String cabinetId, String compartment, String description,
            String actor) throws LockerException {
        String what = word(fault, "fault");
        String group = word(groupId, "groupId");
        String who = actor(actor);
        return write("ticket.open", tx -> {
            if (Db.count(tx.connection(), "SELECT COUNT(*) FROM cabinet_group WHERE group_id = ?", group) == 0) {
                throw Errors.unknownGroup(group);
            }
            String cabinet = blankToNull(cabinetId);
            String label = blankToNull(compartment);
            if (label != null) {
                Optional<String> owner = Db.one(tx.connection(), "SELECT cabinet_id FROM compartment WHERE group_id = ? "
                        + "AND label = ?", rs -> rs.getString(1), group, label);
                if (owner.isEmpty()) {
                    throw Errors.notFound("compartment " + group + "/" + label);
                }
                cabinet = cabinet == null ? owner.get() : cabinet;
            }
            long id = openIn(tx, what, null, group, cabinet, label, text(description), who);
            return byId(tx.connection(), id).orElseThrow();
        });
    }

    /** Opens (or counts on the open ticket of the same fault and subject); returns the ticket id. */
    private long openIn(StoreTx tx, String fault, Long alarmId, String groupId, String cabinetId, String compartment,
            String description, String who) throws SQLException {
        Connection c = tx.connection();
        Instant now = env.now();
        String key = fault + "|" + groupId + "|" + nz(cabinetId) + "|" + nz(compartment);
        Optional<Long> existing = Db.one(c, "SELECT ticket_id FROM maintenance_ticket WHERE open_key = ?",
                rs -> rs.getLong(1), key);
        if (existing.isPresent()) {
            Db.update(c, "UPDATE maintenance_ticket SET occurrences = occurrences + 1 WHERE ticket_id = ?",
                    existing.get());
            addNote(c, existing.get(), now, who, alarmId == null ? "再次报告 / reported again"
                    : "告警再次触发 / alarm raised again (alarm " + alarmId + ")");
            tx.audit(now, who, "ticket.repeated", "ticket:" + existing.get(), fault + " " + key);
            return existing.get();
        }
        String vendor = cabinetId == null ? null : Db.one(c, "SELECT vendor FROM cabinet WHERE cabinet_id = ?",
                rs -> rs.getString(1), cabinetId).orElse(null);
        long id = Db.insert(c, "INSERT INTO maintenance_ticket(fault, alarm_id, group_id, cabinet_id, compartment, "
                + "vendor, description, state, opened_at, opened_by, open_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                fault, alarmId, groupId, cabinetId, compartment, vendor, description, TicketState.OPEN, now, who, key);
        env.events().outbox(tx, Stream.EVENTS, "ticket.opened", now, Json.obj("ticketId", id, "fault", fault,
                "alarmId", alarmId, "groupId", groupId, "cabinetId", cabinetId, "compartment", compartment,
                "vendor", vendor, "description", description, "openedBy", who, "ts", env.iso(now)));
        tx.audit(now, who, "ticket.opened", "ticket:" + id, fault + " " + key);
        return id;
    }

    @Override
    public List<Ticket> tickets(List<TicketState> states, String groupId, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM maintenance_ticket WHERE 1 = 1");
        if (states != null && !states.isEmpty()) {
            sql.append(" AND state IN (").append(Db.marks(states.size())).append(')');
            states.forEach(s -> args.add(s.name()));
        }
        if (groupId != null) {
            sql.append(" AND group_id = ?");
            args.add(groupId);
        }
        sql.append(" ORDER BY opened_at DESC, ticket_id DESC LIMIT ?");
        args.add(Math.max(1, Math.min(limit, 10_000)));
        return read(tx -> {
            List<Ticket> rows = Db.query(tx.connection(), sql.toString(), Tickets::map, args.toArray());
            List<Ticket> out = new ArrayList<>(rows.size());
            for (Ticket t : rows) {
                out.add(withNotes(tx.connection(), t));
            }
            return out;
        });
    }

    @Override
    public Optional<Ticket> ticket(long ticketId) {
        return read(tx -> byId(tx.connection(), ticketId));
    }

    @Override
    public Ticket take(long ticketId, String actor) throws LockerException {
        String who = actor(actor);
        return write("ticket.take", tx -> {
            Ticket t = notClosed(tx.connection(), ticketId);
            if (t.state() == TicketState.TAKEN && who.equals(t.takenBy())) {
                return t;
            }
            Instant now = env.now();
            Db.update(tx.connection(), "UPDATE maintenance_ticket SET state = ?, taken_at = ?, taken_by = ? "
                    + "WHERE ticket_id = ?", TicketState.TAKEN, now, who, ticketId);
            if (t.takenBy() != null) {
                addNote(tx.connection(), ticketId, now, who, "接手（原处理人 " + t.takenBy() + "） / taken over from "
                        + t.takenBy());
            }
            env.events().outbox(tx, Stream.EVENTS, "ticket.taken", now, Json.obj("ticketId", ticketId,
                    "fault", t.fault(), "groupId", t.groupId(), "cabinetId", t.cabinetId(), "compartment",
                    t.compartment(), "takenBy", who, "previouslyTakenBy", t.takenBy(), "ts", env.iso(now)));
            tx.audit(now, who, "ticket.taken", "ticket:" + ticketId, t.fault());
            return byId(tx.connection(), ticketId).orElseThrow();
        });
    }

    @Override
    public Ticket note(long ticketId, String actor, String text) throws LockerException {
        String who = actor(actor);
        String note = text(text);
        if (note == null) {
            throw Errors.badRequest("note_required", "请填写记录内容", "The note is empty");
        }
        return write("ticket.note", tx -> {
            Ticket t = notClosed(tx.connection(), ticketId);
            Instant now = env.now();
            addNote(tx.connection(), ticketId, now, who, note);
            env.events().outbox(tx, Stream.EVENTS, "ticket.noted", now, Json.obj("ticketId", ticketId,
                    "fault", t.fault(), "groupId", t.groupId(), "by", who, "ts", env.iso(now)));
            tx.audit(now, who, "ticket.noted", "ticket:" + ticketId, note);
            return byId(tx.connection(), ticketId).orElseThrow();
        });
    }

    @Override
    public Ticket close(long ticketId, String actor, String resolution, boolean enableCompartment)
            throws LockerException {
        String who = actor(actor);
        String how = text(resolution);
        if (how == null) {
            throw Errors.badRequest("resolution_required", "关闭工单必须填写处理结果",
                    "Closing a ticket needs a resolution");
        }
        Ticket before = ticket(ticketId).orElseThrow(() -> Errors.notFound("ticket " + ticketId));
        if (before.state() == TicketState.CLOSED) {
            throw closed(ticketId);
        }
        if (enableCompartment) {
            if (before.compartment() == null) {
                throw Errors.badRequest("no_compartment", "此工单不涉及格口", "This ticket names no compartment");
            }
            // its own audited transaction in the maintenance service: enabling clears door_jammed as well
            maintenance.enable(before.groupId(), before.compartment(), who, "工单 " + ticketId + " / ticket "
                    + ticketId + ": " + how);
        }
        return write("ticket.close", tx -> {
            Ticket t = notClosed(tx.connection(), ticketId);
            Instant now = env.now();
            Db.update(tx.connection(), "UPDATE maintenance_ticket SET state = ?, closed_at = ?, closed_by = ?, "
                    + "resolution = ?, open_key = NULL WHERE ticket_id = ?", TicketState.CLOSED, now, who, how,
                    ticketId);
            long seconds = Duration.between(t.openedAt(), now).toSeconds();
            env.events().outbox(tx, Stream.EVENTS, "ticket.closed", now, Json.obj("ticketId", ticketId,
                    "fault", t.fault(), "groupId", t.groupId(), "cabinetId", t.cabinetId(), "compartment",
                    t.compartment(), "vendor", t.vendor(), "closedBy", who, "resolution", how,
                    "compartmentEnabled", enableCompartment, "openedAt", env.iso(t.openedAt()),
                    "repairSeconds", seconds, "ts", env.iso(now)));
            tx.audit(now, who, "ticket.closed", "ticket:" + ticketId, how);
            return byId(tx.connection(), ticketId).orElseThrow();
        });
    }

    @Override
    public List<RepairTime> repairTimesByVendor(Instant from, Instant to) {
        return repairTimes(from, to, t -> t.vendor() == null ? "-" : t.vendor());
    }

    @Override
    public List<RepairTime> repairTimesByGroup(Instant from, Instant to) {
        return repairTimes(from, to, Ticket::groupId);
    }

    private List<RepairTime> repairTimes(Instant from, Instant to, Function<Ticket, String> key) {
        List<Ticket> closed = read(tx -> Db.query(tx.connection(), "SELECT * FROM maintenance_ticket WHERE "
                + "state = 'CLOSED' AND closed_at >= ? AND closed_at < ?", Tickets::map, from, to));
        Map<String, long[]> sums = new TreeMap<>(); // count, total seconds, max seconds
        for (Ticket t : closed) {
            long s = t.repairTime().toSeconds();
            long[] acc = sums.computeIfAbsent(key.apply(t), k -> new long[3]);
            acc[0]++;
            acc[1] += s;
            acc[2] = Math.max(acc[2], s);
        }
        List<RepairTime> out = new ArrayList<>();
        sums.forEach((k, acc) -> out.add(new RepairTime(k, (int) acc[0], acc[1] / acc[0], acc[2])));
        return out;
    }

    /** Open and taken tickets per fault (metrics, shell). */
    public Map<String, Long> openByFault() {
        return read(tx -> {
            Map<String, Long> out = new TreeMap<>();
            for (Object[] row : Db.query(tx.connection(), "SELECT fault, COUNT(*) FROM maintenance_ticket WHERE "
                    + "state <> 'CLOSED' GROUP BY fault", rs -> new Object[] {rs.getString(1), rs.getLong(2)})) {
                out.put((String) row[0], (Long) row[1]);
            }
            return out;
        });
    }

    // --- helpers ---

    private Ticket notClosed(Connection c, long ticketId) throws SQLException, LockerException {
        Ticket t = byId(c, ticketId).orElseThrow(() -> Errors.notFound("ticket " + ticketId));
        if (t.state() == TicketState.CLOSED) {
            throw closed(ticketId);
        }
        return t;
    }

    private static LockerException closed(long ticketId) {
        return Errors.of(Kind.CONFLICT, "ticket_closed", "工单 " + ticketId + " 已关闭",
                "Ticket " + ticketId + " is already closed");
    }

    private static Optional<Ticket> byId(Connection c, long ticketId) throws SQLException {
        Optional<Ticket> t = Db.one(c, "SELECT * FROM maintenance_ticket WHERE ticket_id = ?", Tickets::map,
                ticketId);
        return t.isPresent() ? Optional.of(withNotes(c, t.get())) : t;
    }

    private static Ticket withNotes(Connection c, Ticket t) throws SQLException {
        List<TicketNote> notes = Db.query(c, "SELECT ts, actor, text FROM maintenance_ticket_note WHERE ticket_id = ? "
                + "ORDER BY id", rs -> new TicketNote(Db.instant(rs, "ts"), rs.getString("actor"),
                        rs.getString("text")), t.ticketId());
        return new Ticket(t.ticketId(), t.state(), t.fault(), t.alarmId(), t.groupId(), t.cabinetId(),
                t.compartment(), t.vendor(), t.description(), t.occurrences(), t.openedAt(), t.openedBy(),
                t.takenAt(), t.takenBy(), t.closedAt(), t.closedBy(), t.resolution(), notes);
    }

    private static void addNote(Connection c, long ticketId, Instant at, String who, String text) throws SQLException {
        Db.insert(c, "INSERT INTO maintenance_ticket_note(ticket_id, ts, actor, text) VALUES (?, ?, ?, ?)", ticketId,
                at, who, text);
    }

    static Ticket map(ResultSet rs) throws SQLException {
        long alarm = rs.getLong("alarm_id");
        Long alarmId = rs.wasNull() ? null : alarm;
        return new Ticket(rs.getLong("ticket_id"), TicketState.valueOf(rs.getString("state")), rs.getString("fault"),
                alarmId, rs.getString("group_id"), rs.getString("cabinet_id"), rs.getString("compartment"),
                rs.getString("vendor"), rs.getString("description"), rs.getInt("occurrences"),
                Db.instant(rs, "opened_at"), rs.getString("opened_by"), Db.instant(rs, "taken_at"),
                rs.getString("taken_by"), Db.instant(rs, "closed_at"), rs.getString("closed_by"),
                rs.getString("resolution"), List.of());
    }

    private <T> T write(String purpose, org.lockergate.store.StoreWork<T> work) throws LockerException {
        try {
            return env.store().write(purpose, work);
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    private <T> T read(org.lockergate.store.StoreWork<T> work) {
        try {
            return env.store().read(work);
        } catch (StoreException | LockerException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A short identifier (fault word, group id): required, at most 32/64 characters of [A-Za-z0-9_.-]. */
    private static String word(String value, String field) throws LockerException {
        String v = blankToNull(value);
        if (v == null) {
            throw Errors.badRequest("bad_request", "缺少字段 " + field, "Missing field " + field);
        }
        if (v.length() > 32 || !v.matches("[A-Za-z0-9_.-]+")) {
            throw Errors.badRequest("bad_request", "字段 " + field + " 无效", "Invalid field " + field);
        }
        return v;
    }

    static String text(String value) {
        String v = blankToNull(value);
        return v == null || v.length() <= MAX_TEXT ? v : v.substring(0, MAX_TEXT);
    }

    static String actor(String actor) {
        return actor == null || actor.isBlank() ? "unknown" : actor.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
