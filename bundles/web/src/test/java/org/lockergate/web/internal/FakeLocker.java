package org.lockergate.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.AuditLog;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.MaintenanceService;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Courier;
import org.lockergate.api.model.CourierCompany;
import org.lockergate.api.model.GroupInfo;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.UnlockOutcome;

/**
 * An in-memory locker core: group g1 with cabinet c1 and compartments 1–4, parcels of ZTO and JT, an open alarm,
 * couriers, outbox rows (one holding a clear pickup code, as notification.requested does) and an audit log that
 * the maintenance, alarm and audit calls append to, like the core does. The parcel search uses the API's default
 * implementation (in-memory filtering of {@link #parcels(String, List, int)}).
 */
final class FakeLocker implements LockerQueries, AlarmService, MaintenanceService, AuditLog {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final List<Compartment> compartments = new CopyOnWriteArrayList<>();
    final List<Parcel> parcels = new CopyOnWriteArrayList<>();
    final List<Alarm> alarms = new CopyOnWriteArrayList<>();
    final List<AuditEntry> audit = new CopyOnWriteArrayList<>();
    final List<OutboxEvent> outbox = new CopyOnWriteArrayList<>();

    FakeLocker() {
        for (int i = 1; i <= 4; i++) {
            compartments.add(compartment(String.valueOf(i), i == 1 ? CompartmentState.OCCUPIED : CompartmentState.FREE,
                    i == 1 ? "p-zto-1" : null));
        }
        for (int i = 1; i <= 3; i++) {
            parcels.add(parcel("p-zto-" + i, "ZTO", ParcelState.DEPOSITED, T0.plusSeconds(60L * i)));
        }
        parcels.add(parcel("p-jt-1", "JT", ParcelState.OVERDUE, T0.plusSeconds(30)));
        alarms.add(new Alarm(7, AlarmType.DOOR_JAMMED, "g1", "c1", "3", "门卡住 / jammed", T0, null, null, null));
        outbox.add(new OutboxEvent(1, OutboxEvent.Stream.EVENTS, "e1", "parcel.deposited", T0,
                "{\"parcelId\":\"p-zto-1\",\"phoneMasked\":\"138******34\"}"));
        outbox.add(new OutboxEvent(2, OutboxEvent.Stream.EVENTS, "e2", "notification.requested", T0,
                "{\"parcelId\":\"p-zto-1\",\"code\":\"246810\",\"phoneMasked\":\"138******34\"}"));
        outbox.add(new OutboxEvent(1, OutboxEvent.Stream.ALARMS, "a1", "door_jammed", T0, "{\"state\":\"raised\"}"));
        for (int i = 1; i <= 5; i++) {
            audit.add(new AuditEntry(i, T0.plusSeconds(i), "system", "test.row", "t" + i, null));
        }
    }

    static Compartment compartment(String label, CompartmentState state, String parcelId) {
        return new Compartment("g1", "c1", label, SizeClass.S, 1, Integer.parseInt(label), state,
                true, parcelId != null, parcelId == null ? null : T0, parcelId);
    }

    static Parcel parcel(String id, String company, ParcelState state, Instant reservedAt) {
        return new Parcel(id, "g1", "c1", "1", SizeClass.S, "WB-" + id, company, company + "-0001", "138******34",
                state, new Consent("app", "C-1", T0, true), reservedAt, reservedAt.plusSeconds(5), null, 0, false);
    }

    void setState(String label, CompartmentState state) {
        compartments.replaceAll(c -> c.label().equals(label) ? new Compartment(c.groupId(), c.cabinetId(), c.label(),
                c.size(), c.board(), c.channel(), state, c.doorClosed(), c.itemPresent(), c.occupiedSince(),
                c.parcelId()) : c);
    }

    private void audit(String actor, String action, String target, String detail) {
        audit.add(new AuditEntry(audit.size() + 1, T0.plusSeconds(100 + audit.size()), actor, action, target,
                detail));
    }

    // --- LockerQueries ---

    @Override
    public List<CabinetGroup> groups() {
        return List.of(new CabinetGroup("g1", "幸福里 1 号柜组", new GroupInfo("幸福里小区", "幸福路 1 号", 36.1, 118.1,
                "YZ-0001", "0533-1234567", "13900000000")));
    }

    @Override
    public Optional<CabinetGroup> group(String groupId) {
        return groups().stream().filter(g -> g.groupId().equals(groupId)).findFirst();
    }

    @Override
    public List<Cabinet> cabinets(String groupId) {
        Cabinet c1 = new Cabinet("c1", "g1", "coap", "LG-24", "1.2.0", true, T0);
        return groupId == null || groupId.equals("g1") ? List.of(c1) : List.of();
    }

