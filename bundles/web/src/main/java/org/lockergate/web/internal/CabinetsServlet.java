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
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.identity.Role;

/**
 * {@code GET /api/v1/cabinets[?groupId=g1]} (admin, technician, property): every cabinet with vendor, model,
 * firmware, live online state and last heartbeat.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.cabinets")
@HttpWhiteboardServletPattern(CabinetsServlet.PATH)
public class CabinetsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/cabinets";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile LockerQueries queries;

    public CabinetsServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
        LockerQueries q = Locker.queries(queries);
        String groupId = Params.text(request, "groupId");
        Json.send(response, 200, Locker.read(() -> q.cabinets(groupId)).stream().map(Views.CabinetView::of)
                .toList());
    }
}
