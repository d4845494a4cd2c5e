package org.lockergate.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.maintenance.InspectionRound;
import org.lockergate.api.maintenance.InspectionService;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.identity.Operator;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code POST /api/v1/maintenance/inspections/{roundId}/complete} with {@code {"ticked":["…"],"note":"…"}}:
 * completes a pending round with the checklist items the operator ticked. Property staff, technicians and admins.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.maintenance.inspection")
@HttpWhiteboardServletPattern(InspectionServlet.PATH)
public class InspectionServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/maintenance/inspections/*";

    /** The templated paths this prefix servlet serves, as openapi.json documents them. */
    public static final List<String> DOCUMENTED = List.of("/maintenance/inspections/{roundId}/complete");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile InspectionService inspections;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile GatewayClock clock;

    public InspectionServlet() {
        super("POST");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Operator operator = MaintenanceApi.staff(request);
        String info = request.getPathInfo();
        String[] parts = info == null || info.length() <= 1 ? new String[0] : info.substring(1).split("/", -1);
        if (parts.length != 2 || !parts[1].equals("complete")) {
            throw ApiException.notFound();
        }
        long id = MaintenanceApi.id(parts[0]);
        JsonNode body = Json.readObject(request);
        try {
            InspectionRound round = InspectionsServlet.service(inspections).complete(id, MaintenanceApi.actor(operator),
                    MaintenanceApi.textList(body, "ticked"), MaintenanceApi.optionalText(body, "note"));
            Json.send(response, 200, MaintenanceApi.Round.of(round, InspectionsServlet.now(clock)));
        } catch (LockerException e) {
            throw MaintenanceApi.refused(e);
        }
    }
}
