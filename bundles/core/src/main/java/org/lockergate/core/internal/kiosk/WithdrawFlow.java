package org.lockergate.core.internal.kiosk;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.locker.RecallEntry;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.ParcelState;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.ParcelRow;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.registry.AttachedCabinet;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.store.StoreException;

/**
 * A courier takes back his company's parcels (R7, R19): RECALL_DUE or HELD → RECALLED, REJECTED → RETURNED, when the
 * door closes without the item ({@link CabinetEvents}, {@link Completions#withdrawn}). The door opens like a
 * pickup's (jam → FAULT and {@code door_jammed}; no answer → {@code unavailable}, compartment back as it was).
 */
public final class WithdrawFlow {

    /** The states a courier may take back. */
    public static final Set<ParcelState> WITHDRAWABLE = Set.of(ParcelState.RECALL_DUE, ParcelState.HELD,
            ParcelState.REJECTED);

    private final Env env;
    private final Registry registry;
    private final CourierSessions sessions;
    private final Alarms alarms;
    private final Unlocker unlocker;
    private final OpenIntents intents;

    public WithdrawFlow(Env env, Registry registry, CourierSessions sessions, Alarms alarms, Unlocker unlocker,
            OpenIntents intents) {
        this.env = env;
        this.registry = registry;
        this.sessions = sessions;
        this.alarms = alarms;
        this.unlocker = unlocker;
        this.intents = intents;
    }

