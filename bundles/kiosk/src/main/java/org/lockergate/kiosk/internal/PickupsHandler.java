package org.lockergate.kiosk.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
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
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code POST /groups/{groupId}/pickups} {@code {"code":"12345678"}} (optional {@code "phoneLast4":"1234"}) → 2.04
 * {@code {"parcelId","cabinetId","compartment","unlock","feeFen","feeOwed"}}; the core's refusals
 * ({@code wrong_code}, {@code locked}, {@code payment_required}, {@code held}, {@code door_jammed},
 * {@code unavailable}) go out through {@link LockerErrors}.
 *
 * <p>The keypad for the lockout is {@link KioskSupport#keypadId}. A code that is not exactly
 * {@link KioskConfig#pickupCodeDigits()} digits is 4.00 {@code bad_request} and is not counted as a wrong code: it
 * cannot match a parcel, so it tells nothing about valid codes, and counting it would only lock out residents who
 * mistype.
 */
@Component(service = CoapHandler.class, configurationPid = KioskConfig.PID, property = {
    CoapHandler.PATH + "=/groups/{groupId}/pickups",
    CoapHandler.METHODS + "=POST"})
@Designate(ocd = KioskConfig.class)
public final class PickupsHandler implements CoapHandler {

    private static final Pattern LAST4 = Pattern.compile("[0-9]{4}");

    private final KioskService kiosk;
    private final LockerQueries queries;
    private final KioskAccess access;
    private final Pattern code;
    private final int digits;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Activate
    public PickupsHandler(@Reference(name = "kiosk") KioskService kiosk,
            @Reference(name = "queries") LockerQueries queries, KioskConfig config) {
        this(kiosk, queries, config.pickupCodeDigits(), KioskAccess.of(config));
    }

    /** Without configuration ({@link KioskAccess#DEFAULT}). */
    PickupsHandler(KioskService kiosk, LockerQueries queries, int digits) {
        this(kiosk, queries, digits, KioskAccess.DEFAULT);
    }

    PickupsHandler(KioskService kiosk, LockerQueries queries, int digits, KioskAccess access) {
        if (digits < 4 || digits > 16) {
            throw new IllegalArgumentException("pickupCodeDigits must be 4-16: " + digits);
        }
        this.kiosk = kiosk;
        this.queries = queries;
        this.digits = digits;
        this.code = Pattern.compile("[0-9]{" + digits + "}");
        this.access = access;
    }

    @Override
    public void handle(CoapCall call) {
        String groupId = KioskSupport.group(call, queries, access);
        Fields body = Fields.of(call.json());
        String pickupCode = body.string("code", code, "须为 " + digits + " 位数字", "must be " + digits + " digits");
        String last4 = body.optionalString("phoneLast4", LAST4, "须为 4 位数字", "must be 4 digits");
        try {
            PickupResult result = kiosk.pickup(groupId, pickupCode, last4, KioskSupport.keypadId(call));
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
