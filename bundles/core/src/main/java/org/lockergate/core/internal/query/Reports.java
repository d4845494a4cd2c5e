package org.lockergate.core.internal.query;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.report.CompartmentUses;
import org.lockergate.api.report.ReportOutbox;
import org.lockergate.api.report.TurnedAway;
import org.lockergate.api.report.TurnedAwayLog;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.db.Db;
import org.lockergate.store.StoreException;

/**
 * The turned-away deposits (store schema V6), report events and the compartments' use counters, for the rules
 * bundle.
 */
public final class Reports implements TurnedAwayLog, ReportOutbox, CompartmentUses {

    private final Env env;

    public Reports(Env env) {
        this.env = env;
    }

    @Override
    public List<TurnedAway> turnedAway(String groupId, Instant from, Instant to) {
        try {
            return env.store().read(tx -> Db.query(tx.connection(), "SELECT * FROM turned_away WHERE at >= ? AND at < ?"
                    + (groupId == null ? "" : " AND group_id = ?") + " ORDER BY at, id",
                    rs -> new TurnedAway(rs.getString("group_id"), Db.instant(rs, "at"),
                            SizeClass.valueOf(rs.getString("size_class").trim()), rs.getString("company_code"),
                            rs.getString("reason"), rs.getString("suggested_group_id"),
                            rs.getBoolean("suggested_station")),
                    groupId == null ? new Object[] {from, to} : new Object[] {from, to, groupId}));
        } catch (Exception e) {
            throw new IllegalStateException("store read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long publish(String type, String actor, Map<String, Object> data) throws LockerException {
        if (type == null || type.isBlank() || data == null) {
            throw Errors.badRequest("bad_request", "缺少事件类型或内容", "An event needs a type and data");
        }
        try {
            return env.store().write("report." + type, tx -> {
                Instant now = env.now();
                long seq = env.events().outbox(tx, OutboxEvent.Stream.EVENTS, type, now, data);
                tx.audit(now, actor == null ? "system" : actor, "report.sent", type, "outbox seq " + seq);
                return seq;
            });
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    @Override
    public Map<String, Long> uses(String groupId) {
        try {
            return env.store().read(tx -> {
                Map<String, Long> out = new LinkedHashMap<>();
                Db.query(tx.connection(), "SELECT label, uses FROM compartment WHERE group_id = ? ORDER BY label",
                        rs -> out.put(rs.getString(1), rs.getLong(2)), groupId);
                return out;
            });
        } catch (Exception e) {
            throw new IllegalStateException("store read failed: " + e.getMessage(), e);
        }
    }
}
