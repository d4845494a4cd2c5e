package org.lockergate.opcua.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lockergate.api.locker.AlarmService;
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
import org.lockergate.api.model.GroupInfo;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.UnlockOutcome;

/** The core as the OPC UA server sees it: groups, cabinets and compartments in memory, recorded maintenance calls. */
final class FakeLocker implements LockerQueries, AlarmService, MaintenanceService {

    record MaintenanceCall(String what, String groupId, String compartment, String actor, String reason) {
    }

    final Map<String, CabinetGroup> groups = new ConcurrentHashMap<>();
    final Map<String, Cabinet> cabinets = new ConcurrentHashMap<>();
    final Map<String, Compartment> compartments = new ConcurrentHashMap<>();
    final List<MaintenanceCall> maintenanceCalls = new CopyOnWriteArrayList<>();
    final List<Alarm> alarms = new CopyOnWriteArrayList<>();
    final List<String> acknowledgements = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong nextAlarmId = new java.util.concurrent.atomic.AtomicLong(40);

    void addGroup(String groupId, String name, String address) {
        groups.put(groupId, new CabinetGroup(groupId, name,
                new GroupInfo("Community", address, null, null, "F-1", "0571-1234567", "0571-7654321")));
    }

    void addCabinet(String groupId, String cabinetId, boolean online, Instant lastSeen) {
        cabinets.put(cabinetId, new Cabinet(cabinetId, groupId, "coap", "LG-24", "1.2.3", online, lastSeen));
    }

    void putCompartment(String groupId, String cabinetId, String label, SizeClass size, int board, int channel,
            CompartmentState state, boolean doorClosed, boolean itemPresent, Instant occupiedSince) {
        compartments.put(groupId + "/" + label, new Compartment(groupId, cabinetId, label, size, board, channel, state,
                doorClosed, itemPresent, occupiedSince, occupiedSince == null ? null : "parcel-secret-id"));
    }

    void removeGroup(String groupId) {
        groups.remove(groupId);
        cabinets.values().removeIf(c -> c.groupId().equals(groupId));
        compartments.values().removeIf(c -> c.groupId().equals(groupId));
    }

    @Override
    public List<CabinetGroup> groups() {
        return groups.values().stream().sorted((a, b) -> a.groupId().compareTo(b.groupId())).toList();
    }

    @Override
    public Optional<CabinetGroup> group(String groupId) {
        return Optional.ofNullable(groups.get(groupId));
    }

    @Override
    public List<Cabinet> cabinets(String groupId) {
        return cabinets.values().stream().filter(c -> groupId == null || c.groupId().equals(groupId))
                .sorted((a, b) -> a.cabinetId().compareTo(b.cabinetId())).toList();
    }

    @Override
    public List<Compartment> compartments(String groupId) {
        return compartments.values().stream().filter(c -> groupId == null || c.groupId().equals(groupId))
                .sorted((a, b) -> (a.cabinetId() + a.label()).compareTo(b.cabinetId() + b.label())).toList();
    }

    @Override
    public List<Parcel> parcels(String groupId, List<ParcelState> states, int limit) {
        return List.of();
    }

    @Override
    public Optional<Parcel> parcel(String parcelId) {
        return Optional.empty();
    }

    @Override
    public List<AuditEntry> audit(Instant from, int limit) {
        return List.of();
    }

    @Override
    public List<OutboxEvent> outbox(int limit) {
        return List.of();
    }

    @Override
    public List<Alarm> open() {
        // as the core: active ones and cleared ones not yet acknowledged, newest first
        List<Alarm> open = new ArrayList<>();
        for (Alarm alarm : alarms) {
            if (alarm.active() || !alarm.acknowledged()) {
                open.add(0, alarm);
            }
        }
        return open;
    }

    @Override
    public Alarm raise(AlarmType type, String groupId, String cabinetId, String compartment, String message) {
        Alarm alarm = new Alarm(nextAlarmId.incrementAndGet(), type, groupId, cabinetId, compartment, message,
                Instant.now(), null, null, null);
        alarms.add(alarm);
        return alarm;
    }

    @Override
    public void clear(AlarmType type, String groupId, String cabinetId, String compartment) {
        for (Alarm a : alarms) {
            if (a.type() == type && a.active() && java.util.Objects.equals(a.groupId(), groupId)
                    && java.util.Objects.equals(a.cabinetId(), cabinetId)
                    && java.util.Objects.equals(a.compartment(), compartment)) {
                alarms.set(alarms.indexOf(a), new Alarm(a.alarmId(), a.type(), a.groupId(), a.cabinetId(),
                        a.compartment(), a.message(), a.raisedAt(), Instant.now(), a.acknowledgedAt(),
                        a.acknowledgedBy()));
            }
        }
    }

    @Override
    public Alarm acknowledge(long alarmId, String by) throws LockerException {
        for (Alarm alarm : alarms) {
            if (alarm.alarmId() == alarmId) {
                if (alarm.acknowledged()) {
                    return alarm;
                }
                Alarm acked = new Alarm(alarm.alarmId(), alarm.type(), alarm.groupId(), alarm.cabinetId(),
                        alarm.compartment(), alarm.message(), alarm.raisedAt(), alarm.clearedAt(), Instant.now(), by);
                alarms.set(alarms.indexOf(alarm), acked);
                acknowledgements.add(alarmId + " " + by);
                return acked;
            }
        }
        throw new LockerException(LockerException.Kind.NOT_FOUND, "not_found", "no alarm " + alarmId);
    }

    @Override
    public UnlockOutcome open(String groupId, String compartment, String actor, String reason) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void disable(String groupId, String compartment, String actor, String reason) throws LockerException {
        change("disable", groupId, compartment, actor, reason, CompartmentState.DISABLED);
    }

    @Override
    public void enable(String groupId, String compartment, String actor, String reason) throws LockerException {
        change("enable", groupId, compartment, actor, reason, CompartmentState.FREE);
    }

    private void change(String what, String groupId, String label, String actor, String reason,
            CompartmentState state) throws LockerException {
        Compartment c = compartments.get(groupId + "/" + label);
        if (c == null) {
            throw new LockerException(LockerException.Kind.NOT_FOUND, "not_found", "no compartment " + label);
        }
        maintenanceCalls.add(new MaintenanceCall(what, groupId, label, actor, reason));
        compartments.put(groupId + "/" + label, new Compartment(c.groupId(), c.cabinetId(), c.label(), c.size(),
                c.board(), c.channel(), state, c.doorClosed(), c.itemPresent(), c.occupiedSince(), c.parcelId()));
    }
}
