package org.lockergate.core.internal.timer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.model.ParcelState;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.ParcelRow;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.events.Json;
import org.lockergate.core.internal.policy.Policies;
import org.lockergate.store.StoreException;
import org.lockergate.store.StoreTx;
import org.lockergate.api.locker.LockerException;

/**
 * The parcel clock: reminder at T−6 h (once) and at T (R6), DEPOSITED → OVERDUE at the end of the free period T
 * (from the fee policy, so holidays count once the rules bundle adds them), RECALL_DUE at 72 h and HELD at 7 days
 * after the door closed, wall clock (R7). A parcel whose times passed while the gateway was off takes every step in
 * one transaction, each with its outbox event.
 */
final class ParcelTimers {

    static final String REMINDER = "parcel.reminder";

    private final Env env;
    private final Policies policies;
    private final Markers reminded;

    ParcelTimers(Env env, Policies policies, Markers reminded) {
        this.env = env;
        this.policies = policies;
        this.reminded = reminded;
    }

    void check(Instant now) throws StoreException, LockerException {
        List<ParcelRow> rows = env.store().read(tx -> Db.query(tx.connection(), "SELECT * FROM parcel WHERE state IN "
                + "('DEPOSITED', 'OVERDUE', 'RECALL_DUE') AND deposited_at IS NOT NULL", ParcelRow::map));
        List<String> ids = new ArrayList<>();
        for (ParcelRow row : rows) {
            ids.add(row.parcelId());
            Fee fee = policies.fee().quote(row.toApi(), now);
            Instant freeUntil = fee.freeUntil();
            Instant recallAt = row.depositedAt().plus(env.settings().recallAfter());
            Instant heldAt = row.depositedAt().plus(env.settings().holdAfter());
            boolean overdue = row.state() == ParcelState.DEPOSITED && freeUntil != null && !now.isBefore(freeUntil);
            boolean recall = (row.state() == ParcelState.DEPOSITED || row.state() == ParcelState.OVERDUE)
                    && !now.isBefore(recallAt);
            boolean held = !now.isBefore(heldAt);
            boolean remindBefore = row.state() == ParcelState.DEPOSITED && freeUntil != null && !overdue
                    && !now.isBefore(freeUntil.minus(env.settings().reminderBefore())) && !reminded.done(row.parcelId());
            if (!overdue && !recall && !held && !remindBefore) {
                continue;
            }
            env.store().write("parcel.timers", tx -> {
                ParcelRow p = Tables.parcel(tx.connection(), row.parcelId(), true).orElse(null);
                if (p == null || p.state() != row.state()) {
                    return null;
                }
                if (remindBefore) {
                    remind(tx, p, "before", freeUntil, now);
                }
                if (overdue) {
                    Tables.moveParcel(tx.connection(), p, ParcelState.OVERDUE, now);
                    event(tx, p, "parcel.overdue", now, freeUntil);
                    remind(tx, p, "due", freeUntil, now);
                    p = Tables.parcel(tx.connection(), p.parcelId(), true).orElseThrow();
                }
                if (held) {
                    Tables.moveParcel(tx.connection(), p, ParcelState.HELD, now);
                    event(tx, p, "parcel.held", now, freeUntil);
                } else if (recall) {
                    Tables.moveParcel(tx.connection(), p, ParcelState.RECALL_DUE, now);
                    event(tx, p, "parcel.recall_due", now, freeUntil);
                }
                return null;
            });
            if (remindBefore || overdue) {
                reminded.mark(row.parcelId());
            }
        }
        reminded.retainOnly(ids);
    }

    private void remind(StoreTx tx, ParcelRow p, String kind, Instant freeUntil, Instant now)
            throws java.sql.SQLException {
        env.events().outbox(tx, Stream.EVENTS, REMINDER, now, Json.obj("parcelId", p.parcelId(), "groupId",
                p.groupId(), "cabinetId", p.cabinetId(), "compartment", p.compartment(), "kind", kind, "freeUntil",
                env.iso(freeUntil), "phoneMasked", p.phoneMasked(), "ts", env.iso(now)));
        tx.audit(now, "system", REMINDER, p.parcelId(), kind);
    }

    private void event(StoreTx tx, ParcelRow p, String type, Instant now, Instant freeUntil)
            throws java.sql.SQLException {
        env.events().outbox(tx, Stream.EVENTS, type, now, Json.obj("parcelId", p.parcelId(), "groupId", p.groupId(),
                "cabinetId", p.cabinetId(), "compartment", p.compartment(), "companyCode", p.companyCode(),
                "courierId", p.courierId(), "waybill", p.waybill(), "depositedAt", env.iso(p.depositedAt()),
                "freeUntil", env.iso(freeUntil), "ts", env.iso(now)));
        tx.audit(now, "system", type, p.parcelId(), p.groupId() + "/" + p.compartment());
        String state = type.equals("parcel.held") ? "HELD" : type.equals("parcel.overdue") ? "OVERDUE" : "RECALL_DUE";
        env.events().parcel(tx, p.groupId(), p.cabinetId(), p.compartment(), p.parcelId(), state);
    }
}
