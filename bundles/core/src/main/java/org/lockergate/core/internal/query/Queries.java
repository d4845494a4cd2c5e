package org.lockergate.core.internal.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.GroupInfo;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.ParcelRow;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.registry.AttachedCabinet;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.store.StoreWork;

/** The read side: groups, cabinets (with live online state and last heartbeat), compartments, masked parcels, audit, outbox. */
public final class Queries implements LockerQueries {

    private final Env env;
    private final Registry registry;

    public Queries(Env env, Registry registry) {
        this.env = env;
        this.registry = registry;
    }

    @Override
    public List<CabinetGroup> groups() {
        return read(tx -> Db.query(tx.connection(), "SELECT * FROM cabinet_group ORDER BY group_id", Queries::group));
    }

    @Override
    public Optional<CabinetGroup> group(String groupId) {
        return read(tx -> Db.one(tx.connection(), "SELECT * FROM cabinet_group WHERE group_id = ?", Queries::group,
                groupId));
    }

    @Override
    public List<Cabinet> cabinets(String groupId) {
        List<Cabinet> rows = read(tx -> groupId == null
                ? Db.query(tx.connection(), "SELECT * FROM cabinet ORDER BY group_id, cabinet_id", Queries::cabinet)
                : Db.query(tx.connection(), "SELECT * FROM cabinet WHERE group_id = ? ORDER BY cabinet_id",
                        Queries::cabinet, groupId));
        List<Cabinet> out = new ArrayList<>();
        for (Cabinet c : rows) {
            Optional<AttachedCabinet> live = registry.cabinet(c.cabinetId());
            out.add(live.isEmpty() ? c : new Cabinet(c.cabinetId(), c.groupId(), c.vendor(), c.model(), c.firmware(),
                    live.get().online(), live.get().lastSeen() == null ? c.lastSeen() : live.get().lastSeen()));
        }
        return out;
    }

    @Override
    public List<Compartment> compartments(String groupId) {
        return read(tx -> Tables.compartments(tx.connection(), groupId)).stream().map(CompartmentRow::toApi).toList();
    }

    @Override
    public List<Parcel> parcels(String groupId, List<ParcelState> states, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM parcel WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (groupId != null) {
            sql.append(" AND group_id = ?");
            args.add(groupId);
        }
        if (states != null && !states.isEmpty()) {
            sql.append(" AND state IN (").append(Db.marks(states.size())).append(")");
            states.forEach(s -> args.add(s.name()));
        }
        sql.append(" ORDER BY reserved_at DESC LIMIT ?");
        args.add(Math.max(1, Math.min(limit, 10_000)));
        return read(tx -> Db.query(tx.connection(), sql.toString(), ParcelRow::map, args.toArray())).stream()
                .map(ParcelRow::toApi).toList();
    }

    @Override
    public List<Parcel> parcelsBetween(String groupId, Instant from, Instant to) {
        StringBuilder sql = new StringBuilder("SELECT * FROM parcel WHERE reserved_at < ?"
                + " AND (closed_at IS NULL OR closed_at >= ?)");
        List<Object> args = new ArrayList<>(List.of(to, from));
        if (groupId != null) {
            sql.append(" AND group_id = ?");
            args.add(groupId);
        }
        sql.append(" ORDER BY reserved_at, parcel_id");
        return read(tx -> Db.query(tx.connection(), sql.toString(), ParcelRow::map, args.toArray())).stream()
                .map(ParcelRow::toApi).toList();
    }

    @Override
    public Optional<Parcel> parcel(String parcelId) {
        return read(tx -> Tables.parcel(tx.connection(), parcelId, false)).map(ParcelRow::toApi);
    }

    @Override
    public List<AuditEntry> audit(Instant from, int limit) {
        return read(tx -> Db.query(tx.connection(), "SELECT * FROM audit_log WHERE ts >= ? ORDER BY id LIMIT ?",
                rs -> new AuditEntry(rs.getLong("id"), Db.instant(rs, "ts"), rs.getString("actor"),
                        rs.getString("action"), rs.getString("target"), rs.getString("detail")),
                from == null ? Instant.EPOCH : from, Math.max(1, limit)));
    }

    @Override
    public List<OutboxEvent> outbox(int limit) {
        // unconfirmed = above the stream's confirmed watermark (store schema V3; confirmed_at is filled in lazily)
        return read(tx -> Db.query(tx.connection(), "SELECT o.* FROM outbox o JOIN outbox_stream s ON s.stream = "
                + "o.stream WHERE o.seq > s.confirmed_seq ORDER BY "
                + "CASE o.stream WHEN 'ALARMS' THEN 0 WHEN 'EVENTS' THEN 1 ELSE 2 END, o.seq LIMIT ?",
                rs -> new OutboxEvent(rs.getLong("seq"), OutboxEvent.Stream.valueOf(rs.getString("stream")),
                        rs.getString("event_id"), rs.getString("type"), Db.instant(rs, "ts"), rs.getString("data")),
                Math.max(1, limit)));
    }

    private <T> T read(StoreWork<T> work) {
        try {
            return env.store().read(work);
        } catch (Exception e) {
            throw new IllegalStateException("store read failed: " + e.getMessage(), e);
        }
    }

    private static CabinetGroup group(ResultSet rs) throws SQLException {
        return new CabinetGroup(rs.getString("group_id"), rs.getString("name"), new GroupInfo(rs.getString("community"),
                rs.getString("address"), (Double) rs.getObject("latitude", Double.class),
                (Double) rs.getObject("longitude", Double.class), rs.getString("postal_filing_no"),
                rs.getString("property_contact"), rs.getString("emergency_contact")));
    }

    private static Cabinet cabinet(ResultSet rs) throws SQLException {
        return new Cabinet(rs.getString("cabinet_id"), rs.getString("group_id"), rs.getString("vendor"),
                rs.getString("model"), rs.getString("firmware"), rs.getBoolean("online"), Db.instant(rs, "last_seen"));
    }
}
