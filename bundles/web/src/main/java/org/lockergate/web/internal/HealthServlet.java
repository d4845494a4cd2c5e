package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthReport;
import org.lockergate.health.HealthService;
import org.lockergate.health.HealthStatus;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/health} (anonymous): the gateway's health report, 200 when UP and 503 with the same body
 * when DOWN; 503 {@code service_unavailable} when no {@link HealthService} is running.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.health")
@HttpWhiteboardServletPattern(HealthServlet.PATH)
public class HealthServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/health";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile HealthService health;

    public HealthServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HealthService service = health;
        if (service == null) {
            throw ApiException.serviceUnavailable("health");
        }
        HealthReport report = service.check();
        int status = report.status() == HealthStatus.UP ? 200 : 503;
        Json.send(response, status, Report.of(report));
    }

    /** The wire form of a {@link HealthReport}; field names are part of the API. */
    public record Report(String status, Instant checkedAt, List<Check> checks) {
        static Report of(HealthReport report) {
            return new Report(report.status().name(), report.checkedAt(),
                    report.checks().stream().map(Check::of).toList());
        }
    }

    /** The wire form of a {@link HealthCheck}. */
    public record Check(String name, String status, boolean critical, String message, Map<String, Object> details) {
        static Check of(HealthCheck check) {
            return new Check(check.name(), check.status().name(), check.critical(), check.message(), check.details());
        }
    }
}
