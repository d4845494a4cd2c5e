package org.lockergate.core.internal.alarm;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.events.Json;
import org.lockergate.store.StoreException;
import org.lockergate.store.StoreTx;

/**
 * The alarm life cycle (R14): one row per alarm; raising an active one again is a no-op; each transition (raised,
 * cleared, acknowledged) is one durable write with an outbox row on the ALARMS stream (type = wire name), an audit
 * row and an EventAdmin {@link LockerTopics#ALARM_CHANGED} event. The {@code (tx, …)} variants join the caller's
 * transaction, so an alarm commits together with the state change that caused it.
 */
public final class Alarms implements AlarmService {

    private static final String SUBJECT = "type = ? AND group_id IS NOT DISTINCT FROM ? "
            + "AND cabinet_id IS NOT DISTINCT FROM ? AND compartment IS NOT DISTINCT FROM ?";

    private final Env env;

    public Alarms(Env env) {
        this.env = env;
    }

    @Override
    public List<Alarm> open() {
        try {
            return env.store().read(tx -> Db.query(tx.connection(),
                    "SELECT * FROM alarm WHERE cleared_at IS NULL OR acknowledged_at IS NULL "
                            + "ORDER BY raised_at DESC, alarm_id DESC", Alarms::map));
        } catch (StoreException | LockerException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every alarm, newest first (the shell's history). */
    public List<Alarm> recent(int limit) throws StoreException, LockerException {
        return env.store().read(tx -> Db.query(tx.connection(),
                "SELECT * FROM alarm ORDER BY raised_at DESC, alarm_id DESC LIMIT ?", Alarms::map, limit));
    }

    @Override
    public Alarm raise(AlarmType type, String groupId, String cabinetId, String compartment, String message) {
        try {
            Optional<Alarm> active = env.store().read(tx -> active(tx.connection(), type, groupId, cabinetId,
                    compartment));
            if (active.isPresent()) {
                return active.get();
            }
            return env.store().write("alarm.raise", tx -> raise(tx, type, groupId, cabinetId, compartment, message));
        } catch (StoreException | LockerException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void clear(AlarmType type, String groupId, String cabinetId, String compartment) {
        try {
            if (env.store().read(tx -> active(tx.connection(), type, groupId, cabinetId, compartment)).isPresent()) {
                env.store().write("alarm.clear", tx -> clear(tx, type, groupId, cabinetId, compartment));
            }
        } catch (StoreException | LockerException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public Alarm acknowledge(long alarmId, String by) throws LockerException {
        try {
            Alarm alarm = env.store().read(tx -> byId(tx.connection(), alarmId))
                    .orElseThrow(() -> Errors.notFound("alarm " + alarmId));
            if (alarm.acknowledged()) {
                return alarm;
            }
            return env.store().write("alarm.acknowledge", tx -> acknowledge(tx, alarmId, by));
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    /** Raises in the caller's transaction; returns the active alarm when there already is one. */
    public Alarm raise(StoreTx tx, AlarmType type, String groupId, String cabinetId, String compartment,
            String message) throws SQLException {
        Optional<Alarm> active = active(tx.connection(), type, groupId, cabinetId, compartment);
        if (active.isPresent()) {
            return active.get();
        }
        Instant now = env.now();
        long id = Db.insert(tx.connection(), "INSERT INTO alarm(type, group_id, cabinet_id, compartment, message, "
                + "raised_at) VALUES (?, ?, ?, ?, ?, ?)", type.wireName(), groupId, cabinetId, compartment, message, now);
        Alarm alarm = new Alarm(id, type, groupId, cabinetId, compartment, message, now, null, null, null);
        record(tx, alarm, "raised", "system", now);
        return alarm;
    }

    /** Clears in the caller's transaction; false when no such alarm was active. */
    public boolean clear(StoreTx tx, AlarmType type, String groupId, String cabinetId, String compartment)
            throws SQLException {
        Optional<Alarm> active = active(tx.connection(), type, groupId, cabinetId, compartment);
        if (active.isEmpty()) {
            return false;
        }
        Instant now = env.now();
        Db.update(tx.connection(), "UPDATE alarm SET cleared_at = ? WHERE alarm_id = ? AND cleared_at IS NULL", now,
                active.get().alarmId());
        Alarm a = active.get();
        record(tx, new Alarm(a.alarmId(), a.type(), a.groupId(), a.cabinetId(), a.compartment(), a.message(),
                a.raisedAt(), now, a.acknowledgedAt(), a.acknowledgedBy()), "cleared", "system", now);
        return true;
    }

    /** Clears every active alarm of the given types for a compartment (door closed, compartment enabled …). */
    public void clearAll(StoreTx tx, String groupId, String cabinetId, String compartment, AlarmType... types)
            throws SQLException {
        for (AlarmType type : types) {
            clear(tx, type, groupId, cabinetId, compartment);
        }
    }

    Alarm acknowledge(StoreTx tx, long alarmId, String by) throws SQLException, LockerException {
        Alarm a = byId(tx.connection(), alarmId).orElseThrow(() -> Errors.notFound("alarm " + alarmId));
        if (a.acknowledged()) {
            return a;
        }
        Instant now = env.now();
        String who = by == null || by.isBlank() ? "unknown" : by.strip();
        Db.update(tx.connection(), "UPDATE alarm SET acknowledged_at = ?, acknowledged_by = ? WHERE alarm_id = ? "
                + "AND acknowledged_at IS NULL", now, who, alarmId);
        Alarm acked = new Alarm(a.alarmId(), a.type(), a.groupId(), a.cabinetId(), a.compartment(), a.message(),
                a.raisedAt(), a.clearedAt(), now, who);
        record(tx, acked, "acknowledged", who, now);
        return acked;
    }

    public Optional<Alarm> active(Connection c, AlarmType type, String groupId, String cabinetId, String compartment)
            throws SQLException {
        return Db.one(c, "SELECT * FROM alarm WHERE " + SUBJECT + " AND cleared_at IS NULL", Alarms::map,
                type.wireName(), groupId, cabinetId, compartment);
    }

    private static Optional<Alarm> byId(Connection c, long alarmId) throws SQLException {
        return Db.one(c, "SELECT * FROM alarm WHERE alarm_id = ?", Alarms::map, alarmId);
    }

    private void record(StoreTx tx, Alarm alarm, String state, String actor, Instant now) throws SQLException {
        env.events().outbox(tx, OutboxEvent.Stream.ALARMS, alarm.type().wireName(), now, Json.obj(
                "state", state, "alarmId", alarm.alarmId(), "severity", alarm.type().severity(),
                "groupId", alarm.groupId(), "cabinetId", alarm.cabinetId(), "compartment", alarm.compartment(),
                "message", alarm.message(), "raisedAt", env.iso(alarm.raisedAt()),
                "clearedAt", env.iso(alarm.clearedAt()), "acknowledgedAt", env.iso(alarm.acknowledgedAt()),
                "acknowledgedBy", alarm.acknowledgedBy()));
        tx.audit(now, actor, "alarm." + state, "alarm:" + alarm.alarmId(), alarm.type().wireName() + " "
                + subject(alarm));
        env.events().after(tx, LockerTopics.ALARM_CHANGED, LockerTopics.ALARM_ID, alarm.alarmId(), LockerTopics.TYPE,
                alarm.type().wireName(), LockerTopics.STATE, state, LockerTopics.GROUP_ID, alarm.groupId(),
                LockerTopics.CABINET_ID, alarm.cabinetId(), LockerTopics.COMPARTMENT, alarm.compartment());
    }

    private static String subject(Alarm a) {
        StringBuilder out = new StringBuilder();
        if (a.groupId() != null) {
            out.append(a.groupId());
        }
        if (a.cabinetId() != null) {
            out.append(out.isEmpty() ? "" : " ").append("cabinet ").append(a.cabinetId());
        }
        if (a.compartment() != null) {
            out.append(out.isEmpty() ? "" : " ").append("compartment ").append(a.compartment());
        }
        return out.toString();
    }

    public static Alarm map(ResultSet rs) throws SQLException {
        return new Alarm(rs.getLong("alarm_id"), AlarmType.fromWireName(rs.getString("type")),
                rs.getString("group_id"), rs.getString("cabinet_id"), rs.getString("compartment"),
                rs.getString("message"), Db.instant(rs, "raised_at"), Db.instant(rs, "cleared_at"),
                Db.instant(rs, "acknowledged_at"), rs.getString("acknowledged_by"));
    }
}
