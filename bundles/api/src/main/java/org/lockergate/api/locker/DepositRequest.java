package org.lockergate.api.locker;

import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Declaration;
import org.lockergate.api.model.SizeClass;

/**
 * A courier's deposit at the kiosk.
 *
 * @param session the courier session token
 * @param waybill the waybill number
 * @param size the size the parcel needs
 * @param phone the recipient's phone in clear (encrypted at rest, shown masked)
 * @param consent the recipient's consent evidence (R1), or {@code null} when there is none
 * @param declared the courier's declaration (R2)
 * @param preferLow the recipient asked for a low compartment
 */
public record DepositRequest(String session, String waybill, SizeClass size, String phone, Consent consent,
        Declaration declared, boolean preferLow) {

    @Override
    public String toString() {
        return "DepositRequest[waybill=" + waybill + ", size=" + size + "]";
    }
}
