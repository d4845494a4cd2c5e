package org.lockergate.kiosk.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.locker.RecallEntry;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;

/**
 * The core as the kiosk bundle sees it: a {@link KioskService} answering with what the test set (or throwing what
 * it set) and recording every call, and {@link LockerQueries} over lists the test fills.
 */
final class FakeCore implements KioskService, LockerQueries {

    final List<CabinetGroup> groups = new CopyOnWriteArrayList<>();
    final List<Compartment> compartments = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    volatile LockerException refuse;
    volatile CourierSession session;
    volatile DepositResult deposit;
    volatile PickupResult pickup;
    final List<RecallEntry> recalls = new CopyOnWriteArrayList<>();

    volatile String pin;
    volatile DepositRequest depositRequest;
    volatile String keypadId;

    private void check() throws LockerException {
        if (refuse != null) {
            throw refuse;
        }
    }

    @Override
    public CourierSession signIn(String groupId, String courierId, char[] pin) throws LockerException {
        this.pin = new String(pin);
        calls.add("signIn " + groupId + " " + courierId);
        check();
        return session;
    }

    @Override
    public CourierSession signInWithToken(String groupId, String token) throws LockerException {
        calls.add("signInWithToken " + groupId + " " + token);
        check();
        return session;
    }

    @Override
    public DepositResult deposit(String groupId, DepositRequest request) throws LockerException {
        depositRequest = request;
        calls.add("deposit " + groupId);
        check();
        return deposit;
    }

    @Override
    public PickupResult pickup(String groupId, String code, String phoneLast4, String keypadId)
            throws LockerException {
        this.keypadId = keypadId;
        calls.add("pickup " + groupId + " " + code + " " + phoneLast4);
        check();
        return pickup;
    }

    @Override
    public void reject(String groupId, String parcelId, String reason) throws LockerException {
        calls.add("reject " + groupId + " " + parcelId + " " + reason);
        check();
    }

    @Override
    public PickupResult withdraw(String groupId, String session, String parcelId) throws LockerException {
        calls.add("withdraw " + groupId + " " + session + " " + parcelId);
        check();
        return pickup;
    }

    @Override
    public List<RecallEntry> recalls(String groupId, String session) throws LockerException {
        calls.add("recalls " + groupId + " " + session);
        check();
        return List.copyOf(recalls);
    }

    @Override
    public List<CabinetGroup> groups() {
        return List.copyOf(groups);
    }

    @Override
    public Optional<CabinetGroup> group(String groupId) {
        return groups.stream().filter(g -> g.groupId().equals(groupId)).findFirst();
    }

    @Override
    public List<Cabinet> cabinets(String groupId) {
        return List.of();
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
        return List.of();
    }

    @Override
    public List<OutboxEvent> outbox(int limit) {
        return List.of();
    }
}
