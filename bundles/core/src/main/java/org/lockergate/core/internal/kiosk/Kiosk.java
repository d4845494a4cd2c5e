package org.lockergate.core.internal.kiosk;

import java.util.List;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.locker.RecallEntry;

/** The kiosk workflows, one class each behind one service. */
public final class Kiosk implements KioskService {

    private final CourierSessions sessions;
    private final DepositFlow deposits;
    private final PickupFlow pickups;
    private final WithdrawFlow withdrawals;

    public Kiosk(CourierSessions sessions, DepositFlow deposits, PickupFlow pickups, WithdrawFlow withdrawals) {
        this.sessions = sessions;
        this.deposits = deposits;
        this.pickups = pickups;
        this.withdrawals = withdrawals;
    }

    @Override
    public CourierSession signIn(String groupId, String courierId, char[] pin) throws LockerException {
        return sessions.signIn(groupId, courierId, pin);
    }

    @Override
    public CourierSession signInWithToken(String groupId, String token) throws LockerException {
        return sessions.signInWithToken(groupId, token);
    }

    @Override
    public DepositResult deposit(String groupId, DepositRequest request) throws LockerException {
        return deposits.deposit(groupId, request);
    }

    @Override
    public PickupResult pickup(String groupId, String code, String phoneLast4, String keypadId)
            throws LockerException {
        return pickups.pickup(groupId, code, phoneLast4, keypadId);
    }

    @Override
    public void reject(String groupId, String parcelId, String reason) throws LockerException {
        pickups.reject(groupId, parcelId, reason);
    }

    @Override
    public PickupResult withdraw(String groupId, String session, String parcelId) throws LockerException {
        return withdrawals.withdraw(groupId, session, parcelId);
    }

    @Override
    public List<RecallEntry> recalls(String groupId, String session) throws LockerException {
        return withdrawals.recalls(groupId, session);
    }
}
