package org.lockergate.kiosk.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.send.SendOpenResult;
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
 * {@code POST /groups/{groupId}/sends/drops} {@code {"code":"12345678"}}: the resident drops a parcel for a send or
 * return order (R20) with the send code the cloud sent → 2.04 {@code {"orderId","cabinetId","compartment","unlock"}};
 * the order is DROPPED when the door closes with the item in. Refusals through {@link LockerErrors}: 4.03
 * {@code wrong_code} ({@code attemptsLeft}), 4.29 {@code locked}, 4.03 {@code camera_offline}, 5.03
 * {@code door_jammed} / {@code unavailable}. The keypad for the lockout is {@link KioskSupport#keypadId}.
 */
@Component(service = CoapHandler.class, configurationPid = KioskConfig.PID, property = {
    CoapHandler.PATH + "=/groups/{groupId}/sends/drops",
    CoapHandler.METHODS + "=POST"})
public final class SendDropsHandler implements CoapHandler {

    private static final Pattern CODE = Pattern.compile("[0-9]{8}");

    private final SendService sends;
    private final LockerQueries queries;
    private final KioskAccess access;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Activate
    public SendDropsHandler(@Reference(name = "sends") SendService sends,
            @Reference(name = "queries") LockerQueries queries, KioskConfig config) {
        this(sends, queries, KioskAccess.of(config));
    }

    SendDropsHandler(SendService sends, LockerQueries queries, KioskAccess access) {
        this.sends = sends;
        this.queries = queries;
        this.access = access;
    }

    @Override
    public void handle(CoapCall call) {
        String groupId = KioskSupport.group(call, queries, access);
        Fields body = Fields.of(call.json());
        String code = body.string("code", CODE, "须为 8 位数字", "must be 8 digits");
        try {
            SendOpenResult result = sends.drop(groupId, code, KioskSupport.keypadId(call));
            call.respond(CoapResponseCode.CHANGED, answer(result));
        } catch (LockerException e) {
            LockerErrors.respond(call, e, KioskSupport.zone(clock));
        }
    }

    static Map<String, Object> answer(SendOpenResult result) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("orderId", result.orderId());
        answer.put("cabinetId", result.cabinetId());
        answer.put("compartment", result.compartment());
        answer.put("unlock", result.unlock());
        return answer;
    }
}
