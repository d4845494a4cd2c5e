package org.lockergate.core.internal.registry;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.CompartmentSpec;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.spi.CabinetDriver;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.events.Json;
import org.lockergate.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry: groups, companies and couriers from configuration written into the store; cabinets and their
 * compartments from {@link #attach}; which cabinets are online and through which driver. State lives in the store,
 * so a re-attach after a restart or a vendor update keeps everything; only drivers and liveness are in memory.
 */
public final class Registry implements CabinetHost {

    /** Receives a cabinet's events (the kiosk's event handler). */
    @FunctionalInterface
    public interface EventReceiver {
        long report(AttachedCabinet cabinet, long boot, List<CabinetEvent> events) throws LockerException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

    private final Env env;
    private final Alarms alarms;
    private final Map<String, Definitions.Group> groups = new ConcurrentHashMap<>();
    private final Map<String, Definitions.Cabinet> allowed = new ConcurrentHashMap<>();
    private final Map<String, AttachedCabinet> cabinets = new ConcurrentHashMap<>();
    private volatile EventReceiver receiver = (cabinet, boot, events) -> 0;

    public Registry(Env env, Alarms alarms) {
        this.env = env;
        this.alarms = alarms;
    }

    public void receiver(EventReceiver receiver) {
        this.receiver = receiver;
    }

    EventReceiver receiver() {
        return receiver;
    }

    /** Loads the known cabinets: all offline until their vendor bundle attaches them again. */
    public void start() throws StoreException, LockerException {
        Instant now = env.now();
        List<Object[]> rows = env.store().read(tx -> Db.query(tx.connection(),
                "SELECT cabinet_id, group_id, vendor, last_seen FROM cabinet",
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), Db.instant(rs, "last_seen")}));
        for (Object[] row : rows) {
            AttachedCabinet cabinet = new AttachedCabinet((String) row[0], (String) row[1], (String) row[2]);
            cabinet.lastSeen = (Instant) row[3];
            cabinet.offlineSince = now;
            cabinets.putIfAbsent(cabinet.cabinetId(), cabinet);
        }
        if (!rows.isEmpty()) {
            env.store().write("registry.start", tx -> Db.update(tx.connection(),
                    "UPDATE cabinet SET online = FALSE WHERE online = TRUE"));
        }
    }

    // --- configuration ---

    public void putGroup(Definitions.Group group) throws StoreException, LockerException {
        env.store().write("registry.group", tx -> {
            Connection c = tx.connection();
            Object[] values = {group.name(), group.info().community(), group.info().address(),
                group.info().latitude(), group.info().longitude(), group.info().postalFilingNumber(),
                group.info().propertyContact(), group.info().emergencyContact(), group.groupId()};
            int n = Db.update(c, "UPDATE cabinet_group SET name = ?, community = ?, address = ?, latitude = ?, "
                    + "longitude = ?, postal_filing_no = ?, property_contact = ?, emergency_contact = ? "
                    + "WHERE group_id = ?", values);
            if (n == 0) {
                Db.update(c, "INSERT INTO cabinet_group(name, community, address, latitude, longitude, "
                        + "postal_filing_no, property_contact, emergency_contact, group_id, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", append(values, env.now()));
            }
            tx.audit(env.now(), "system", n == 0 ? "registry.group_added" : "registry.group_updated",
                    group.groupId(), group.name());
            env.events().registry(tx, group.groupId(), null);
            return null;
        });
        groups.put(group.groupId(), group);
    }

    /** The configuration went away: the group stops taking deposits; its rows stay (parcels refer to them). */
    public void removeGroup(String groupId) {
        groups.remove(groupId);
    }

    public void putCompany(Definitions.Company company) throws StoreException, LockerException {
        env.store().write("registry.company", tx -> {
            Object[] values = {company.name(), company.fundingSharePercent(), company.code()};
            if (Db.update(tx.connection(), "UPDATE courier_company SET name = ?, funding_share_pct = ? WHERE code = ?",
                    values) == 0) {
                Db.update(tx.connection(), "INSERT INTO courier_company(name, funding_share_pct, code) "
                        + "VALUES (?, ?, ?)", values);
            }
            tx.audit(env.now(), "system", "registry.company", company.code(), company.name() + " "
                    + company.fundingSharePercent() + "%");
            return null;
        });
    }

    public void putCourier(Definitions.Courier courier) throws StoreException, LockerException {
        env.store().write("registry.courier", tx -> {
            Object[] values = {courier.companyCode(), courier.name(), courier.pinHash(), courier.active(), env.now(),
                courier.courierId()};
            if (Db.update(tx.connection(), "UPDATE courier SET company_code = ?, name = ?, pin_hash = ?, active = ?, "
                    + "synced_at = ? WHERE courier_id = ?", values) == 0) {
                Db.update(tx.connection(), "INSERT INTO courier(company_code, name, pin_hash, active, synced_at, "
                        + "courier_id) VALUES (?, ?, ?, ?, ?, ?)", values);
            }
            tx.audit(env.now(), "system", "registry.courier", courier.courierId(), courier.companyCode()
                    + (courier.active() ? "" : " (inactive)"));
            return null;
        });
    }

    /** A courier removed from configuration can no longer sign in. */
    public void deactivateCourier(String courierId) throws StoreException, LockerException {
        env.store().write("registry.courier", tx -> Db.update(tx.connection(),
                "UPDATE courier SET active = FALSE WHERE courier_id = ?", courierId));
    }

    public void allow(Definitions.Cabinet cabinet) {
        allowed.put(cabinet.cabinetId(), cabinet);
    }

    public void disallow(String cabinetId) {
        allowed.remove(cabinetId);
    }

    public Optional<Definitions.Group> group(String groupId) {
        return groupId == null ? Optional.empty() : Optional.ofNullable(groups.get(groupId));
    }

    public Collection<Definitions.Group> groups() {
        return List.copyOf(groups.values());
    }

    public Optional<AttachedCabinet> cabinet(String cabinetId) {
        return cabinetId == null ? Optional.empty() : Optional.ofNullable(cabinets.get(cabinetId));
    }

    public Collection<AttachedCabinet> cabinets() {
        return List.copyOf(cabinets.values());
    }

    /** Cabinet ids of a group that are not online now (their compartments are skipped by allocation). */
    /** True when the group has at least one known cabinet and none of them is online. */
    public boolean allCabinetsOffline(String groupId) {
        boolean any = false;
        for (AttachedCabinet cabinet : cabinets.values()) {
            if (cabinet.groupId().equals(groupId)) {
                if (cabinet.online()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    public Set<String> offlineCabinets(String groupId) {
        Set<String> out = new HashSet<>();
        for (AttachedCabinet cabinet : cabinets.values()) {
            if (cabinet.groupId().equals(groupId) && !cabinet.online()) {
                out.add(cabinet.cabinetId());
            }
        }
        return out;
    }

    // --- attachment ---

    @Override
    public CabinetLink attach(CabinetDescriptor descriptor, CabinetDriver driver) throws LockerException {
        validate(descriptor, driver);
        String cabinetId = descriptor.cabinetId().strip();
        String groupId = descriptor.groupId().strip();
        if (!groups.containsKey(groupId)) {
            throw Errors.unknownGroup(groupId);
        }
        if (env.settings().restrictRegistration()) {
            Definitions.Cabinet allowedCabinet = allowed.get(cabinetId);
            if (allowedCabinet == null || !allowedCabinet.groupId().equals(groupId)) {
                throw Errors.of(Kind.FORBIDDEN, "unknown_cabinet", "未配置的柜子 " + cabinetId + "（注册受限）",
                        "Cabinet " + cabinetId + " is not configured (registration is restricted)");
            }
        }
        synchronized (this) {
            Instant now = env.now();
            boolean added;
            try {
                added = env.store().write("cabinet.attach", tx -> {
                    Connection c = tx.connection();
                    Optional<String> existing = Db.one(c, "SELECT group_id FROM cabinet WHERE cabinet_id = ? "
                            + "FOR UPDATE", rs -> rs.getString(1), cabinetId);
                    if (existing.isPresent() && !existing.get().equals(groupId)) {
                        throw badDescriptor("groupId", "柜子 " + cabinetId + " 属于柜组 " + existing.get(),
                                "cabinet " + cabinetId + " belongs to group " + existing.get());
                    }
                    List<CompartmentSpec> specs = descriptor.compartments();
                    for (int i = 0; i < specs.size(); i++) {
                        CompartmentSpec spec = specs.get(i);
                        Optional<String> owner = Db.one(c, "SELECT cabinet_id FROM compartment WHERE group_id = ? "
                                + "AND label = ?", rs -> rs.getString(1), groupId, spec.label().strip());
                        if (owner.isPresent() && !owner.get().equals(cabinetId)) {
                            throw badDescriptor("compartments[" + i + "].compartment", "格口 " + spec.label()
                                    + " 已属于柜子 " + owner.get(), "compartment " + spec.label()
                                    + " already belongs to cabinet " + owner.get());
                        }
                    }
                    if (existing.isEmpty()) {
                        Db.update(c, "INSERT INTO cabinet(cabinet_id, group_id, vendor, model, firmware, boot, acked_seq, "
                                + "boot_history_from, online, last_seen, registered_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, "
                                + "TRUE, ?, ?)", cabinetId, groupId, descriptor.vendor(), descriptor.model(),
                                descriptor.firmware(), descriptor.boot(), descriptor.boot(), now, now);
                        CabinetBoots.created(c, cabinetId, descriptor.boot());
                    } else {
                        CabinetBoots.Head head = CabinetBoots.lock(c, cabinetId).orElseThrow();
                        Db.update(c, "UPDATE cabinet SET vendor = ?, model = ?, firmware = ?, online = TRUE, "
                                + "last_seen = ? WHERE cabinet_id = ?", descriptor.vendor(), descriptor.model(),
                                descriptor.firmware(), now, cabinetId);
                        CabinetBoots.attached(tx, head, descriptor.boot(), now);
                    }
                    for (CompartmentSpec spec : descriptor.compartments()) {
                        String label = spec.label().strip();
                        if (Db.update(c, "UPDATE compartment SET size_class = ?, board = ?, channel = ? "
                                + "WHERE group_id = ? AND label = ?", spec.size().name(), spec.board(), spec.channel(),
                                groupId, label) == 0) {
                            Db.update(c, "INSERT INTO compartment(group_id, label, cabinet_id, size_class, board, "
                                    + "channel, state) VALUES (?, ?, ?, ?, ?, ?, ?)", groupId, label, cabinetId,
                                    spec.size().name(), spec.board(), spec.channel(), CompartmentState.FREE);
                        }
                    }
                    env.events().outbox(tx, OutboxEvent.Stream.EVENTS,
                            existing.isEmpty() ? "cabinet.registered" : "cabinet.online", now,
                            Json.obj("groupId", groupId, "cabinetId", cabinetId, "vendor", descriptor.vendor(),
                                    "model", descriptor.model(), "firmware", descriptor.firmware(),
                                    "compartments", descriptor.compartments().size(), "ts", env.iso(now)));
                    tx.audit(now, "cabinet:" + cabinetId, "cabinet.attached", groupId + "/" + cabinetId,
                            descriptor.vendor() + " " + descriptor.model() + " " + descriptor.firmware() + ", boot "
                                    + descriptor.boot() + ", " + descriptor.compartments().size() + " compartments");
                    alarms.clear(tx, AlarmType.CABINET_OFFLINE, groupId, cabinetId, null);
                    env.events().cabinet(tx, groupId, cabinetId, true);
                    if (existing.isEmpty()) {
                        env.events().registry(tx, groupId, cabinetId);
                    }
                    return existing.isEmpty();
                });
            } catch (StoreException e) {
                throw Errors.storeFailed(e);
            }
            AttachedCabinet cabinet = cabinets.computeIfAbsent(cabinetId,
                    id -> new AttachedCabinet(id, groupId, descriptor.vendor()));
            cabinet.vendor = descriptor.vendor();
            cabinet.driver = driver;
            cabinet.generation++;
            cabinet.lastSeen = now;
            cabinet.offlineSince = null;
            cabinet.offlineAlarmRaised = false;
            cabinet.online = true;
            LOG.info("柜子 {} 已{}（柜组 {}，{} 个格口）/ Cabinet {} {} (group {}, {} compartments)", cabinetId,
                    added ? "注册" : "重新连接", groupId, descriptor.compartments().size(), cabinetId,
                    added ? "registered" : "attached again", groupId, descriptor.compartments().size());
            return new CabinetLinkImpl(this, cabinet, cabinet.generation);
        }
    }

    boolean current(AttachedCabinet cabinet, long generation) {
        return cabinet.generation == generation && cabinet.driver != null;
    }

    /** The cabinet is alive: remembered in memory; an offline cabinet whose driver is attached comes back online. */
    void heartbeat(AttachedCabinet cabinet, long generation) {
        if (!current(cabinet, generation)) {
            return;
        }
        cabinet.lastSeen = env.now();
        if (!cabinet.online) {
            synchronized (this) {
                if (!cabinet.online && current(cabinet, generation)) {
                    markOnline(cabinet);
                }
            }
        }
    }

    synchronized void detach(AttachedCabinet cabinet, long generation, String reason) {
        if (cabinet.generation != generation || cabinet.driver == null) {
            return;
        }
        cabinet.driver = null;
        markOffline(cabinet, reason == null ? "detached" : reason);
    }

    /** A vendor's driver factory went away: every cabinet of that vendor goes offline; its state is kept. */
    public synchronized void vendorGone(String vendor) {
        for (AttachedCabinet cabinet : cabinets.values()) {
            if (vendor != null && vendor.equals(cabinet.vendor) && cabinet.driver != null) {
                cabinet.driver = null;
                markOffline(cabinet, "vendor bundle " + vendor + " stopped");
            }
        }
    }

    /** Marks a cabinet offline (durable, outbox {@code cabinet.offline}); the alarm comes from the heartbeat monitor. */
    public synchronized void markOffline(AttachedCabinet cabinet, String reason) {
        if (!cabinet.online) {
            return;
        }
        Instant now = env.now();
        cabinet.online = false;
        cabinet.offlineSince = now;
        try {
            env.store().write("cabinet.offline", tx -> {
                Db.update(tx.connection(), "UPDATE cabinet SET online = FALSE, last_seen = ? WHERE cabinet_id = ?",
                        cabinet.lastSeen, cabinet.cabinetId());
                env.events().outbox(tx, OutboxEvent.Stream.EVENTS, "cabinet.offline", now, Json.obj("groupId",
                        cabinet.groupId(), "cabinetId", cabinet.cabinetId(), "reason", reason, "ts", env.iso(now)));
                tx.audit(now, "system", "cabinet.offline", cabinet.groupId() + "/" + cabinet.cabinetId(), reason);
                env.events().cabinet(tx, cabinet.groupId(), cabinet.cabinetId(), false);
                return null;
            });
        } catch (StoreException | LockerException e) {
            LOG.error("Could not record cabinet {} offline", cabinet.cabinetId(), e);
        }
        LOG.warn("柜子 {} 离线：{} / Cabinet {} offline: {}", cabinet.cabinetId(), reason, cabinet.cabinetId(), reason);
    }

    private void markOnline(AttachedCabinet cabinet) {
        Instant now = env.now();
        try {
            env.store().write("cabinet.online", tx -> {
                Db.update(tx.connection(), "UPDATE cabinet SET online = TRUE, last_seen = ? WHERE cabinet_id = ?", now,
                        cabinet.cabinetId());
                env.events().outbox(tx, OutboxEvent.Stream.EVENTS, "cabinet.online", now, Json.obj("groupId",
                        cabinet.groupId(), "cabinetId", cabinet.cabinetId(), "ts", env.iso(now)));
                tx.audit(now, "system", "cabinet.online", cabinet.groupId() + "/" + cabinet.cabinetId(), null);
                alarms.clear(tx, AlarmType.CABINET_OFFLINE, cabinet.groupId(), cabinet.cabinetId(), null);
                env.events().cabinet(tx, cabinet.groupId(), cabinet.cabinetId(), true);
                return null;
            });
            cabinet.online = true;
            cabinet.offlineSince = null;
            cabinet.offlineAlarmRaised = false;
            LOG.info("柜子 {} 恢复在线 / Cabinet {} back online", cabinet.cabinetId(), cabinet.cabinetId());
        } catch (StoreException | LockerException e) {
            LOG.error("Could not record cabinet {} online", cabinet.cabinetId(), e);
        }
    }

    private static void validate(CabinetDescriptor d, CabinetDriver driver) throws LockerException {
        if (driver == null) {
            throw badDescriptor(null, "缺少驱动", "no driver");
        }
        if (d == null) {
            throw badDescriptor("(descriptor)", "缺少描述", "no descriptor");
        }
        for (String[] required : new String[][] {{"cabinetId", d.cabinetId()}, {"groupId", d.groupId()},
            {"vendor", d.vendor()}}) {
            if (blank(required[1])) {
                throw badDescriptor(required[0], "缺少 cabinetId、groupId 或 vendor",
                        "cabinetId, groupId and vendor are required");
            }
        }
        if (d.cabinetId().length() > 64 || d.groupId().length() > 64) {
            throw badDescriptor(d.cabinetId().length() > 64 ? "cabinetId" : "groupId", "ID 过长",
                    "ids are at most 64 characters");
        }
        Set<String> labels = new HashSet<>();
        List<String> problems = new ArrayList<>();
        String field = null;
        List<CompartmentSpec> specs = d.compartments() == null ? List.of() : d.compartments();
        for (int i = 0; i < specs.size(); i++) {
            CompartmentSpec spec = specs.get(i);
            String at = "compartments[" + i + "]";
            String problem = null;
            String what = String.valueOf(spec);
            if (spec == null) {
                problem = at;
            } else if (blank(spec.label()) || spec.label().strip().length() > 32) {
                problem = at + ".compartment";
            } else if (spec.size() == null) {
                problem = at + ".size";
            } else if (spec.board() < 1) {
                problem = at + ".board";
            } else if (spec.channel() < 1) {
                problem = at + ".channel";
            } else if (!labels.add(spec.label().strip())) {
                problem = at + ".compartment";
                what = "duplicate " + spec.label();
            }
            if (problem != null) {
                field = field == null ? problem : field;
                problems.add(what);
            }
        }
        if (!problems.isEmpty()) {
            throw badDescriptor(field, "格口描述有误：" + problems, "bad compartments: " + problems);
        }
    }

    /** 4.00 {@code bad_descriptor} naming the descriptor field at fault ({@code compartments[3].compartment}). */
    private static LockerException badDescriptor(String field, String zh, String en) {
        return Errors.of(Kind.BAD_REQUEST, "bad_descriptor", "柜子描述无效：" + zh, "Bad descriptor: " + en,
                Errors.extra("field", field));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Object[] append(Object[] values, Object last) {
        Object[] out = java.util.Arrays.copyOf(values, values.length + 1);
        out[values.length] = last;
        return out;
    }

    /** For the heartbeat monitor: a still-attached cabinet that went silent. */
    public static boolean silent(AttachedCabinet cabinet, Instant now, java.time.Duration after) {
        Instant last = cabinet.lastSeen();
        Instant since = cabinet.offlineSince();
        Instant ref = last == null ? since : since == null ? last : (last.isAfter(since) ? last : since);
        return ref != null && !ref.plus(after).isAfter(now);
    }

    /** Used by tests and the shell: whether the SQL exception means the row was locked too long. */
    static boolean lockTimeout(SQLException e) {
        return e.getErrorCode() == 50200;
    }
}
