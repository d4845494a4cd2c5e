package org.lockergate.kiosk.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.PickupResult;
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
 * {@code POST /groups/{groupId}/withdrawals} {@code {"session":…,"parcelId":…}}: a signed-in courier takes back a
 * parcel of his company that is RECALL_DUE, HELD or REJECTED (R7, R19) → 2.04
 * {@code {"parcelId","cabinetId","compartment","unlock","feeFen","feeOwed"}} like a pickup; the core's refusals
 * ({@code no_session}, {@code forbidden}, {@code not_withdrawable}, {@code not_found}, {@code busy},
 * {@code door_jammed}, {@code unavailable}) go out through {@link LockerErrors}.
 */
@Component(service = CoapHandler.class, configurationPid = KioskConfig.PID, property = {
    CoapHandler.PATH + "=/groups/{groupId}/withdrawals",
    CoapHandler.METHODS + "=POST"})
public final class WithdrawalsHandler implements CoapHandler {

    private final KioskService kiosk;
    private final LockerQueries queries;
    private final KioskAccess access;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Activate
    public WithdrawalsHandler(@Reference(name = "kiosk") KioskService kiosk,
            @Reference(name = "queries") LockerQueries queries, KioskConfig config) {
        this(kiosk, queries, KioskAccess.of(config));
    }

    /** Without configuration ({@link KioskAccess#DEFAULT}). */
    WithdrawalsHandler(KioskService kiosk, LockerQueries queries) {
        this(kiosk, queries, KioskAccess.DEFAULT);
    }

    WithdrawalsHandler(KioskService kiosk, LockerQueries queries, KioskAccess access) {
        this.kiosk = kiosk;
        this.queries = queries;
        this.access = access;
    }

    @Override
    public void handle(CoapCall call) {
        String groupId = KioskSupport.group(call, queries, access);
        Fields body = Fields.of(call.json());
        String session = body.text("session", 256);
        String parcelId = body.text("parcelId", 64);
        try {
            PickupResult result = kiosk.withdraw(groupId, session, parcelId);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("parcelId", result.parcelId());
            answer.put("cabinetId", result.cabinetId());
            answer.put("compartment", result.compartment());
            answer.put("unlock", result.unlock());
            answer.put("feeFen", result.feeFen());
            answer.put("feeOwed", result.feeOwed());
            call.respond(CoapResponseCode.CHANGED, answer);
        } catch (LockerException e) {
            LockerErrors.respond(call, e, KioskSupport.zone(clock));
        }
    }
}
