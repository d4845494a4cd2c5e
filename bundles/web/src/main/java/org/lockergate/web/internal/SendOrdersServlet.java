package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lockergate.api.model.SendOrderState;
import org.lockergate.api.send.SendOrder;
import org.lockergate.api.send.SendService;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/send-orders[?state=DROPPED][&groupId=g1][&company=ZTO][&limit=100]} (admin, technician,
 * property, courier-company): send and return orders (R20), newest first. A courier-company viewer sees only its own
 * company's orders (its collection list is {@code ?state=DROPPED}); asking for another company is 403. No personal
 * data and never a send code: the rows hold none.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.send-orders")
@HttpWhiteboardServletPattern(SendOrdersServlet.PATH)
public class SendOrdersServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/send-orders";

    private static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile SendService sends;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile GatewayClock clock;

    public SendOrdersServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Operator operator = requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY, Role.COURIER_COMPANY);
        String company = StatisticsServlet.ownCompany(operator, request.getParameter("company"));
        List<SendOrderState> states = states(request.getParameter("state"));
        int limit = limit(request.getParameter("limit"));
        SendService service = sends;
        if (service == null) {
            throw ApiException.serviceUnavailable("sends");
        }
        List<SendOrder> orders;
        try {
            orders = service.orders(company, StatisticsServlet.blankToNull(request.getParameter("groupId")), states,
                    limit);
        } catch (IllegalStateException e) {
            throw ApiException.serviceUnavailable("sends");
        }
        ZoneId zone = zone();
        Json.send(response, 200, orders.stream().map(o -> Row.of(o, zone)).toList());
    }

    /** The wire form of a {@link SendOrder}; field names are part of the API (openapi.json SendOrder). */
    public record Row(String orderId, String kind, String state, String groupId, String cabinetId,
            String compartment, String size, String companyCode, String waybill, String createdAt, String expiresAt,
            String droppedAt, String closedAt, String collectedBy) {
        static Row of(SendOrder o, ZoneId zone) {
            return new Row(o.orderId(), o.kind().name(), o.state().name(), o.groupId(), o.cabinetId(),
                    o.compartment(), o.size() == null ? null : o.size().name(), o.companyCode(), o.waybill(),
                    time(o.createdAt(), zone), time(o.expiresAt(), zone), time(o.droppedAt(), zone),
                    time(o.closedAt(), zone), o.collectedBy());
        }

        private static String time(Instant instant, ZoneId zone) {
            return instant == null ? null : instant.atZone(zone).toOffsetDateTime().toString();
        }
    }

    private ZoneId zone() {
        GatewayClock c = clock;
        try {
            return c == null || c.zone() == null ? DEFAULT_ZONE : c.zone();
        } catch (RuntimeException e) {
            return DEFAULT_ZONE;
        }
    }

    static List<SendOrderState> states(String text) {
        String value = StatisticsServlet.blankToNull(text);
        List<SendOrderState> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            try {
                out.add(SendOrderState.valueOf(part.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad_request.send_state", "state");
            }
        }
        return out;
    }

    static int limit(String text) {
        String value = StatisticsServlet.blankToNull(text);
        if (value == null) {
            return 200;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("bad_request.limit", "limit");
    }
}
