package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.lockergate.api.maintenance.RepairTime;
import org.lockergate.api.maintenance.TicketService;
import org.lockergate.api.time.GatewayClock;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/maintenance/repair-times?from=2025-03-01&to=2025-03-31}: mean time to repair of the tickets
 * closed in those days (community time zone, both days included), per vendor and per group. Property staff,
 * technicians and admins.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.maintenance.repair-times")
@HttpWhiteboardServletPattern(RepairTimesServlet.PATH)
public class RepairTimesServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/maintenance/repair-times";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile TicketService tickets;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile GatewayClock clock;

    public RepairTimesServlet() {
        super("GET");
    }

    /** The answer; field names are part of the API (openapi.json, RepairTimes). */
    public record RepairTimes(LocalDate from, LocalDate to, List<RepairTime> byVendor, List<RepairTime> byGroup) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MaintenanceApi.staff(request);
        LocalDate from = StatisticsServlet.date(request, "from");
        LocalDate to = StatisticsServlet.date(request, "to");
        if (to.isBefore(from)) {
            throw ApiException.badRequest("bad_request.range", "to");
        }
        if (from.plusDays(366).isBefore(to)) {
            throw ApiException.badRequest("bad_request.range_too_long", "to");
        }
        GatewayClock c = clock;
        ZoneId zone = c == null ? ZoneId.of("Asia/Shanghai") : c.zone();
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        TicketService service = TicketsServlet.service(tickets);
        Json.send(response, 200, new RepairTimes(from, to, service.repairTimesByVendor(start, end),
                service.repairTimesByGroup(start, end)));
    }
}
