package org.lockergate.core.internal.ticket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.maintenance.InspectionRound;
import org.lockergate.api.maintenance.InspectionService;
import org.lockergate.api.maintenance.RoundKind;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.events.Json;
import org.lockergate.store.StoreException;
import org.lockergate.store.StoreTx;

/**
 * Scheduled inspection and cleaning rounds. Each configured schedule has at most one pending round; its due time is
 * the schedule's next slot (anchor date at the start time, plus whole periods) after the previous round's due and
 * completion times, computed with the gateway clock in the community's zone. Pending rounds are created lazily when
 * rounds are read or completed, so a gateway that was off simply shows the round as overdue.
 */
public final class Rounds implements InspectionService {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One configured schedule.
     *
     * @param every the period (24 h daily, 168 h weekly)
     * @param anchor a date on which a slot falls (weekly rounds fall on its weekday)
     * @param at the local time of each slot
     * @param grace how long after due a round becomes overdue
     */
    public record Schedule(String scheduleId, String groupId, RoundKind kind, String name, List<String> checklist,
            Duration every, LocalDate anchor, LocalTime at, Duration grace) {

        public Schedule {
            Objects.requireNonNull(scheduleId, "scheduleId");
            Objects.requireNonNull(groupId, "groupId");
            checklist = List.copyOf(checklist);
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("every must be positive");
            }
        }
    }

    private final Env env;
    private final Map<String, Schedule> schedules = new ConcurrentHashMap<>();

    public Rounds(Env env) {
        this.env = env;
    }

    public void put(Schedule schedule) {
        schedules.put(schedule.scheduleId(), schedule);
    }

    public void remove(String scheduleId) {
        schedules.remove(scheduleId);
    }

    @Override
    public List<InspectionRound> rounds(String groupId, boolean includeCompleted, int limit) {
        ensureDue();
        Set<String> ids = schedules.keySet();
        if (ids.isEmpty() && !includeCompleted) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM inspection_round WHERE ");
        if (includeCompleted) {
            sql.append("(completed_at IS NOT NULL");
            if (!ids.isEmpty()) {
                sql.append(" OR schedule_id IN (").append(Db.marks(ids.size())).append(')');
                args.addAll(ids);
            }
            sql.append(')');
        } else {
            sql.append("completed_at IS NULL AND schedule_id IN (").append(Db.marks(ids.size())).append(')');
            args.addAll(ids);
        }
        if (groupId != null) {
            sql.append(" AND group_id = ?");
            args.add(groupId);
        }
        sql.append(" ORDER BY completed_at IS NOT NULL, due_at DESC, round_id DESC LIMIT ?");
        args.add(Math.max(1, Math.min(limit, 10_000)));
        return read(tx -> Db.query(tx.connection(), sql.toString(), Rounds::map, args.toArray()));
    }

    @Override
    public List<InspectionRound> overdue() {
        Instant now = env.now();
        return rounds(null, false, 10_000).stream().filter(r -> r.overdue(now)).toList();
    }

    @Override
    public InspectionRound complete(long roundId, String actor, List<String> ticked, String note)
            throws LockerException {
        String who = Tickets.actor(actor);
        String remark = Tickets.text(note);
        if (ticked == null || ticked.isEmpty()) {
            throw Errors.badRequest("checklist_required", "请勾选已完成的检查项", "Tick the checklist items done");
        }
        ensureDue();
        try {
            return env.store().write("inspection.complete", tx -> {
                InspectionRound r = byId(tx.connection(), roundId)
                        .orElseThrow(() -> Errors.notFound("round " + roundId));
                if (r.completed()) {
                    throw Errors.of(Kind.CONFLICT, "round_completed", "该轮次已完成", "This round is already completed");
                }
                Set<String> done = new LinkedHashSet<>();
                for (String item : ticked) {
                    String i = item == null ? "" : item.strip();
                    if (!r.checklist().contains(i)) {
                        throw Errors.of(Kind.BAD_REQUEST, "unknown_item", "检查项不在清单中：" + i,
                                "Not on the checklist: " + i, Errors.extra("item", i));
                    }
                    done.add(i);
                }
                List<String> missed = r.checklist().stream().filter(i -> !done.contains(i)).toList();
                Instant now = env.now();
                Db.update(tx.connection(), "UPDATE inspection_round SET completed_at = ?, completed_by = ?, ticked = ?, "
                        + "note = ? WHERE round_id = ?", now, who, list(new ArrayList<>(done)), remark, roundId);
                env.events().outbox(tx, Stream.EVENTS, "inspection.completed", now, Json.obj("roundId", roundId,
                        "scheduleId", r.scheduleId(), "groupId", r.groupId(), "kind", r.kind().name(),
                        "name", r.name(), "dueAt", env.iso(r.dueAt()), "overdue", r.overdue(now),
                        "completedBy", who, "ticked", new ArrayList<>(done), "missed", missed, "note", remark,
                        "ts", env.iso(now)));
                tx.audit(now, who, "inspection.completed", "round:" + roundId, r.groupId() + " " + r.name() + " "
                        + done.size() + "/" + r.checklist().size());
                Schedule s = schedules.get(r.scheduleId());
                if (s != null) {
                    schedule(tx, s, next(s, later(r.dueAt(), now)));
                }
                return byId(tx.connection(), roundId).orElseThrow();
            });
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    /** Creates the pending round of every schedule that has none. */
    public synchronized void ensureDue() {
        for (Schedule s : List.copyOf(schedules.values())) {
            try {
                // the common case (a round is pending) stays a read: no commit, no fsync per scrape or listing
                if (env.store().read(tx -> Db.count(tx.connection(), "SELECT COUNT(*) FROM inspection_round WHERE "
                        + "schedule_id = ? AND completed_at IS NULL", s.scheduleId())) > 0) {
                    continue;
                }
                env.store().write("inspection.schedule", tx -> {
                    Connection c = tx.connection();
                    if (Db.count(c, "SELECT COUNT(*) FROM inspection_round WHERE schedule_id = ? AND completed_at IS NULL",
                            s.scheduleId()) > 0) {
                        return null;
                    }
                    Optional<Instant[]> last = Db.one(c, "SELECT due_at, completed_at FROM inspection_round WHERE "
                            + "schedule_id = ? ORDER BY due_at DESC LIMIT 1", rs -> new Instant[] {
                                Db.instant(rs, "due_at"), Db.instant(rs, "completed_at")}, s.scheduleId());
                    Instant due = last.isPresent() ? next(s, later(last.get()[0], last.get()[1]))
                            : first(s, env.now());
                    schedule(tx, s, due);
                    return null;
                });
            } catch (StoreException | LockerException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    private void schedule(StoreTx tx, Schedule s, Instant due) throws SQLException {
        Instant now = env.now();
        long id = Db.insert(tx.connection(), "INSERT INTO inspection_round(schedule_id, group_id, kind, name, checklist, "
                + "due_at, overdue_at) VALUES (?, ?, ?, ?, ?, ?, ?)", s.scheduleId(), s.groupId(), s.kind(), s.name(),
                list(s.checklist()), due, due.plus(s.grace()));
        tx.audit(now, "system", "inspection.scheduled", "round:" + id, s.groupId() + " " + s.name() + " due "
                + env.iso(due));
    }

    /** The first slot at or after {@code from}. */
    Instant first(Schedule s, Instant from) {
        Instant base = s.anchor().atTime(s.at()).atZone(env.clock().zone()).toInstant();
        long every = s.every().toMillis();
        long delta = Duration.between(base, from).toMillis();
        long n = Math.floorDiv(delta, every);
        Instant slot = base.plusMillis(n * every);
        return slot.isBefore(from) ? slot.plusMillis(every) : slot;
    }

    /** The first slot strictly after {@code after}. */
    Instant next(Schedule s, Instant after) {
        Instant slot = first(s, after);
        return slot.equals(after) ? slot.plus(s.every()) : slot;
    }

    private static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Optional<InspectionRound> byId(Connection c, long roundId) throws SQLException {
        return Db.one(c, "SELECT * FROM inspection_round WHERE round_id = ?", Rounds::map, roundId);
    }

    static InspectionRound map(ResultSet rs) throws SQLException {
        return new InspectionRound(rs.getLong("round_id"), rs.getString("schedule_id"), rs.getString("group_id"),
                RoundKind.valueOf(rs.getString("kind")), rs.getString("name"), list(rs.getString("checklist")),
                Db.instant(rs, "due_at"), Db.instant(rs, "overdue_at"), Db.instant(rs, "completed_at"),
                rs.getString("completed_by"), list(rs.getString("ticked")), rs.getString("note"));
    }

    private static String list(List<String> items) {
        try {
            return MAPPER.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> list(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return MAPPER.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad checklist JSON in the store", e);
        }
    }

    private <T> T read(org.lockergate.store.StoreWork<T> work) {
        try {
            return env.store().read(work);
        } catch (StoreException | LockerException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
