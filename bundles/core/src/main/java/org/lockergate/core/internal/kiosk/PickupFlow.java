package org.lockergate.core.internal.kiosk;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.model.ParcelState;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.crypto.CodeHasher;
import org.lockergate.core.internal.crypto.PhoneCipher;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.ParcelRow;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.events.Json;
import org.lockergate.core.internal.lockout.KeypadThrottle;
import org.lockergate.core.internal.lockout.ParcelLadder;
import org.lockergate.core.internal.policy.Policies;
import org.lockergate.core.internal.registry.AttachedCabinet;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.store.StoreException;

/**
 * A resident's pickup (R5, R7, R8, R9, R13) and rejection (R19). The entered code's HMAC is looked up and compared
 * in constant time; wrong codes count against the keypad (in memory) and, when the last 4 digits of the phone name
 * parcels, against those parcels (in their rows, surviving restarts). The pickup completes when the door closes
 * again with no item ({@link CabinetEvents}).
 */
public final class PickupFlow {

    private final Env env;
    private final Registry registry;
    private final Policies policies;
    private final Alarms alarms;
    private final CodeHasher hasher;
    private final PhoneCipher cipher;
    private final KeypadThrottle keypads;
    private final Unlocker unlocker;
    private final OpenIntents intents;

    public PickupFlow(Env env, Registry registry, Policies policies, Alarms alarms, CodeHasher hasher,
            PhoneCipher cipher, KeypadThrottle keypads, Unlocker unlocker, OpenIntents intents) {
        this.env = env;
        this.registry = registry;
        this.policies = policies;
        this.alarms = alarms;
        this.hasher = hasher;
        this.cipher = cipher;
        this.keypads = keypads;
        this.unlocker = unlocker;
        this.intents = intents;
    }

