package org.lockergate.kiosk.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.lockergate.api.locker.CourierSession;
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
 * {@code POST /groups/{groupId}/sessions} with {@code {"courierId":…,"pin":…}} or {@code {"token":…}} → 2.01
 * {@code {"session":…,"company":…,"expiresAt":…}}; 4.01 {@code bad_credentials} ({@code attemptsLeft}), 4.29
 * {@code locked} ({@code lockedUntil}). The PIN's format is the courier company's business: any PIN of 1–64
 * characters goes to the core, which checks and counts it.
 */
@Component(service = CoapHandler.class, configurationPid = KioskConfig.PID, property = {
    CoapHandler.PATH + "=/groups/{groupId}/sessions",
    CoapHandler.METHODS + "=POST"})
public final class SessionsHandler implements CoapHandler {

    private static final Pattern PIN = Pattern.compile("[^\\p{Cntrl}]{1,64}");

    private final KioskService kiosk;
    private final LockerQueries queries;
    private final KioskAccess access;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Activate
    public SessionsHandler(@Reference(name = "kiosk") KioskService kiosk,
            @Reference(name = "queries") LockerQueries queries, KioskConfig config) {
        this(kiosk, queries, KioskAccess.of(config));
    }

    /** Without configuration ({@link KioskAccess#DEFAULT}). */
    SessionsHandler(KioskService kiosk, LockerQueries queries) {
        this(kiosk, queries, KioskAccess.DEFAULT);
    }

    SessionsHandler(KioskService kiosk, LockerQueries queries, KioskAccess access) {
        this.kiosk = kiosk;
        this.queries = queries;
        this.access = access;
    }

    @Override
    public void handle(CoapCall call) {
        String groupId = KioskSupport.group(call, queries, access);
        Fields body = Fields.of(call.json());
        try {
            CourierSession session;
            if (body.has("token")) {
                if (body.has("courierId") || body.has("pin")) {
                    throw Fields.bad("token", "与 courierId/pin 二选一", "and courierId/pin are alternatives: send one");
                }
                session = kiosk.signInWithToken(groupId, body.text("token", 2048));
            } else {
                String courierId = body.text("courierId", 64);
                char[] pin = body.string("pin", PIN, "须为 1–64 个字符", "must be 1-64 characters").toCharArray();
                try {
                    session = kiosk.signIn(groupId, courierId, pin);
                } finally {
                    Arrays.fill(pin, '\0');
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("session", session.session());
            answer.put("company", session.companyCode());
            answer.put("expiresAt", session.expiresAt() == null ? null
                    : LockerErrors.timestamp(session.expiresAt(), KioskSupport.zone(clock)));
            call.respond(CoapResponseCode.CREATED, answer);
        } catch (LockerException e) {
            LockerErrors.respond(call, e, KioskSupport.zone(clock));
        }
    }
}
