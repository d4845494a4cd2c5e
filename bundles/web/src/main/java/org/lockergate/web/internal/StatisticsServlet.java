package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.lockergate.api.report.UsageReports;
import org.lockergate.api.report.UsageRow;
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
 * {@code GET /api/v1/statistics?from=2025-03-01&to=2025-03-31[&groupId=g1][&company=ZTO][&format=csv]} (admin,
 * technician, property, courier-company): per day, group and courier company the deposits, pickups, dwell time,
 * overdue share, compartment time, fees and tariffs (R12), as JSON or CSV. A courier-company viewer sees only its
 * own company: asking for another one is 403.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.statistics")
@HttpWhiteboardServletPattern(StatisticsServlet.PATH)
public class StatisticsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/statistics";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile UsageReports reports;

    public StatisticsServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Operator operator = requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY, Role.COURIER_COMPANY);
        String company = ownCompany(operator, request.getParameter("company"));
        LocalDate from = date(request, "from");
        LocalDate to = date(request, "to");
        if (to.isBefore(from)) {
            throw ApiException.badRequest("bad_request.range", "to");
        }
        if (from.plusDays(366).isBefore(to)) {
            throw ApiException.badRequest("bad_request.range_too_long", "to");
        }
        boolean csv = Csv.wanted(request);
        List<UsageRow> rows;
        try {
            rows = service(reports).usage(from, to, blankToNull(request.getParameter("groupId")), company);
        } catch (IllegalStateException e) {
            throw ApiException.serviceUnavailable("locker");
        }
        if (csv) {
            List<List<Object>> lines = new ArrayList<>();
            for (UsageRow r : rows) {
                lines.add(List.of(r.day(), r.groupId(), r.company(), r.deposits(), r.depositsS(), r.depositsM(),
                        r.depositsL(), r.pickups(), r.averageDwellSeconds(), r.overduePickups(), r.overduePermille(),
                        r.compartmentSeconds(), r.feeFen(), r.tariffFen()));
            }
            Csv.send(response, "statistics-" + from + "-" + to + ".csv", List.of("day", "groupId", "company",
                    "deposits", "depositsS", "depositsM", "depositsL", "pickups", "averageDwellSeconds",
                    "overduePickups", "overduePermille", "compartmentSeconds", "feeFen", "tariffFen"), lines);
            return;
        }
        List<Row> out = rows.stream().map(Row::of).toList();
        Json.send(response, 200, out);
    }

    /** The wire form of a {@link UsageRow}; field names are part of the API (openapi.json, UsageRow). */
    public record Row(LocalDate day, String groupId, String company, int deposits, int depositsS, int depositsM,
            int depositsL, int pickups, long dwellSeconds, long averageDwellSeconds, int overduePickups,
            int overduePermille, long compartmentSeconds, long feeFen, long tariffFen) {
        static Row of(UsageRow r) {
            return new Row(r.day(), r.groupId(), r.company(), r.deposits(), r.depositsS(), r.depositsM(),
                    r.depositsL(), r.pickups(), r.dwellSeconds(), r.averageDwellSeconds(), r.overduePickups(),
                    r.overduePermille(), r.compartmentSeconds(), r.feeFen(), r.tariffFen());
        }
    }

    /**
     * The company the operator may see: a courier-company viewer only its own (asking for another is 403), others
     * what they asked for (null = all).
     */
    static String ownCompany(Operator operator, String asked) {
        String wanted = blankToNull(asked);
        if (operator.hasAnyRole(Role.TECHNICIAN, Role.PROPERTY)) {
            return wanted;
        }
        String own = operator.company();
        if (own == null || (wanted != null && !wanted.equals(own))) {
            throw ApiException.forbidden();
        }
        return own;
    }

    static UsageReports service(UsageReports reports) {
        if (reports == null) {
            throw ApiException.serviceUnavailable("reports");
        }
        return reports;
    }

    static LocalDate date(HttpServletRequest request, String field) {
        String text = blankToNull(request.getParameter(field));
        if (text == null) {
            throw ApiException.badRequest("bad_request.missing_field", field);
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad_request.not_date", field);
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