    public PickupResult pickup(String groupId, String code, String phoneLast4, String keypadId)
            throws LockerException {
        registry.group(groupId).orElseThrow(() -> Errors.unknownGroup(groupId));
        String last4 = phoneLast4 == null || phoneLast4.isBlank() ? null : phoneLast4.strip();
        if (last4 != null && !last4.matches("[0-9]{4}")) {
            throw Errors.badRequest("bad_request", "手机尾号应为 4 位数字", "phoneLast4 must be 4 digits");
        }
        String keypad = groupId + "#" + (keypadId == null || keypadId.isBlank() ? "kiosk" : keypadId.strip());
        Instant now = env.now();
        Instant keypadLock = keypads.lockedUntil(keypad, now);
        if (keypadLock != null) {
            throw Errors.locked(env.isoMillis(keypadLock));
        }
        keypads.recordAttempt(keypad, now);
        try {
            byte[] mac = CodeHasher.wellFormed(code) ? hasher.hmac(code) : null;
            String macHex = mac == null ? null : java.util.HexFormat.of().formatHex(mac);
            Optional<ParcelRow> byCode = macHex == null ? Optional.empty()
                    : env.store().read(tx -> Db.one(tx.connection(), "SELECT * FROM parcel WHERE group_id = ? AND "
                            + "code_hmac = ? AND state IN ('DEPOSITED', 'OVERDUE', 'RECALL_DUE', 'HELD', 'REJECTED')",
                            ParcelRow::map, groupId, macHex)).filter(p -> CodeHasher.matches(p.codeHmac(), mac));
            List<ParcelRow> named = last4 == null ? List.of() : named(groupId, last4);
            List<ParcelRow> lockedNamed = named.stream().filter(p -> ParcelLadder.locked(p.lockedUntil(), now)).toList();
            if (!named.isEmpty() && lockedNamed.size() == named.size()) {
                Instant until = lockedNamed.stream().map(ParcelRow::lockedUntil).max(Instant::compareTo).orElseThrow();
                throw Errors.locked(env.isoMillis(until));
            }
            boolean match = byCode.isPresent()
                    && (last4 == null || named.stream().anyMatch(p -> p.parcelId().equals(byCode.get().parcelId())));
            // A locked parcel's right code answers exactly as a wrong code (and counts as one): answering "locked"
            // only to existing codes would let a brute force over many keypads find the codes of the parcels it
            // locked first by naming a phone's last 4 digits (issue #10: codes are never enumerable).
            if (!match || ParcelLadder.locked(byCode.get().lockedUntil(), now)) {
                throw wrong(keypad, named, now);
            }
            return open(byCode.get(), "keypad:" + keypad, now);
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    /**
     * An app pickup the cloud authorised (R8): the parcel is named by id instead of a code; the parcel's own
     * lockout, state and fee rules apply as at the keypad.
     */
    public PickupResult openForApp(String parcelId, String actor) throws LockerException {
        try {
            ParcelRow parcel = env.store().read(tx -> Tables.parcel(tx.connection(), parcelId == null ? "" : parcelId,
                    false)).orElseThrow(() -> Errors.notFound("parcel " + parcelId));
            if (!parcel.state().pickable() && parcel.state() != ParcelState.HELD
                    && parcel.state() != ParcelState.REJECTED) {
                throw Errors.of(Kind.CONFLICT, "not_pickable", "包裹当前状态不能取件：" + parcel.state(),
                        "The parcel cannot be picked up in state " + parcel.state(),
                        Errors.extra("state", parcel.state().name()));
            }
            return open(parcel, actor, env.now());
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    private PickupResult open(ParcelRow parcel, String actor, Instant now) throws StoreException, LockerException {
        if (ParcelLadder.locked(parcel.lockedUntil(), now)) {
            throw Errors.locked(env.isoMillis(parcel.lockedUntil()));
        }
        if (parcel.state() == ParcelState.HELD) {
            throw Errors.of(Kind.FORBIDDEN, "held", "该包裹已超期留存，只能由快递员取回，请联系快递员",
                    "This parcel is held for its courier; please contact the courier");
        }
        if (parcel.state() == ParcelState.REJECTED) {
            throw Errors.of(Kind.FORBIDDEN, "rejected", "包裹已被拒收，等待快递员取回",
                    "Parcel was rejected and waits for the courier");
        }
        AttachedCabinet cabinet = registry.cabinet(parcel.cabinetId()).orElse(null);
        if (cabinet == null || cabinet.driver() == null) {
            throw Errors.unavailable();
        }
        Fee fee = policies.fee().quote(parcel.toApi(), now);
        // an in-locker parcel's fee_fen without fee_owed is what the cloud confirmed paid (payment.confirmed)
        long paid = parcel.feeOwed() ? 0 : parcel.feeFen();
        long due = Math.max(0, fee.feeFen() - paid);
        if (env.settings().paymentRequiredFirst() && due > 0) {
            throw Errors.of(Kind.FORBIDDEN, "payment_required", "请先支付超时费 " + due / 100.0 + " 元",
                    "Please pay the overdue fee of ¥" + due / 100.0 + " first", Errors.extra("feeFen", due));
        }
        boolean owed = due > 0;
        long charged = Math.max(fee.feeFen(), paid);
        String key = CompartmentRow.key(parcel.groupId(), parcel.compartment());
        CompartmentState prior = env.store().write("pickup.open", tx -> {
            Connection c = tx.connection();
            CompartmentRow row = Tables.compartment(c, parcel.groupId(), parcel.compartment(), true)
                    .orElseThrow(() -> Errors.notFound("compartment " + key));
            if (row.state() == CompartmentState.FAULT) {
                throw doorJammed();
            }
            if (!parcel.parcelId().equals(row.parcelId()) || !(row.state() == CompartmentState.OCCUPIED
                    || row.state() == CompartmentState.DISABLED || row.state() == CompartmentState.OPENING)) {
                throw Errors.busy(row.label());
            }
            if (row.state() != CompartmentState.OPENING) {
                Tables.moveCompartment(c, row, CompartmentState.OPENING, row.parcelId());
            }
            Db.update(c, "UPDATE parcel SET wrong_codes = 0, locked_until = NULL, fee_fen = ?, fee_owed = ?, "
                    + "version = version + 1 WHERE parcel_id = ?", charged, owed, parcel.parcelId());
            tx.audit(now, actor, "parcel.pickup_opening", parcel.parcelId(), key + ", fee "
                    + charged + " fen" + (owed ? " owed" : paid > 0 ? " prepaid" : ""));
            env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "OPENING");
            return row.state();
        });
        if (prior != CompartmentState.OPENING) {
            intents.put(key, new OpenIntents.Intent(OpenIntents.Kind.PICKUP, parcel.parcelId(),
                    prior == CompartmentState.DISABLED ? CompartmentState.DISABLED : null));
        }
        Unlocker.Result outcome = unlocker.unlock(parcel.groupId(), parcel.cabinetId(), parcel.compartment());
        if (outcome.opened()) {
            env.store().write("pickup.opened", tx -> {
                Db.update(tx.connection(), "UPDATE compartment SET door_closed = FALSE, door_opened_at = COALESCE("
                        + "door_opened_at, ?), uses = uses + 1 WHERE group_id = ? AND label = ?", env.now(),
                        parcel.groupId(), parcel.compartment());
                tx.audit(env.now(), actor, "compartment.opened", key, outcome.wireName() + " for pickup "
                        + parcel.parcelId());
                env.events().compartment(tx, parcel.groupId(), parcel.cabinetId(), parcel.compartment(), "OPENING");
                return null;
            });
            return new PickupResult(parcel.parcelId(), parcel.cabinetId(), parcel.compartment(), outcome.wireName(),
                    charged, owed);
        }
        OpenIntents.Intent intent = intents.remove(key).orElse(null);
        env.store().write(outcome == Unlocker.Result.JAMMED ? "pickup.jammed" : "pickup.unavailable", tx -> {
            Connection c = tx.connection();
            CompartmentRow row = Tables.compartment(c, parcel.groupId(), parcel.compartment(), true).orElseThrow();
            if (row.state() != CompartmentState.OPENING) {
                return null;
            }
            if (outcome == Unlocker.Result.JAMMED) {
                Tables.moveCompartment(c, row, CompartmentState.FAULT, row.parcelId());
                alarms.raise(tx, AlarmType.DOOR_JAMMED, row.groupId(), row.cabinetId(), row.label(),
                        "取件时格口 " + row.label() + " 门未打开，包裹等待工作人员 / Door of compartment " + row.label()
                                + " did not open for a pickup; the parcel waits for staff");
                tx.audit(env.now(), "system", "compartment.fault", key, "jammed during pickup " + parcel.parcelId());
                env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "FAULT");
            } else {
                CompartmentState back = intent != null && intent.resume() == CompartmentState.DISABLED
                        ? CompartmentState.DISABLED : CompartmentState.OCCUPIED;
                Tables.moveCompartment(c, row, back, row.parcelId());
                tx.audit(env.now(), "system", "compartment.unlock_failed", key, "no answer for pickup "
                        + parcel.parcelId());
                env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), back.name());
            }
            return null;
        });
        throw outcome == Unlocker.Result.JAMMED ? doorJammed() : Errors.unavailable();
    }

