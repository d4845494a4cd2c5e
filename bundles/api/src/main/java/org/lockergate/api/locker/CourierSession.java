package org.lockergate.api.locker;

import java.time.Instant;

/**
 * A courier signed in at a group's kiosk (R0): 10 minutes idle by default.
 *
 * @param session opaque token the kiosk sends back with each deposit
 * @param courierId the courier
 * @param companyCode his company
 * @param expiresAt when it expires unless used
 */
public record CourierSession(String session, String courierId, String companyCode, Instant expiresAt) {

    @Override
    public String toString() {
        return "CourierSession[" + courierId + ", " + companyCode + ", expiresAt=" + expiresAt + "]";
    }
}
