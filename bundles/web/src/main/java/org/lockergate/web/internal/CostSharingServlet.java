package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.lockergate.api.report.CostSharing;
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
 * {@code GET /api/v1/cost-sharing?month=2025-03[&groupId=g1][&format=csv]} (admin, technician, property,
 * courier-company): each group's running costs of the month split among the courier companies by funding share and
 * by actual use (compartment time), side by side, as JSON or CSV. A courier-company viewer gets only its own lines.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.costsharing")
@HttpWhiteboardServletPattern(CostSharingServlet.PATH)
public class CostSharingServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/cost-sharing";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile org.lockergate.api.report.UsageReports reports;

    public CostSharingServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Operator operator = requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY, Role.COURIER_COMPANY);
        String only = operator.hasAnyRole(Role.TECHNICIAN, Role.PROPERTY) ? null
                : StatisticsServlet.ownCompany(operator, null);
        String monthText = StatisticsServlet.blankToNull(request.getParameter("month"));
        if (monthText == null) {
            throw ApiException.badRequest("bad_request.missing_field", "month");
        }
        YearMonth month;
        try {
            month = YearMonth.parse(monthText);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad_request.not_month", "month");
        }
        boolean csv = Csv.wanted(request);
        List<CostSharing> reports;
        try {
            reports = StatisticsServlet.service(this.reports).costSharing(month,
                    StatisticsServlet.blankToNull(request.getParameter("groupId")));
        } catch (IllegalStateException e) {
            throw ApiException.serviceUnavailable("locker");
        }
        List<CostSharing> visible = new ArrayList<>();
        for (CostSharing r : reports) {
            visible.add(only == null ? r : new CostSharing(r.month(), r.groupId(), r.runningCostFen(),
                    r.compartmentSeconds(), r.shares().stream().filter(s -> s.company().equals(only)).toList()));
        }
        if (csv) {
            List<List<Object>> lines = new ArrayList<>();
            for (CostSharing r : visible) {
                for (CostSharing.CostShare s : r.shares()) {
                    lines.add(List.of(r.month(), r.groupId(), r.runningCostFen(), s.company(), s.fundingSharePercent(),
                            s.deposits(), s.compartmentSeconds(), s.usePermille(), s.byFundingFen(), s.byUseFen(),
                            s.balanceFen(), s.tariffFen()));
                }
            }
            Csv.send(response, "cost-sharing-" + month + ".csv", List.of("month", "groupId", "runningCostFen",
                    "company", "fundingSharePercent", "deposits", "compartmentSeconds", "usePermille", "byFundingFen",
                    "byUseFen", "balanceFen", "tariffFen"), lines);
            return;
        }
        Json.send(response, 200, visible.stream().map(Report::of).toList());
    }

    /** The wire form of a {@link CostSharing}; field names are part of the API (openapi.json, CostSharing). */
    public record Report(String month, String groupId, long runningCostFen, long compartmentSeconds,
            List<CostSharing.CostShare> shares) {
        static Report of(CostSharing r) {
            return new Report(r.month().toString(), r.groupId(), r.runningCostFen(), r.compartmentSeconds(),
                    r.shares());
        }
    }
}