    /** Counts a wrong code against the keypad and the named parcels; answers the stricter of the two. */
    private LockerException wrong(String keypad, List<ParcelRow> named, Instant now)
            throws StoreException, LockerException {
        int keypadLeft = keypads.recordFailure(keypad, now);
        Instant lockedUntil = keypadLeft == 0 ? keypads.lockedUntil(keypad, now) : null;
        int left = keypadLeft;
        if (!named.isEmpty()) {
            List<Object[]> results = env.store().write("pickup.wrong_code", tx -> {
                List<Object[]> out = new ArrayList<>();
                for (ParcelRow p : named) {
                    ParcelRow row = Tables.parcel(tx.connection(), p.parcelId(), true).orElse(null);
                    if (row == null || !row.state().pickable()) {
                        continue;
                    }
                    int count = ParcelLadder.effectiveCount(row.wrongCodes(), row.lockedUntil(), now) + 1;
                    Duration lock = ParcelLadder.lockFor(count);
                    Instant until = now.plus(lock);
                    Db.update(tx.connection(), "UPDATE parcel SET wrong_codes = ?, locked_until = ? WHERE parcel_id = ?",
                            count, until, row.parcelId());
                    tx.audit(now, "keypad:" + keypad, "parcel.wrong_code", row.parcelId(), "wrong code #" + count
                            + (lock.isZero() ? "" : ", locked until " + env.iso(until)));
                    out.add(new Object[] {lock.isZero() ? ParcelLadder.attemptsLeft(count) : 0,
                        lock.isZero() ? null : until});
                }
                return out;
            });
            for (Object[] r : results) {
                left = Math.min(left, (Integer) r[0]);
                Instant until = (Instant) r[1];
                if (until != null && (lockedUntil == null || until.isAfter(lockedUntil))) {
                    lockedUntil = until;
                }
            }
        }
        return lockedUntil != null ? Errors.locked(env.isoMillis(lockedUntil)) : Errors.wrongCode(left);
    }

