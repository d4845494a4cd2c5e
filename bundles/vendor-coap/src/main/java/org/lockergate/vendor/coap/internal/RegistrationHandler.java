package org.lockergate.vendor.coap.internal;

import java.util.function.Predicate;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapMethod;
import org.lockergate.transport.coap.CoapResponseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /rd/{regId}} (empty): the heartbeat — the registration's lifetime starts again, its address follows
 * the request, the core hears {@code heartbeat()} → 2.04. {@code DELETE /rd/{regId}} → the core hears
 * {@code detach("deregistered")} → 2.02. An unknown or expired id → 4.04 {@code unknown_registration}: the cabinet
 * registers again.
 */
final class RegistrationHandler implements CoapHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationHandler.class);

    private final Registrations registrations;
    private final Predicate<String> keyed;

    RegistrationHandler(Registrations registrations, Predicate<String> keyed) {
        this.registrations = registrations;
        this.keyed = keyed;
    }

    @Override
    public void handle(CoapCall call) {
        String regId = call.pathVariable("regId");
        Registration registration = registrations.find(regId).orElseThrow(() -> new CoapException(
                CoapResponseCode.NOT_FOUND, "unknown_registration", "未知或已过期的注册 rd/" + regId
                        + "，请重新注册 / unknown or expired registration rd/" + regId + ": register again"));
        Access.check(call, registration.cabinetId(), registration, keyed);
        if (call.method() == CoapMethod.DELETE) {
            if (registrations.remove(registration)) {
                Registrations.detach(registration, "deregistered");
                LOG.info("柜子 {} 已注销 rd/{} / Cabinet {} deregistered rd/{}", registration.cabinetId(), regId,
                        registration.cabinetId(), regId);
            }
            call.respond(CoapResponseCode.DELETED);
            return;
        }
        registration.refresh(new Registration.Peer(call.peer(), call.secure()), registrations.now());
        registration.link().heartbeat();
        call.respond(CoapResponseCode.CHANGED);
    }
}
