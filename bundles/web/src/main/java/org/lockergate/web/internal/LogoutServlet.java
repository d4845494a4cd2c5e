package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code POST /api/v1/auth/logout} (authenticated): ends the token that authenticated the request
 * (and clears the session cookie when there is one); 204. Audited. */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.logout")
@HttpWhiteboardServletPattern(LogoutServlet.PATH)
public class LogoutServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/auth/logout";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile IdentityService identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile org.lockergate.api.locker.AuditLog audit;

    transient java.time.Clock clock = java.time.Clock.systemUTC();

    public LogoutServlet() {
        super("POST");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        IdentityService service = identity;
        if (service == null) {
            throw ApiException.serviceUnavailable("identity");
        }
        Operator operator = operator(request);
        service.logout((String) request.getAttribute(AuthFilter.TOKEN_ATTRIBUTE));
        WebAudit.write(audit, WebAudit.actor(operator.username()), "operator.logout",
                operator.username(), Boolean.TRUE.equals(request.getAttribute(AuthFilter.VIA_COOKIE_ATTRIBUTE))
                        ? "browser session" : "bearer token");
        if (Sessions.cookie(request).isPresent()) {
            Sessions.clearCookie(request, response);
        }
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