    /** Pickable parcels of the group whose phone ends with these 4 digits (phones decrypted in memory only). */
    private List<ParcelRow> named(String groupId, String last4) throws StoreException, LockerException {
        List<ParcelRow> rows = env.store().read(tx -> Db.query(tx.connection(), "SELECT * FROM parcel WHERE group_id = ? "
                + "AND state IN ('DEPOSITED', 'OVERDUE', 'RECALL_DUE') AND phone_masked LIKE ?", ParcelRow::map, groupId,
                "%" + last4.substring(3)));
        List<ParcelRow> out = new ArrayList<>();
        for (ParcelRow row : rows) {
            try {
                if (row.phoneEnc() != null && cipher.decrypt(row.parcelId(), row.phoneEnc()).endsWith(last4)) {
                    out.add(row);
                }
            } catch (IllegalArgumentException e) {
                // a phone that does not decrypt names nothing
            }
        }
        return out;
    }

    public void reject(String groupId, String parcelId, String reason) throws LockerException {
        registry.group(groupId).orElseThrow(() -> Errors.unknownGroup(groupId));
        String why = reason == null || reason.isBlank() ? "unspecified" : reason.strip();
        if (why.length() > 200) {
            why = why.substring(0, 200);
        }
        String because = why;
        try {
            env.store().write("parcel.reject", tx -> {
                Connection c = tx.connection();
                ParcelRow parcel = Tables.parcel(c, parcelId == null ? "" : parcelId, true)
                        .filter(p -> p.groupId().equals(groupId))
                        .orElseThrow(() -> Errors.notFound("parcel " + parcelId));
                CompartmentRow row = Tables.compartment(c, groupId, parcel.compartment(), true).orElse(null);
                if (row == null || row.state() != CompartmentState.OPENING || row.doorClosed()
                        || !parcelId.equals(row.parcelId()) || !parcel.state().pickable()) {
                    throw Errors.of(Kind.CONFLICT, "not_open", "只能在取件门打开时拒收", "A parcel can only be rejected "
                            + "while its pickup door is open");
                }
                Instant now = env.now();
                Tables.moveParcel(c, parcel, ParcelState.REJECTED, now);
                env.events().outbox(tx, Stream.EVENTS, "parcel.rejected", now, Json.obj("parcelId", parcelId,
                        "groupId", groupId, "cabinetId", parcel.cabinetId(), "compartment", parcel.compartment(),
                        "companyCode", parcel.companyCode(), "courierId", parcel.courierId(), "waybill",
                        parcel.waybill(), "reason", because, "ts", env.iso(now)));
                tx.audit(now, "resident", "parcel.rejected", parcelId, because);
                env.events().parcel(tx, groupId, parcel.cabinetId(), parcel.compartment(), parcelId, "REJECTED");
                return null;
            });
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    private static LockerException doorJammed() {
        return Errors.of(Kind.UNAVAILABLE, "door_jammed", "格口门未能打开，包裹将由工作人员处理",
                "The door did not open; staff will hand out the parcel");
    }
}
