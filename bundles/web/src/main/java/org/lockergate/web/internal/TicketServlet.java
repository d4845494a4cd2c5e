package org.lockergate.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.maintenance.Ticket;
import org.lockergate.api.maintenance.TicketService;
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
 * One maintenance ticket: {@code GET /api/v1/maintenance/tickets/{id}}, and its actions {@code POST …/{id}/take},
 * {@code …/{id}/note} ({@code {"text":…}}) and {@code …/{id}/close} ({@code {"resolution":…,
 * "enableCompartment":true}}). Property staff, technicians and admins; each action is audited with the operator.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.maintenance.ticket")
@HttpWhiteboardServletPattern(TicketServlet.PATH)
public class TicketServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/maintenance/tickets/*";

    /** The templated paths this prefix servlet serves, as openapi.json documents them. */
    public static final List<String> DOCUMENTED = List.of("/maintenance/tickets/{ticketId}",
            "/maintenance/tickets/{ticketId}/take", "/maintenance/tickets/{ticketId}/note",
            "/maintenance/tickets/{ticketId}/close");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile TicketService tickets;

    public TicketServlet() {
        super("GET", "POST");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MaintenanceApi.staff(request);
        String[] parts = segments(request);
        if (parts.length != 1) {
            throw ApiException.notFound();
        }
        long id = MaintenanceApi.id(parts[0]);
        Ticket ticket = TicketsServlet.service(tickets).ticket(id)
                .orElseThrow(() -> new ApiException(404, "not_found", "maintenance.not_found"));
        Json.send(response, 200, ticket);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Operator operator = MaintenanceApi.staff(request);
        String[] parts = segments(request);
        if (parts.length != 2) {
            throw ApiException.notFound();
        }
        long id = MaintenanceApi.id(parts[0]);
        TicketService service = TicketsServlet.service(tickets);
        String actor = MaintenanceApi.actor(operator);
        try {
            Ticket ticket = switch (parts[1]) {
                case "take" -> service.take(id, actor);
                case "note" -> service.note(id, actor, Json.requiredText(Json.readObject(request), "text"));
                case "close" -> {
                    JsonNode body = Json.readObject(request);
                    yield service.close(id, actor, Json.requiredText(body, "resolution"),
                            MaintenanceApi.optionalBoolean(body, "enableCompartment"));
                }
                default -> throw ApiException.notFound();
            };
            Json.send(response, 200, ticket);
        } catch (LockerException e) {
            throw MaintenanceApi.refused(e);
        }
    }

    private static String[] segments(HttpServletRequest request) {
        String info = request.getPathInfo();
        if (info == null || info.length() <= 1) {
            return new String[0];
        }
        return info.substring(1).split("/", -1);
    }
}
