package org.lockergate.vendor.coap.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.spi.CabinetDriver;

/** The core as the vendor bundle sees it: a {@link CabinetHost} and {@link LockerQueries} that record every call. */
final class FakeCore implements CabinetHost, LockerQueries {

    /** One attach call: what was attached and the link handed back. */
    record Attached(CabinetDescriptor descriptor, CabinetDriver driver, Link link) {
    }

    final List<Attached> attached = new CopyOnWriteArrayList<>();
    final List<Cabinet> cabinets = new CopyOnWriteArrayList<>();
    final List<Compartment> compartments = new CopyOnWriteArrayList<>();
    volatile LockerException refuseAttach;
    volatile LockerException refuseReport;

    @Override
    public CabinetLink attach(CabinetDescriptor descriptor, CabinetDriver driver) throws LockerException {
        if (refuseAttach != null) {
            throw refuseAttach;
        }
        Link link = new Link();
        attached.add(new Attached(descriptor, driver, link));
        return link;
    }

    Attached last() {
        return attached.get(attached.size() - 1);
    }

    /** A link recording heartbeats, reports and detaches. */
    final class Link implements CabinetLink {

        final List<List<CabinetEvent>> reports = new CopyOnWriteArrayList<>();
        final List<Long> boots = new CopyOnWriteArrayList<>();
        final List<String> detached = new CopyOnWriteArrayList<>();
        volatile int heartbeats;

        @Override
        public long report(long boot, List<CabinetEvent> events) throws LockerException {
            if (refuseReport != null) {
                throw refuseReport;
            }
            boots.add(boot);
            reports.add(List.copyOf(events));
            return reports.stream().flatMap(List::stream).mapToLong(CabinetEvent::seq).max().orElse(0);
        }

        @Override
        public synchronized void heartbeat() {
            heartbeats++;
        }

        @Override
        public void detach(String reason) {
            detached.add(reason);
        }
    }

    @Override
    public List<CabinetGroup> groups() {
        return List.of();
    }

    @Override
    public Optional<CabinetGroup> group(String groupId) {
        return Optional.empty();
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
        return List.of();
    }

    @Override
    public Optional<Parcel> parcel(String parcelId) {
        return Optional.empty();
    }

    @Override
    public List<AuditEntry> audit(Instant from, int limit) {
        return new ArrayList<>();
    }

    @Override
    public List<OutboxEvent> outbox(int limit) {
        return List.of();
    }
}
