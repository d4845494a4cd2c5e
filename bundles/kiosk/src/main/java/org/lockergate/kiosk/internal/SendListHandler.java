package org.lockergate.kiosk.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.send.SendOrder;
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
 * {@code GET /groups/{groupId}/sends?session=…}: the signed-in courier's company's collection list at this group
 * (DROPPED send and return orders, R20) → 2.05
 * {@code {"orders":[{"orderId","kind","compartment","size","waybill","droppedAt"}]}}; no personal data. Without
 * {@code session}: 4.00 {@code bad_request}; unknown or expired: 4.01 {@code no_session}.
 */
@Component(service = CoapHandler.class, configurationPid = KioskConfig.PID, property = {
    CoapHandler.PATH + "=/groups/{groupId}/sends",
    CoapHandler.METHODS + "=GET"})
public final class SendListHandler implements CoapHandler {

    private final SendService sends;
    private final LockerQueries queries;
    private final KioskAccess access;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Activate
    public SendListHandler(@Reference(name = "sends") SendService sends,
            @Reference(name = "queries") LockerQueries queries, KioskConfig config) {
        this(sends, queries, KioskAccess.of(config));
    }

    SendListHandler(SendService sends, LockerQueries queries, KioskAccess access) {
        this.sends = sends;
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
            List<Map<String, Object>> orders = new ArrayList<>();
            for (SendOrder o : sends.collectionList(groupId, session)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("orderId", o.orderId());
                m.put("kind", o.kind().name());
                m.put("compartment", o.compartment());
                m.put("size", o.size() == null ? null : o.size().name());
                m.put("waybill", o.waybill());
                m.put("droppedAt", o.droppedAt() == null ? null : LockerErrors.timestamp(o.droppedAt(), zone));
                orders.add(m);
            }
            call.respond(CoapResponseCode.CONTENT, Map.of("orders", orders));
        } catch (LockerException e) {
            LockerErrors.respond(call, e, zone);
        }
    }
}
