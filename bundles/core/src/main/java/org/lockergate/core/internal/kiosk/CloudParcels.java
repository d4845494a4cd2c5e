package org.lockergate.core.internal.kiosk;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lockergate.api.locker.CloudParcelService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.ParcelRow;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.events.Json;
import org.lockergate.core.internal.policy.Policies;
import org.lockergate.store.StoreException;

/**
 * What the cloud does to a parcel (cloud commands): an app pickup through {@link PickupFlow}, a new pickup code
 * (the old one's HMAC is replaced in the same transaction, so it stops working at once) and a confirmed payment.
 */
public final class CloudParcels implements CloudParcelService {

    /** The most one payment may be (¥10,000): a larger amount is a unit mistake (yuan for fen) on the cloud side. */
    static final long MAX_PAYMENT_FEN = 1_000_000;

    private final Env env;
    private final Policies policies;
    private final CodeIssuer codes;
    private final Completions completions;
    private final PickupFlow pickups;

    public CloudParcels(Env env, Policies policies, CodeIssuer codes, Completions completions, PickupFlow pickups) {
        this.env = env;
        this.policies = policies;
        this.codes = codes;
        this.completions = completions;
        this.pickups = pickups;
    }

    @Override
    public PickupResult openForApp(String parcelId, String actor) throws LockerException {
        return pickups.openForApp(parcelId, actor);
    }

    @Override
    public Parcel resendCode(String parcelId, String actor) throws LockerException {
        List<CodeIssuer.Issued> issued = new ArrayList<>();
        try {
            return env.store().write("parcel.resend_code", tx -> {
                Connection c = tx.connection();
                ParcelRow parcel = parcel(c, parcelId);
                if (!parcel.state().pickable()) {
                    throw notPickable(parcel.state());
                }
                CodeIssuer.Issued code = codes.issue(c, parcel.groupId());
                issued.add(code);
                Instant now = env.now();
                Db.update(c, "UPDATE parcel SET code_hmac = ?, version = version + 1 WHERE parcel_id = ?", code.hmac(),
                        parcel.parcelId());
                ParcelRow updated = Tables.parcel(c, parcel.parcelId(), false).orElseThrow();
                Fee fee = policies.fee().quote(updated.toApi(), now);
                completions.requestNotification(tx, updated, code.code(), fee, true);
                tx.audit(now, actor, "parcel.code_resent", parcel.parcelId(), "new code issued, old code void");
                return updated.toApi();
            });
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        } finally {
            issued.forEach(codes::release);
        }
    }

    @Override
    public Parcel confirmPayment(String parcelId, long feeFen, String paymentRef, String actor)
            throws LockerException {
        if (feeFen <= 0 || feeFen > MAX_PAYMENT_FEN) {
            throw Errors.of(Kind.BAD_REQUEST, "bad_amount", "支付金额应为 1 至 " + MAX_PAYMENT_FEN + " 分",
                    "The amount must be 1 to " + MAX_PAYMENT_FEN + " fen", Errors.extra("feeFen", feeFen));
        }
        String ref = paymentRef == null || paymentRef.isBlank() ? null : paymentRef.strip();
        try {
            return env.store().write("fee.paid", tx -> {
                Connection c = tx.connection();
                ParcelRow parcel = parcel(c, parcelId);
                Instant now = env.now();
                boolean inLocker = parcel.state().pickable() || parcel.state() == ParcelState.HELD;
                long total;
                boolean settled;
                if (parcel.state() == ParcelState.PICKED_UP && parcel.feeOwed()) {
                    if (feeFen < parcel.feeFen()) {
                        throw Errors.of(Kind.BAD_REQUEST, "bad_amount", "支付金额少于欠费 " + parcel.feeFen() + " 分",
                                "The amount is less than the fee owed, " + parcel.feeFen() + " fen",
                                Errors.extra("feeOwedFen", parcel.feeFen()));
                    }
                    total = feeFen;
                    settled = true;
                    Db.update(c, "UPDATE parcel SET fee_owed = FALSE, fee_fen = ?, version = version + 1 "
                            + "WHERE parcel_id = ?", total, parcel.parcelId());
                } else if (inLocker) {
                    // paid ahead of the pickup: counts against the fee due when the door opens
                    total = (parcel.feeOwed() ? 0 : parcel.feeFen()) + feeFen;
                    settled = false;
                    Db.update(c, "UPDATE parcel SET fee_owed = FALSE, fee_fen = ?, version = version + 1 "
                            + "WHERE parcel_id = ?", total, parcel.parcelId());
                } else {
                    throw Errors.of(Kind.CONFLICT, "nothing_owed", "该包裹没有待付费用（状态 " + parcel.state() + "）",
                            "Nothing is owed for this parcel (state " + parcel.state() + ")",
                            Errors.extra("state", parcel.state().name(), "feeFen", parcel.feeFen()));
                }
                env.events().outbox(tx, Stream.EVENTS, "fee.paid", now, Json.obj("parcelId", parcel.parcelId(),
                        "groupId", parcel.groupId(), "companyCode", parcel.companyCode(), "feeFen", feeFen,
                        "paidTotalFen", total, "settled", settled, "paymentRef", ref, "ts", env.iso(now)));
                tx.audit(now, actor, "fee.paid", parcel.parcelId(), feeFen + " fen" + (settled ? " settles owed fee"
                        : " before pickup, " + total + " fen paid in total") + (ref == null ? "" : ", ref " + ref));
                return Tables.parcel(c, parcel.parcelId(), false).orElseThrow().toApi();
            });
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    private static ParcelRow parcel(Connection c, String parcelId) throws java.sql.SQLException, LockerException {
        return Tables.parcel(c, parcelId == null ? "" : parcelId, true)
                .orElseThrow(() -> Errors.notFound("parcel " + parcelId));
    }

    private static LockerException notPickable(ParcelState state) {
        return Errors.of(Kind.CONFLICT, "not_pickable", "包裹当前状态不能取件：" + state,
                "The parcel cannot be picked up in state " + state, Errors.extra("state", state.name()));
    }
}
