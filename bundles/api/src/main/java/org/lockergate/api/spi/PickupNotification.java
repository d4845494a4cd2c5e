package org.lockergate.api.spi;

import java.time.Instant;

/**
 * What the recipient is told after the door closes (R3). Contains the clear pickup code: it must only go to the
 * recipient's channel, never to a log or the courier.
 *
 * @param parcelId the parcel
 * @param groupId group
 * @param cabinetId cabinet
 * @param compartment door label
 * @param code the clear 8-digit pickup code
 * @param phone the recipient's phone in clear, for the SMS gateway (never logged)
 * @param phoneMasked the phone masked, for anything shown
 * @param lockerName the locker's name
 * @param lockerAddress the locker's address
 * @param freeUntil end of the free period
 * @param feeRule the fee rule in words
 */
public record PickupNotification(String parcelId, String groupId, String cabinetId, String compartment, String code,
        String phone, String phoneMasked, String lockerName, String lockerAddress, Instant freeUntil,
        String feeRule) {

    @Override
    public String toString() {
        return "PickupNotification[parcelId=" + parcelId + ", " + groupId + "/" + compartment + ", phone="
                + phoneMasked + "]";
    }
}
