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
import java.time.Instant;
import java.util.List;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.identity.Role;

/**
 * {@code GET /api/v1/audit[?from=ISO][&to=ISO][&cursor=id][&limit=50]} (admin, technician, property): the
 * append-only audit log (R17) oldest first, paged by row id ({@code cursor} = the last id seen).
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.audit")
@HttpWhiteboardServletPattern(AuditServlet.PATH)
public class AuditServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/audit";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile LockerQueries queries;

    public AuditServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
        LockerQueries q = Locker.queries(queries);
        Instant from = Params.instant(request, "from");
        Instant to = Params.instant(request, "to");
        if (from != null && to != null && to.isBefore(from)) {
            throw ApiException.badRequest("bad_request.range", "to");
        }
        long after = Params.longValue(request, "cursor", 0);
        int limit = Params.limit(request);
        List<AuditEntry> rows = Locker.read(() -> q.audit(from, to, after, limit));
        String next = rows.isEmpty() ? null : String.valueOf(rows.get(rows.size() - 1).id());
        Json.send(response, 200, Page.of(request, rows.stream().map(Views.AuditView::of).toList(), limit, next));
    }
}
