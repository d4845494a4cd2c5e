package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.MaintenanceService;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.spi.UnlockOutcome;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/**
 * Compartments: {@code GET /api/v1/compartments[?groupId=g1][&state=FAULT,DISABLED]} (admin, technician,
 * property; with an ETag for polling), and what staff do to one, each with {@code {"reason": "..."}} and audited
 * by the core with the operator: {@code POST /compartments/{groupId}/{label}/disable} and {@code …/enable}
 * (technician, property) and {@code …/open} (technician only: it opens a door that may hold someone's parcel).
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.compartments")
@HttpWhiteboardServletPattern(CompartmentsServlet.PATH)
public class CompartmentsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/compartments/*";

    /** The paths of openapi.json this servlet serves. */
    public static final List<String> DOCUMENTED = List.of("/compartments",
            "/compartments/{groupId}/{label}/disable", "/compartments/{groupId}/{label}/enable",
            "/compartments/{groupId}/{label}/open");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile LockerQueries queries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile MaintenanceService maintenance;

    public CompartmentsServlet() {
        super("GET", "POST");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
        if (!Params.segments(request).isEmpty()) {
            throw ApiException.methodNotAllowed("GET", "POST");
        }
        LockerQueries q = Locker.queries(queries);
        String groupId = Params.text(request, "groupId");
        List<CompartmentState> states = Params.enums(request, "state", CompartmentState.class);
        if (groupId != null && Locker.read(() -> q.group(groupId)).isEmpty()) {
            throw ApiException.notFound();
        }
        List<Compartment> all = Locker.read(() -> q.compartments(groupId));
        Json.sendTagged(request, response, all.stream().filter(c -> states.isEmpty() || states.contains(c.state()))
                .map(Views.CompartmentView::of).toList());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = Params.segments(request);
        if (path.size() != 3) {
            if (path.isEmpty()) {
                throw ApiException.methodNotAllowed("POST", "GET, HEAD");
            }
            throw ApiException.notFound();
        }
        String groupId = path.get(0);
        String label = path.get(1);
        String action = path.get(2);
        Operator operator = switch (action) {
            case "open" -> requireAnyRole(request, Role.TECHNICIAN);
            case "disable", "enable" -> requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
            default -> throw ApiException.notFound();
        };
        JsonNode body = Json.readObject(request);
        JsonNode reasonNode = body.get("reason");
        if (reasonNode == null || reasonNode.isNull() || !reasonNode.isTextual() || reasonNode.asText().isBlank()) {
            throw ApiException.badRequest("bad_request.reason_required", "reason");
        }
        String reason = reasonNode.asText().trim();
        MaintenanceService service = maintenance;
        if (service == null) {
            throw ApiException.serviceUnavailable("maintenance");
        }
        String actor = WebAudit.actor(operator.username());
        try {
            switch (action) {
                case "open" -> {
                    UnlockOutcome outcome = service.open(groupId, label, actor, reason);
                    Json.send(response, 200, Map.of("groupId", groupId, "compartment", label, "action", action,
                            "outcome", outcome.wireName()));
                    return;
                }
                case "disable" -> service.disable(groupId, label, actor, reason);
                default -> service.enable(groupId, label, actor, reason);
            }
        } catch (LockerException e) {
            throw ApiException.locker(e);
        }
        LockerQueries q = queries;
        Compartment now = q == null ? null : Locker.read(() -> q.compartments(groupId)).stream()
                .filter(c -> c.label().equals(label)).findFirst().orElse(null);
        Json.send(response, 200, now == null ? Map.of("groupId", groupId, "compartment", label, "action", action)
                : Views.CompartmentView.of(now));
    }
}
