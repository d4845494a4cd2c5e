package org.lockergate.api.locker;

/**
 * A pickup whose door opened. The pickup completes when the door closes again.
 *
 * @param parcelId the parcel
 * @param cabinetId its cabinet
 * @param compartment its door label
 * @param unlock {@code opened} or {@code already_open}
 * @param feeFen fee charged (or owed), in fen
 * @param feeOwed true when the fee was let through unpaid (offline policy)
 */
public record PickupResult(String parcelId, String cabinetId, String compartment, String unlock, long feeFen,
        boolean feeOwed) {
}
