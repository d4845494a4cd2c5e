package org.lockergate.upstream.mqtt.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.time.GatewayClock;

/** Small fakes: a clock tests move, an alarm service that records, fixed locker queries. */
final class Fakes {

    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private Fakes() {
    }

    static final class Clock implements GatewayClock {
        private final AtomicReference<Instant> now = new AtomicReference<>(T0);

        @Override
        public Instant now() {
            return now.get();
        }

        @Override
        public ZoneId zone() {
            return SHANGHAI;
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    /** Records raise/clear; keeps the active alarms like the core (one per type and subject). */
    static final class Alarms implements AlarmService {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Alarm> active = new CopyOnWriteArrayList<>();
        private final AtomicLong ids = new AtomicLong();

        @Override
        public List<Alarm> open() {
            return new ArrayList<>(active);
        }

        @Override
        public Alarm raise(AlarmType type, String groupId, String cabinetId, String compartment, String message) {
            Optional<Alarm> existing = active.stream().filter(a -> a.type() == type
                    && java.util.Objects.equals(a.groupId(), groupId)).findFirst();
            if (existing.isPresent()) {
                return existing.get();
            }
            calls.add("raise:" + type.wireName());
            Alarm a = new Alarm(ids.incrementAndGet(), type, groupId, cabinetId, compartment, message, T0, null, null,
                    null);
            active.add(a);
            return a;
        }

        @Override
        public void clear(AlarmType type, String groupId, String cabinetId, String compartment) {
            calls.add("clear:" + type.wireName());
            active.removeIf(a -> a.type() == type && java.util.Objects.equals(a.groupId(), groupId));
        }

        @Override
        public Alarm acknowledge(long alarmId, String by) {
            throw new UnsupportedOperationException();
        }

        boolean isActive(AlarmType type) {
            return active.stream().anyMatch(a -> a.type() == type);
        }
    }

    static final class Queries implements LockerQueries {
        final List<CabinetGroup> groups = new ArrayList<>();
        final List<Cabinet> cabinets = new ArrayList<>();
        final List<Compartment> compartments = new ArrayList<>();
        final List<Parcel> parcels = new ArrayList<>();

        @Override
        public List<CabinetGroup> groups() {
            return groups;
        }

        @Override
        public Optional<CabinetGroup> group(String groupId) {
            return groups.stream().filter(g -> g.groupId().equals(groupId)).findFirst();
        }

        @Override
        public List<Cabinet> cabinets(String groupId) {
            return cabinets.stream().filter(c -> groupId == null || c.groupId().equals(groupId)).toList();
        }

        @Override
        public List<Compartment> compartments(String groupId) {
            return compartments.stream().filter(c -> groupId == null || c.groupId().equals(groupId)).toList();
        }

        @Override
        public List<Parcel> parcels(String groupId, List<ParcelState> states, int limit) {
            return parcels.stream().filter(p -> groupId == null || p.groupId().equals(groupId))
                    .filter(p -> states.isEmpty() || states.contains(p.state())).limit(limit).toList();
        }

        @Override
        public Optional<Parcel> parcel(String parcelId) {
            return parcels.stream().filter(p -> p.parcelId().equals(parcelId)).findFirst();
        }

        @Override
        public List<AuditEntry> audit(Instant from, int limit) {
            return List.of();
        }

        @Override
        public List<OutboxEvent> outbox(int limit) {
            return List.of();
        }
    }
}
