package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.lockergate.api.maintenance.InspectionRound;
import org.lockergate.api.maintenance.InspectionService;
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
 * {@code GET /api/v1/maintenance/inspections[?groupId=g1][&overdue=true][&completed=true][&limit=200]}: the pending
 * inspection and cleaning rounds (with {@code completed=true} also the completed ones; with {@code overdue=true}
 * only the overdue ones), each with {@code overdue} computed on the gateway clock. Property staff, technicians and
 * admins.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.maintenance.inspections")
@HttpWhiteboardServletPattern(InspectionsServlet.PATH)
public class InspectionsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/maintenance/inspections";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile InspectionService inspections;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile GatewayClock clock;

    public InspectionsServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MaintenanceApi.staff(request);
        InspectionService service = service(inspections);
        boolean overdueOnly = flag(request, "overdue");
        String group = request.getParameter("groupId");
        group = group == null || group.isBlank() ? null : group.strip();
        Instant now = now(clock);
        List<InspectionRound> rounds = overdueOnly ? service.overdue()
                : service.rounds(group, flag(request, "completed"), MaintenanceApi.limit(request));
        String wanted = group;
        Json.send(response, 200, rounds.stream().filter(r -> wanted == null || wanted.equals(r.groupId()))
                .map(r -> MaintenanceApi.Round.of(r, now)).toList());
    }

    static Instant now(GatewayClock clock) {
        return clock == null ? Clock.systemUTC().instant() : clock.now();
    }

    static boolean flag(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank() || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("bad_request.not_boolean", name);
    }

    static InspectionService service(InspectionService inspections) {
        if (inspections == null) {
            throw ApiException.serviceUnavailable("inspections");
        }
        return inspections;
    }
}
