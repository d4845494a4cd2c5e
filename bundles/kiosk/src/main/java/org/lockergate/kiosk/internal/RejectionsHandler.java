package org.lockergate.kiosk.internal;

import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
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
 * {@code POST /groups/{groupId}/rejections} {@code {"parcelId":…,"reason":…}} while the pickup's door is open (R19)
 * → 2.04 without a body; 4.09 {@code not_open}.
 */
@Component(service = CoapHandler.class, configurationPid = KioskConfig.PID, property = {
    CoapHandler.PATH + "=/groups/{groupId}/rejections",
    CoapHandler.METHODS + "=POST"})
public final class RejectionsHandler implements CoapHandler {

    private final KioskService kiosk;
    private final LockerQueries queries;
    private final KioskAccess access;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Activate
    public RejectionsHandler(@Reference(name = "kiosk") KioskService kiosk,
            @Reference(name = "queries") LockerQueries queries, KioskConfig config) {
        this(kiosk, queries, KioskAccess.of(config));
    }

    /** Without configuration ({@link KioskAccess#DEFAULT}). */
    RejectionsHandler(KioskService kiosk, LockerQueries queries) {
        this(kiosk, queries, KioskAccess.DEFAULT);
    }

    RejectionsHandler(KioskService kiosk, LockerQueries queries, KioskAccess access) {
        this.kiosk = kiosk;
        this.queries = queries;
        this.access = access;
    }

    @Override
    public void handle(CoapCall call) {
        String groupId = KioskSupport.group(call, queries, access);
        Fields body = Fields.of(call.json());
        String parcelId = body.text("parcelId", 64);
        String reason = body.text("reason", 200);
        try {
            kiosk.reject(groupId, parcelId, reason);
            call.respond(CoapResponseCode.CHANGED);
        } catch (LockerException e) {
            LockerErrors.respond(call, e, KioskSupport.zone(clock));
        }
    }
}
