package org.lockergate.core.internal.kiosk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.spi.PickupNotification;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.crypto.PhoneCipher;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.ParcelRow;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.events.Json;
import org.lockergate.core.internal.notify.Notifiers;
import org.lockergate.core.internal.policy.BasicFeePolicy;
import org.lockergate.core.internal.policy.Policies;
import org.lockergate.core.internal.registry.Definitions;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.store.StoreTx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ends of the two workflows, each inside the transaction that stores the door event: a deposit completes
 * (code issued, {@code parcel.deposited} and {@code notification.requested}, notifiers after commit) or is
 * cancelled; a pickup completes ({@code parcel.picked_up}, fee events).
 */
public final class Completions {

    private static final Logger LOG = LoggerFactory.getLogger(Completions.class);

    private final Env env;
    private final Registry registry;
    private final Policies policies;
    private final Alarms alarms;
    private final CodeIssuer codes;
    private final PhoneCipher cipher;
    private final Notifiers notifiers;

    public Completions(Env env, Registry registry, Policies policies, Alarms alarms, CodeIssuer codes,
            PhoneCipher cipher, Notifiers notifiers) {
        this.env = env;
        this.registry = registry;
        this.policies = policies;
        this.alarms = alarms;
        this.codes = codes;
        this.cipher = cipher;
        this.notifiers = notifiers;
    }

