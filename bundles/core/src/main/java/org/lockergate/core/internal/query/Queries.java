package org.lockergate.core.internal.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.ParcelQuery;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.Courier;
import org.lockergate.api.model.CourierCompany;
import org.lockergate.api.model.GroupInfo;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.alarm.Alarms;
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

    @Override
    public List<Parcel> parcels(ParcelQuery query) {
        StringBuilder sql = new StringBuilder("SELECT * FROM parcel WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.groupId() != null) {
            sql.append(" AND group_id = ?");
            args.add(query.groupId());
        }
        if (!query.states().isEmpty()) {
            sql.append(" AND state IN (").append(Db.marks(query.states().size())).append(")");
            query.states().forEach(s -> args.add(s.name()));
        }
        if (query.companyCode() != null) {
            sql.append(" AND company_code = ?");
            args.add(query.companyCode());
        }
        if (query.depositedBefore() != null) {
            sql.append(" AND deposited_at < ?");
            args.add(query.depositedBefore());
        }
        if (query.afterReservedAt() != null) {
            // keyset paging: strictly after the previous page's last row in (reserved_at DESC, parcel_id DESC)
            sql.append(" AND (reserved_at < ? OR (reserved_at = ? AND parcel_id < ?))");
            args.add(query.afterReservedAt());
            args.add(query.afterReservedAt());
            args.add(query.afterParcelId() == null ? "" : query.afterParcelId());
        }
        sql.append(" ORDER BY reserved_at DESC, parcel_id DESC LIMIT ?");
        args.add(query.limit());
        return read(tx -> Db.query(tx.connection(), sql.toString(), ParcelRow::map, args.toArray())).stream()
                .map(ParcelRow::toApi).toList();
    }

    @Override
    public List<AuditEntry> audit(Instant from, Instant to, long afterId, int limit) {
        return read(tx -> Db.query(tx.connection(), "SELECT * FROM audit_log WHERE ts >= ? AND ts < ? AND id > ? "
                + "ORDER BY id LIMIT ?", Queries::auditEntry, from == null ? Instant.EPOCH : from,
                to == null ? Instant.parse("9999-12-31T00:00:00Z") : to, afterId, Math.max(1, limit)));
    }

    @Override
    public List<OutboxEvent> events(OutboxEvent.Stream stream, long afterSeq, Instant from, int limit) {
        return read(tx -> Db.query(tx.connection(), "SELECT * FROM outbox WHERE stream = ? AND seq > ? AND ts >= ? "
                + "ORDER BY seq LIMIT ?", Queries::outboxEvent, stream.name(), afterSeq,
                from == null ? Instant.EPOCH : from, Math.max(1, limit)));
    }

    @Override
    public List<Alarm> alarms(Instant from, int limit) {
        return read(tx -> Db.query(tx.connection(), "SELECT * FROM alarm WHERE raised_at >= ? "
                + "ORDER BY raised_at DESC, alarm_id DESC LIMIT ?", Alarms::map, from == null ? Instant.EPOCH : from,
                Math.max(1, limit)));
    }

    @Override
    public List<CourierCompany> companies() {
        return read(tx -> Db.query(tx.connection(), "SELECT * FROM courier_company ORDER BY code",
                rs -> new CourierCompany(rs.getString("code"), rs.getString("name"),
                        rs.getInt("funding_share_pct"))));
    }

    @Override
    public List<Courier> couriers(String companyCode) {
        // never the PIN hash: only the columns of the API record are read
        String columns = "SELECT courier_id, company_code, name, active FROM courier";
        return read(tx -> companyCode == null
                ? Db.query(tx.connection(), columns + " ORDER BY courier_id", Queries::courier)
                : Db.query(tx.connection(), columns + " WHERE company_code = ? ORDER BY courier_id", Queries::courier,
                        companyCode));
    }

    private static Courier courier(ResultSet rs) throws SQLException {
        return new Courier(rs.getString("courier_id"), rs.getString("company_code"), rs.getString("name"),
                rs.getBoolean("active"));
    }

    private static AuditEntry auditEntry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), Db.instant(rs, "ts"), rs.getString("actor"), rs.getString("action"),
                rs.getString("target"), rs.getString("detail"));
    }

    private static OutboxEvent outboxEvent(ResultSet rs) throws SQLException {
        return new OutboxEvent(rs.getLong("seq"), OutboxEvent.Stream.valueOf(rs.getString("stream")),
                rs.getString("event_id"), rs.getString("type"), Db.instant(rs, "ts"), rs.getString("data"));
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
