package org.lockergate.kiosk.internal;

import java.net.InetSocketAddress;
import java.time.ZoneId;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.kiosk.coap.LockerErrors;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapResponseCode;

/** What every kiosk handler shares: the access and group check, the keypad id and the zone times are written in. */
final class KioskSupport {

    /** The path variable of every kiosk route. */
    static final String GROUP_ID = "groupId";

    private KioskSupport() {
    }

    /**
     * The group of the request's path, which the caller must be allowed to act for ({@link KioskAccess#check}: a
     * DTLS kiosk only for its own group, plain CoAP unless DTLS is required) and which must exist. The access check
     * comes first, so a refused kiosk learns nothing about which groups exist.
     *
     * @throws CoapException 4.03 {@code dtls_required} or {@code forbidden}; 4.04 {@code unknown_group}
     */
    static String group(CoapCall call, LockerQueries queries, KioskAccess access) {
        String groupId = call.pathVariable(GROUP_ID);
        access.check(call, groupId);
        if (queries.group(groupId).isEmpty()) {
            throw new CoapException(CoapResponseCode.NOT_FOUND, "unknown_group",
                    "未知的柜组 " + groupId + " / Unknown cabinet group " + groupId).with("groupId", groupId);
        }
        return groupId;
    }

    /**
     * The keypad the wrong-code lockout (R9) counts against: the DTLS-PSK identity when the kiosk uses CoAPs, else
     * the peer's IP address without the port (a client cannot escape the lockout by changing its source port; kiosks
     * behind one NAT address share one lockout).
     */
    static String keypadId(CoapCall call) {
        if (call.secure() && call.peerIdentity().isPresent()) {
            return call.peerIdentity().get();
        }
        InetSocketAddress peer = call.peer();
        if (peer == null) {
            return null;
        }
        return peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
    }

    /** The zone of the gateway clock, or Asia/Shanghai without one. */
    static ZoneId zone(GatewayClock clock) {
        if (clock != null) {
            try {
                ZoneId zone = clock.zone();
                if (zone != null) {
                    return zone;
                }
            } catch (RuntimeException e) {
                // a clock going away while we ask: fall back
            }
        }
        return LockerErrors.DEFAULT_ZONE;
    }
}
