package org.lockergate.vendor.coap.internal;

import java.util.function.Predicate;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapResponseCode;

/**
 * Who may act for a cabinet (DESIGN.md §4): over CoAPs only the peer whose PSK identity is the cabinet's id; over
 * plain CoAP anyone, except for a cabinet registered over CoAPs or (when configured) one that has a DTLS key.
 */
final class Access {

    static final String FORBIDDEN = "forbidden";

    private Access() {
    }

    /**
     * Refuses the call with 4.03 {@code forbidden} unless it may act for the cabinet.
     *
     * @param current the cabinet's live registration, or null
     * @param hasKey whether an id has a DTLS key (and plain CoAP is then refused)
     */
    static void check(CoapCall call, String cabinetId, Registration current, Predicate<String> hasKey) {
        if (call.secure()) {
            if (!call.peerIdentity().map(cabinetId::equals).orElse(false)) {
                throw new CoapException(CoapResponseCode.FORBIDDEN, FORBIDDEN,
                        "DTLS 对端只能代表自己的 ID / a DTLS peer may only act for its own id");
            }
            return;
        }
        if (current != null && current.peer().secure()) {
            throw new CoapException(CoapResponseCode.FORBIDDEN, FORBIDDEN, "柜子 " + cabinetId
                    + " 通过 CoAPs 注册，请使用 CoAPs / cabinet " + cabinetId + " registered over CoAPs: use CoAPs");
        }
        if (hasKey.test(cabinetId)) {
            throw new CoapException(CoapResponseCode.FORBIDDEN, FORBIDDEN, "柜子 " + cabinetId
                    + " 有 DTLS 密钥，只能通过 CoAPs 访问 / cabinet " + cabinetId + " has a DTLS key: use CoAPs");
        }
    }

    /** Only the DTLS identity rule, for reads: over CoAPs the identity must be the cabinet's id. */
    static void checkIdentity(CoapCall call, String cabinetId) {
        check(call, cabinetId, null, id -> false);
    }
}