    /** The door closed with the item in: DEPOSITED, OCCUPIED, a fresh code that exists in clear only in the outbox. */
    public void deposit(StoreTx tx, CompartmentRow row, ParcelRow parcel, String actor, List<CodeIssuer.Issued> issued)
            throws SQLException {
        Connection c = tx.connection();
        Instant now = env.now();
        CodeIssuer.Issued code = codes.issue(c, row.groupId());
        issued.add(code);
        Tables.moveParcel(c, parcel, ParcelState.DEPOSITED, now);
        Db.update(c, "UPDATE parcel SET deposited_at = ?, code_hmac = ? WHERE parcel_id = ?", now, code.hmac(),
                parcel.parcelId());
        Tables.moveCompartment(c, row, CompartmentState.OCCUPIED, parcel.parcelId());
        Db.update(c, "UPDATE compartment SET occupied_since = ?, item_present = TRUE WHERE group_id = ? AND label = ?",
                now, row.groupId(), row.label());
        ParcelRow deposited = Tables.parcel(c, parcel.parcelId(), false).orElseThrow();
        Fee fee = policies.fee().quote(deposited.toApi(), now);
        env.events().outbox(tx, Stream.EVENTS, "parcel.deposited", now, Json.obj("parcelId", parcel.parcelId(),
                "groupId", row.groupId(), "cabinetId", row.cabinetId(), "compartment", row.label(), "size",
                parcel.size().name(), "companyCode", parcel.companyCode(), "courierId", parcel.courierId(), "waybill",
                parcel.waybill(), "depositedAt", env.iso(now), "freeUntil", env.iso(fee.freeUntil())));
        requestNotification(tx, deposited, code.code(), fee, false);
        tx.audit(now, actor, "parcel.deposited", parcel.parcelId(), row.key() + " by courier:" + parcel.courierId());
        alarms.clear(tx, AlarmType.ITEM_MISSING, row.groupId(), row.cabinetId(), row.label());
        env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "OCCUPIED");
        env.events().parcel(tx, row.groupId(), row.cabinetId(), row.label(), parcel.parcelId(), "DEPOSITED");
    }

    /**
     * The {@code notification.requested} outbox row (the only place the clear code is kept) and, after commit, the
     * notifiers; {@code resend} marks a new code for a parcel already notified (R8).
     */
    public void requestNotification(StoreTx tx, ParcelRow parcel, String clearCode, Fee fee, boolean resend)
            throws SQLException {
        Instant now = env.now();
        Definitions.Group group = registry.group(parcel.groupId()).orElse(null);
        String name = group == null ? parcel.groupId() : group.name();
        String address = group == null ? null : group.info().address();
        String feeRule = parcel.feeTermsAccepted() ? fee.explanation()
                : "免费保管，不收取超时费 / Free storage, no overdue fee";
        if (parcel.feeTermsAccepted() && policies.fee() instanceof BasicFeePolicy) {
            feeRule = BasicFeePolicy.describe(BasicFeePolicy.Rule.DEFAULT);
        }
        Map<String, Object> data = Json.obj("parcelId", parcel.parcelId(), "groupId", parcel.groupId(), "cabinetId",
                parcel.cabinetId(), "compartment", parcel.compartment(), "code", clearCode, "phoneMasked",
                parcel.phoneMasked(), "waybill", parcel.waybill(), "companyCode", parcel.companyCode(), "freeUntil",
                env.iso(fee.freeUntil()), "lockerName", name, "lockerAddress", address, "feeRule", feeRule);
        if (resend) {
            data.put("resend", true);
        }
        env.events().outbox(tx, Stream.EVENTS, "notification.requested", now, data);
        Instant freeUntil = fee.freeUntil();
        String rule = feeRule;
        tx.afterCommit(() -> {
            String phone;
            try {
                phone = cipher.decrypt(parcel.parcelId(), parcel.phoneEnc());
            } catch (IllegalArgumentException e) {
                LOG.error("Phone of parcel {} cannot be decrypted; notifiers get the masked phone only",
                        parcel.parcelId());
                phone = null;
            }
            notifiers.deliver(new PickupNotification(parcel.parcelId(), parcel.groupId(), parcel.cabinetId(),
                    parcel.compartment(), clearCode, phone, parcel.phoneMasked(), name, address, freeUntil, rule));
        });
    }

    /** The door closed empty on a reservation (or the hold expired): CANCELLED, compartment FREE. */
    public void cancel(StoreTx tx, CompartmentRow row, ParcelRow parcel, String reason) throws SQLException {
        Instant now = env.now();
        Tables.moveParcel(tx.connection(), parcel, ParcelState.CANCELLED, now);
        if (row != null && row.state() == CompartmentState.RESERVED && parcel.parcelId().equals(row.parcelId())) {
            Tables.moveCompartment(tx.connection(), row, CompartmentState.FREE, null);
            env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "FREE");
        }
        tx.audit(now, "system", "parcel.cancelled", parcel.parcelId(), reason);
        env.events().parcel(tx, parcel.groupId(), parcel.cabinetId(), parcel.compartment(), parcel.parcelId(),
                "CANCELLED");
    }

    /** The door closed empty after a pickup: PICKED_UP, compartment back to FREE (or DISABLED). */
    public void pickup(StoreTx tx, CompartmentRow row, ParcelRow parcel, CompartmentState resume, String actor)
            throws SQLException {
        Connection c = tx.connection();
        Instant now = env.now();
        Tables.moveParcel(c, parcel, ParcelState.PICKED_UP, now);
        CompartmentState to = resume == CompartmentState.DISABLED ? CompartmentState.DISABLED : CompartmentState.FREE;
        Tables.moveCompartment(c, row, to, null);
        Db.update(c, "UPDATE compartment SET occupied_since = NULL WHERE group_id = ? AND label = ?", row.groupId(),
                row.label());
        env.events().outbox(tx, Stream.EVENTS, "parcel.picked_up", now, Json.obj("parcelId", parcel.parcelId(),
                "groupId", row.groupId(), "cabinetId", row.cabinetId(), "compartment", row.label(), "companyCode",
                parcel.companyCode(), "feeFen", parcel.feeFen(), "feeOwed", parcel.feeOwed(), "pickedUpAt",
                env.iso(now)));
        if (parcel.feeFen() > 0) {
            env.events().outbox(tx, Stream.EVENTS, parcel.feeOwed() ? "fee.owed" : "fee.charged", now,
                    Json.obj("parcelId", parcel.parcelId(), "groupId", row.groupId(), "companyCode",
                            parcel.companyCode(), "feeFen", parcel.feeFen()));
            tx.audit(now, actor, parcel.feeOwed() ? "fee.owed" : "fee.charged", parcel.parcelId(),
                    parcel.feeFen() + " fen");
        }
        tx.audit(now, actor, "parcel.picked_up", parcel.parcelId(), row.key());
        alarms.clearAll(tx, row.groupId(), row.cabinetId(), row.label(), AlarmType.ITEM_LEFT);
        env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), to.name());
        env.events().parcel(tx, row.groupId(), row.cabinetId(), row.label(), parcel.parcelId(), "PICKED_UP");
    }

    /**
     * The door closed empty after a courier's take-back: RECALL_DUE or HELD → RECALLED, REJECTED → RETURNED,
     * compartment back to FREE (or DISABLED), outbox {@code parcel.recalled} / {@code parcel.returned}.
     */
    public void withdrawn(StoreTx tx, CompartmentRow row, ParcelRow parcel, CompartmentState resume, String actor)
            throws SQLException {
        Connection c = tx.connection();
        Instant now = env.now();
        boolean returned = parcel.state() == ParcelState.REJECTED;
        ParcelState target = returned ? ParcelState.RETURNED : ParcelState.RECALLED;
        String type = returned ? "parcel.returned" : "parcel.recalled";
        Tables.moveParcel(c, parcel, target, now);
        CompartmentState to = resume == CompartmentState.DISABLED ? CompartmentState.DISABLED : CompartmentState.FREE;
        Tables.moveCompartment(c, row, to, null);
        Db.update(c, "UPDATE compartment SET occupied_since = NULL WHERE group_id = ? AND label = ?", row.groupId(),
                row.label());
        String by = actor != null && actor.startsWith("courier:") ? actor.substring("courier:".length()) : null;
        env.events().outbox(tx, Stream.EVENTS, type, now, Json.obj("parcelId", parcel.parcelId(), "groupId",
                row.groupId(), "cabinetId", row.cabinetId(), "compartment", row.label(), "companyCode",
                parcel.companyCode(), "courierId", parcel.courierId(), "withdrawnBy", by, "waybill", parcel.waybill(),
                "from", parcel.state().name(), "ts", env.iso(now)));
        tx.audit(now, actor, type, parcel.parcelId(), row.key() + " (was " + parcel.state() + ")");
        alarms.clearAll(tx, row.groupId(), row.cabinetId(), row.label(), AlarmType.ITEM_LEFT);
        env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), to.name());
        env.events().parcel(tx, row.groupId(), row.cabinetId(), row.label(), parcel.parcelId(), target.name());
    }
}
