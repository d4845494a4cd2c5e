package org.lockergate.kiosk.internal;

import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.send.SendService;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.kiosk.coap.LockerErrors;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapResponseCode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code POST /groups/{groupId}/sends/collections} {@code {"session":…,"orderId":…}}: a signed-in courier collects
 * a DROPPED send or return order of his company (R20) → 2.04 {@code {"orderId","cabinetId","compartment","unlock"}};
 * COLLECTED when the door closes empty. Refusals: 4.01 {@code no_session}, 4.03 {@code forbidden} (another
 * company's), 4.09 {@code not_collectable}, 4.04 {@code not_found}, 5.03 {@code door_jammed} / {@code unavailable}.
 */
@Component(service = CoapHandler.class, configurationPid = KioskConfig.PID, property = {
    CoapHandler.PATH + "=/groups/{groupId}/sends/collections",
    CoapHandler.METHODS + "=POST"})
public final class SendCollectionsHandler implements CoapHandler {

    private final SendService sends;
    private final LockerQueries queries;
    private final KioskAccess access;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Activate
    public SendCollectionsHandler(@Reference(name = "sends") SendService sends,
            @Reference(name = "queries") LockerQueries queries, KioskConfig config) {
        this(sends, queries, KioskAccess.of(config));
    }

    SendCollectionsHandler(SendService sends, LockerQueries queries, KioskAccess access) {
        this.sends = sends;
        this.queries = queries;
        this.access = access;
    }

    @Override
    public void handle(CoapCall call) {
        String groupId = KioskSupport.group(call, queries, access);
        Fields body = Fields.of(call.json());
        String session = body.text("session", 256);
        String orderId = body.text("orderId", 64);
        try {
            call.respond(CoapResponseCode.CHANGED, SendDropsHandler.answer(sends.collect(groupId, session, orderId)));
        } catch (LockerException e) {
            LockerErrors.respond(call, e, KioskSupport.zone(clock));
        }
    }
}