    @Override
    public List<Compartment> compartments(String groupId) {
        return compartments.stream().filter(c -> groupId == null || c.groupId().equals(groupId)).toList();
    }

    @Override
    public List<Parcel> parcels(String groupId, List<ParcelState> states, int limit) {
        return parcels.stream()
                .filter(p -> groupId == null || p.groupId().equals(groupId))
                .filter(p -> states == null || states.isEmpty() || states.contains(p.state()))
                .sorted(Comparator.comparing(Parcel::reservedAt).reversed())
                .limit(limit).toList();
    }

    @Override
    public Optional<Parcel> parcel(String parcelId) {
        return parcels.stream().filter(p -> p.parcelId().equals(parcelId)).findFirst();
    }

    @Override
    public List<AuditEntry> audit(Instant from, int limit) {
        return audit.stream().filter(a -> from == null || !a.ts().isBefore(from)).limit(limit).toList();
    }

    @Override
    public List<OutboxEvent> outbox(int limit) {
        return outbox.stream().limit(limit).toList();
    }

    @Override
    public List<Alarm> alarms(Instant from, int limit) {
        return alarms.stream().filter(a -> from == null || !a.raisedAt().isBefore(from)).limit(limit).toList();
    }

    @Override
    public List<CourierCompany> companies() {
        return List.of(new CourierCompany("JT", "极兔速递", 40), new CourierCompany("ZTO", "中通快递", 60));
    }

    @Override
    public List<Courier> couriers(String companyCode) {
        List<Courier> all = List.of(new Courier("JT-0001", "JT", "张三", true), new Courier("ZTO-0001", "ZTO", "李四丰",
                true));
        return all.stream().filter(c -> companyCode == null || c.companyCode().equals(companyCode)).toList();
    }

    // --- AlarmService ---

    @Override
    public List<Alarm> open() {
        return alarms.stream().filter(a -> a.active() || !a.acknowledged()).toList();
    }

    @Override
    public Alarm raise(AlarmType type, String groupId, String cabinetId, String compartment, String message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clear(AlarmType type, String groupId, String cabinetId, String compartment) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Alarm acknowledge(long alarmId, String by) throws LockerException {
        for (int i = 0; i < alarms.size(); i++) {
            Alarm a = alarms.get(i);
            if (a.alarmId() == alarmId) {
                if (a.acknowledged()) {
                    return a;
                }
                Alarm acked = new Alarm(a.alarmId(), a.type(), a.groupId(), a.cabinetId(), a.compartment(),
                        a.message(), a.raisedAt(), a.clearedAt(), T0.plusSeconds(500), by);
                alarms.set(i, acked);
                audit(by, "alarm.acknowledged", String.valueOf(alarmId), null);
                return acked;
            }
        }
        throw new LockerException(LockerException.Kind.NOT_FOUND, "not_found", "没有告警 " + alarmId
                + " / No alarm " + alarmId);
    }

    // --- MaintenanceService ---

    @Override
    public UnlockOutcome open(String groupId, String compartment, String actor, String reason)
            throws LockerException {
        find(groupId, compartment);
        audit(actor, "compartment.open", groupId + "/" + compartment, reason);
        return UnlockOutcome.OPENED;
    }

    @Override
    public void disable(String groupId, String compartment, String actor, String reason) throws LockerException {
        find(groupId, compartment);
        setState(compartment, CompartmentState.DISABLED);
        audit(actor, "compartment.disabled", groupId + "/" + compartment, reason);
    }

    @Override
    public void enable(String groupId, String compartment, String actor, String reason) throws LockerException {
        find(groupId, compartment);
        setState(compartment, CompartmentState.FREE);
        audit(actor, "compartment.enabled", groupId + "/" + compartment, reason);
    }

    private Compartment find(String groupId, String label) throws LockerException {
        return compartments.stream().filter(c -> c.groupId().equals(groupId) && c.label().equals(label)).findFirst()
                .orElseThrow(() -> new LockerException(LockerException.Kind.NOT_FOUND, "not_found",
                        "没有格口 " + groupId + "/" + label + " / No compartment " + groupId + "/" + label));
    }

    // --- AuditLog ---

    @Override
    public void record(String actor, String action, String target, String detail) {
        audit(actor, action, target, detail);
    }

    List<String> actions() {
        List<String> out = new ArrayList<>();
        audit.forEach(a -> out.add(a.actor() + " " + a.action() + " " + a.target()));
        return out;
    }
}
