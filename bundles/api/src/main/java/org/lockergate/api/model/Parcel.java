package org.lockergate.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A parcel in (or through) the locker. Personal data appears only masked; the pickup code never appears.
 *
 * @param parcelId gateway-assigned id
 * @param groupId group
 * @param cabinetId cabinet of its compartment
 * @param compartment door label
 * @param size the size the courier asked for
 * @param waybill the courier company's waybill number
 * @param companyCode courier company
 * @param courierId the courier who deposited it
 * @param phoneMasked recipient phone, masked (e.g. {@code 138******34})
 * @param state parcel state
 * @param consent the consent evidence (R1)
 * @param reservedAt when the compartment was reserved
 * @param depositedAt when the door closed with the item in, {@code null} before
 * @param closedAt when the parcel left the locker (picked up, returned, recalled, cancelled), {@code null} before
 * @param feeFen fee charged or owed so far, in fen
 * @param feeOwed whether the fee was let through unpaid (offline policy, R5)
 */
public record Parcel(String parcelId, String groupId, String cabinetId, String compartment, SizeClass size,
        String waybill, String companyCode, String courierId, String phoneMasked, ParcelState state,
        Consent consent, Instant reservedAt, Instant depositedAt, Instant closedAt, long feeFen, boolean feeOwed) {

    public Parcel {
        Objects.requireNonNull(parcelId, "parcelId");
        Objects.requireNonNull(state, "state");
    }
}
