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
import java.util.List;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.identity.Role;

/**
 * Cabinet groups (admin, technician, property): {@code GET /api/v1/groups} (each with its registry data, R21, its
 * cabinets' online count and its compartments by state), {@code GET /groups/{groupId}},
 * {@code GET /groups/{groupId}/cabinets} and {@code GET /groups/{groupId}/compartments} (with an ETag, like
 * {@code /compartments}). A courier-company viewer gets 403: it reads only its own parcels and statistics.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.groups")
@HttpWhiteboardServletPattern(GroupsServlet.PATH)
public class GroupsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/groups/*";

    /** The paths of openapi.json this servlet serves. */
    public static final List<String> DOCUMENTED = List.of("/groups", "/groups/{groupId}",
            "/groups/{groupId}/cabinets", "/groups/{groupId}/compartments");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile LockerQueries queries;

    public GroupsServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
        LockerQueries q = Locker.queries(queries);
        List<String> path = Params.segments(request);
        if (path.isEmpty()) {
            List<Views.GroupView> groups = Locker.read(() -> {
                List<org.lockergate.api.model.Cabinet> cabinets = q.cabinets(null);
                List<Compartment> compartments = q.compartments(null);
                return q.groups().stream().map(g -> Views.GroupView.of(g, cabinets, compartments)).toList();
            });
            Json.sendTagged(request, response, groups);
            return;
        }
        String groupId = path.get(0);
        CabinetGroup group = Locker.read(() -> q.group(groupId)).orElseThrow(ApiException::notFound);
        if (path.size() == 1) {
            Json.send(response, 200, Locker.read(() -> Views.GroupView.of(group, q.cabinets(groupId),
                    q.compartments(groupId))));
        } else if (path.size() == 2 && path.get(1).equals("compartments")) {
            Json.sendTagged(request, response, Locker.read(() -> q.compartments(groupId)).stream()
                    .map(Views.CompartmentView::of).toList());
        } else if (path.size() == 2 && path.get(1).equals("cabinets")) {
            Json.send(response, 200, Locker.read(() -> q.cabinets(groupId)).stream()
                    .map(Views.CabinetView::of).toList());
        } else {
            throw ApiException.notFound();
        }
    }
}
