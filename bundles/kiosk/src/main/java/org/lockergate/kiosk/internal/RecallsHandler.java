package org.lockergate.kiosk.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.RecallEntry;
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
 * {@code GET /groups/{groupId}/recalls?session=…}: the signed-in courier's company's recall and return list at this
 * group (R7, R19) → 2.05 {@code {"parcels":[{"parcelId","compartment","state","waybill","since"}]}}, parcels in
 * RECALL_DUE, HELD or REJECTED, no personal data; {@code since} in the gateway's zone with milliseconds. Without
 * {@code session}: 4.00 {@code bad_request} ({@code field} {@code session}); unknown or expired: 4.01
 * {@code no_session}.
 */
@Component(service = CoapHandler.class, configurationPid = KioskConfig.PID, property = {
    CoapHandler.PATH + "=/groups/{groupId}/recalls",
    CoapHandler.METHODS + "=GET"})
public final class RecallsHandler implements CoapHandler {

    private final KioskService kiosk;
    private final LockerQueries queries;
    private final KioskAccess access;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Activate
    public RecallsHandler(@Reference(name = "kiosk") KioskService kiosk,
            @Reference(name = "queries") LockerQueries queries, KioskConfig config) {
        this(kiosk, queries, KioskAccess.of(config));
    }

    /** Without configuration ({@link KioskAccess#DEFAULT}). */
    RecallsHandler(KioskService kiosk, LockerQueries queries) {
        this(kiosk, queries, KioskAccess.DEFAULT);
    }

    RecallsHandler(KioskService kiosk, LockerQueries queries, KioskAccess access) {
        this.kiosk = kiosk;
        this.queries = queries;
        this.access = access;
    }

    @Override
    public void handle(CoapCall call) {
        String groupId = KioskSupport.group(call, queries, access);
        String session = call.query("session").orElse("");
        if (session.isEmpty() || session.length() > 256 || session.chars().anyMatch(Character::isISOControl)) {
            throw Fields.bad("session", "须为 1–256 个字符", "must be 1-256 characters");
        }
        ZoneId zone = KioskSupport.zone(clock);
        try {
            List<Map<String, Object>> parcels = new ArrayList<>();
            for (RecallEntry entry : kiosk.recalls(groupId, session)) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("parcelId", entry.parcelId());
                p.put("compartment", entry.compartment());
                p.put("state", entry.state().name());
                p.put("waybill", entry.waybill());
                p.put("since", entry.since() == null ? null : LockerErrors.timestamp(entry.since(), zone));
                parcels.add(p);
            }
            call.respond(CoapResponseCode.CONTENT, Map.of("parcels", parcels));
        } catch (LockerException e) {
            LockerErrors.respond(call, e, zone);
        }
    }
}
