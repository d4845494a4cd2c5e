package org.lockergate.core.internal.timer;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.db.Db;
import org.lockergate.store.StoreException;
import org.lockergate.api.locker.LockerException;

/**
 * "Done once" markers for reminders and redirects. The durable record is the audit row written in the same
 * transaction as the outbox event (action {@code parcel.reminder} / {@code parcel.redirected}, target the parcel id);
 * this set caches it so that the timers need not read the audit log every second.
 */
final class Markers {

    private final Env env;
    private final String action;
    private final Set<String> done = ConcurrentHashMap.newKeySet();

    Markers(Env env, String action) {
        this.env = env;
        this.action = action;
    }

    void load() throws StoreException, LockerException {
        done.addAll(env.store().read(tx -> Db.query(tx.connection(), "SELECT DISTINCT a.target FROM audit_log a "
                + "JOIN parcel p ON p.parcel_id = a.target WHERE a.action = ? AND p.state IN ('DEPOSITED', 'OVERDUE', "
                + "'RECALL_DUE', 'HELD', 'REJECTED')", rs -> rs.getString(1), action)));
    }

    boolean done(String parcelId) {
        return done.contains(parcelId);
    }

    void mark(String parcelId) {
        done.add(parcelId);
    }

    void retainOnly(Collection<String> parcelIds) {
        done.retainAll(Set.copyOf(parcelIds));
    }
}
