package org.lockergate.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.maintenance.Ticket;
import org.lockergate.api.maintenance.TicketService;
import org.lockergate.api.maintenance.TicketState;
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
 * {@code GET /api/v1/maintenance/tickets[?state=OPEN,TAKEN][&groupId=g1][&limit=200]} lists maintenance tickets,
 * newest first; {@code POST} opens one by hand ({@code fault}, {@code groupId}, optional {@code cabinetId},
 * {@code compartment}, {@code description}). Property staff, technicians and admins; courier companies get 403.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.maintenance.tickets")
@HttpWhiteboardServletPattern(TicketsServlet.PATH)
public class TicketsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/maintenance/tickets";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile TicketService tickets;

    public TicketsServlet() {
        super("GET", "POST");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MaintenanceApi.staff(request);
        List<TicketState> states = new ArrayList<>();
        String state = request.getParameter("state");
        if (state != null && !state.isBlank()) {
            for (String s : state.split(",")) {
                try {
                    states.add(TicketState.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("bad_request.ticket_state", "state");
                }
            }
        }
        String group = request.getParameter("groupId");
        List<Ticket> out = service(tickets).tickets(states, group == null || group.isBlank() ? null : group.strip(),
                MaintenanceApi.limit(request));
        Json.send(response, 200, out);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Operator operator = MaintenanceApi.staff(request);
        JsonNode body = Json.readObject(request);
        String fault = Json.requiredText(body, "fault");
        String group = Json.requiredText(body, "groupId");
        try {
            Ticket ticket = service(tickets).open(fault, group, MaintenanceApi.optionalText(body, "cabinetId"),
                    MaintenanceApi.optionalText(body, "compartment"), MaintenanceApi.optionalText(body, "description"),
                    MaintenanceApi.actor(operator));
            Json.send(response, 201, ticket);
        } catch (LockerException e) {
            throw MaintenanceApi.refused(e);
        }
    }

    static TicketService service(TicketService tickets) {
        if (tickets == null) {
            throw ApiException.serviceUnavailable("tickets");
        }
        return tickets;
    }
}
