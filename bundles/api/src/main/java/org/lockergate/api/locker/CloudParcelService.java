package org.lockergate.api.locker;

import org.lockergate.api.model.Parcel;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the cloud does to a parcel on the resident's behalf (cloud commands {@code pickup.authorize},
 * {@code parcel.resend-code}, {@code payment.confirmed}). The caller has verified the command (signature, expiry,
 * replay); the core applies its own rules (state, lockout, fee, cabinet online). Every accepted step is one durable
 * transaction with its outbox event and audit row, like the kiosk's.
 *
 * @since 1.2
 */
@ProviderType
public interface CloudParcelService {

    /**
     * An app pickup authorised by the cloud (R8): opens the parcel's compartment through the pickup workflow
     * without the code; the pickup completes when the door closes again. Errors as
     * {@link KioskService#pickup}: {@code not_found}, {@code not_pickable} ({@code state}), {@code held},
     * {@code rejected}, {@code locked}, {@code payment_required} ({@code feeFen}), {@code busy},
     * {@code door_jammed}, {@code unavailable}.
     *
     * @param actor who authorised it, for the audit, e.g. {@code cloud:req-123}
     */
    PickupResult openForApp(String parcelId, String actor) throws LockerException;

    /**
     * Issues a new pickup code for a parcel in the locker (R8 "resend code"): the old code stops working at once,
     * the new one exists in clear only in a new {@code notification.requested} outbox row and is handed to the
     * notifiers. Errors: {@code not_found}, {@code not_pickable} ({@code state}).
     *
     * @return the parcel (masked; never the code)
     */
    Parcel resendCode(String parcelId, String actor) throws LockerException;

    /**
     * The cloud confirms that the resident paid {@code feeFen} for this parcel (R5): a fee owed after a pickup is
     * settled, or, for a parcel still in the locker, the amount counts against the fee due at pickup (a pickup
     * that required payment first then opens while the paid amount covers the fee). Outbox {@code fee.paid}.
     * Errors: {@code not_found}, {@code bad_amount}, {@code nothing_owed} (picked up with no fee owed, or the
     * parcel left the locker otherwise).
     *
     * @param paymentRef the payment's reference at the cloud (audited)
     * @return the parcel after the change
     */
    Parcel confirmPayment(String parcelId, long feeFen, String paymentRef, String actor) throws LockerException;
}