    public PickupResult withdraw(String groupId, String token, String parcelId) throws LockerException {
        registry.group(groupId).orElseThrow(() -> Errors.unknownGroup(groupId));
        CourierSessions.Session session = sessions.require(groupId, token);
        if (parcelId == null || parcelId.isBlank()) {
            throw Errors.badRequest("bad_request", "缺少包裹号", "parcelId is required");
        }
        String actor = "courier:" + session.courierId();
        try {
            ParcelRow parcel = env.store().read(tx -> Tables.parcel(tx.connection(), parcelId, false))
                    .filter(p -> p.groupId().equals(groupId))
                    .orElseThrow(() -> Errors.notFound("parcel " + parcelId));
            check(parcel, session);
            AttachedCabinet cabinet = registry.cabinet(parcel.cabinetId()).orElse(null);
            if (cabinet == null || cabinet.driver() == null || !cabinet.online()) {
                throw Errors.unavailable();
            }
            String key = CompartmentRow.key(groupId, parcel.compartment());
            CompartmentState prior = env.store().write("withdraw.open", tx -> {
                Connection c = tx.connection();
                Instant now = env.now();
                ParcelRow current = Tables.parcel(c, parcelId, true).orElseThrow();
                check(current, session);
                CompartmentRow row = Tables.compartment(c, groupId, current.compartment(), true)
                        .orElseThrow(() -> Errors.notFound("compartment " + key));
                if (row.state() == CompartmentState.FAULT) {
                    throw doorJammed();
                }
                if (!parcelId.equals(row.parcelId()) || !(row.state() == CompartmentState.OCCUPIED
                        || row.state() == CompartmentState.DISABLED)) {
                    throw Errors.busy(row.label());
                }
                Tables.moveCompartment(c, row, CompartmentState.OPENING, row.parcelId());
                tx.audit(now, actor, "parcel.withdrawing", parcelId, key + " (" + current.state() + ", company "
                        + current.companyCode() + ")");
                env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "OPENING");
                return row.state();
            });
            intents.put(key, new OpenIntents.Intent(OpenIntents.Kind.WITHDRAW, parcelId,
                    prior == CompartmentState.DISABLED ? CompartmentState.DISABLED : null, actor));
            Unlocker.Result outcome = unlocker.unlock(groupId, parcel.cabinetId(), parcel.compartment());
            if (outcome.opened()) {
                env.store().write("withdraw.opened", tx -> {
                    Db.update(tx.connection(), "UPDATE compartment SET door_closed = FALSE, door_opened_at = "
                            + "COALESCE(door_opened_at, ?), uses = uses + 1 WHERE group_id = ? AND label = ?",
                            env.now(), groupId, parcel.compartment());
                    tx.audit(env.now(), actor, "compartment.opened", key, outcome.wireName() + " for withdrawal "
                            + parcelId);
                    env.events().compartment(tx, groupId, parcel.cabinetId(), parcel.compartment(), "OPENING");
                    return null;
                });
                return new PickupResult(parcelId, parcel.cabinetId(), parcel.compartment(), outcome.wireName(), 0,
                        false);
            }
            intents.remove(key);
            env.store().write(outcome == Unlocker.Result.JAMMED ? "withdraw.jammed" : "withdraw.unavailable", tx -> {
                Connection c = tx.connection();
                CompartmentRow row = Tables.compartment(c, groupId, parcel.compartment(), true).orElseThrow();
                if (row.state() != CompartmentState.OPENING) {
                    return null;
                }
                if (outcome == Unlocker.Result.JAMMED) {
                    Tables.moveCompartment(c, row, CompartmentState.FAULT, row.parcelId());
                    alarms.raise(tx, AlarmType.DOOR_JAMMED, row.groupId(), row.cabinetId(), row.label(),
                            "快递员取回时格口 " + row.label() + " 门未打开，包裹等待工作人员 / Door of compartment "
                                    + row.label() + " did not open for a courier take-back; the parcel waits for staff");
                    tx.audit(env.now(), "system", "compartment.fault", key, "jammed during withdrawal " + parcelId);
                    env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "FAULT");
                } else {
                    CompartmentState back = prior == CompartmentState.DISABLED ? CompartmentState.DISABLED
                            : CompartmentState.OCCUPIED;
                    Tables.moveCompartment(c, row, back, row.parcelId());
                    tx.audit(env.now(), "system", "compartment.unlock_failed", key, "no answer for withdrawal "
                            + parcelId);
                    env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), back.name());
                }
                return null;
            });
            throw outcome == Unlocker.Result.JAMMED ? doorJammed() : Errors.unavailable();
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    /** The company's parcels of this group on its recall or return list, by door label. */
    public List<RecallEntry> recalls(String groupId, String token) throws LockerException {
        registry.group(groupId).orElseThrow(() -> Errors.unknownGroup(groupId));
        CourierSessions.Session session = sessions.require(groupId, token);
        try {
            return env.store().read(tx -> {
                Connection c = tx.connection();
                List<ParcelRow> rows = Db.query(c, "SELECT * FROM parcel WHERE group_id = ? AND company_code = ? AND "
                        + "state IN ('RECALL_DUE', 'HELD', 'REJECTED') ORDER BY compartment, parcel_id",
                        ParcelRow::map, groupId, session.companyCode());
                List<RecallEntry> out = new ArrayList<>();
                for (ParcelRow p : rows) {
                    String action = switch (p.state()) {
                        case HELD -> "parcel.held";
                        case REJECTED -> "parcel.rejected";
                        default -> "parcel.recall_due";
                    };
                    Instant since = Db.one(c, "SELECT MAX(ts) AS ts FROM audit_log WHERE target = ? AND action = ?",
                            rs -> Db.instant(rs, "ts"), p.parcelId(), action).orElse(null);
                    out.add(new RecallEntry(p.parcelId(), p.compartment(), p.state(), p.waybill(),
                            since != null ? since : p.depositedAt()));
                }
                return out;
            });
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    private static void check(ParcelRow parcel, CourierSessions.Session session) throws LockerException {
        if (!parcel.companyCode().equals(session.companyCode())) {
            throw Errors.of(Kind.FORBIDDEN, "forbidden", "该包裹不属于您的快递公司",
                    "This parcel belongs to another courier company");
        }
        if (!WITHDRAWABLE.contains(parcel.state())) {
            throw Errors.of(Kind.CONFLICT, "not_withdrawable", "包裹状态为 " + parcel.state() + "，不能取回",
                    "Parcel is " + parcel.state() + ": only RECALL_DUE, HELD or REJECTED parcels can be withdrawn",
                    Errors.extra("state", parcel.state().name()));
        }
    }

    private static LockerException doorJammed() {
        return Errors.of(Kind.UNAVAILABLE, "door_jammed", "格口门未能打开，包裹将由工作人员处理",
                "The door did not open; staff will hand out the parcel");
    }
}
