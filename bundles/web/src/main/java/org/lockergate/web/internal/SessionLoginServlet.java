package org.lockergate.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.lockergate.identity.IdentityService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code POST /api/v1/login} (anonymous), the console's login: {@code {"user","password"}} ({@code username} is
 * accepted too) → the same answer as {@code /auth/login} (token, roles, company, {@code csrfToken}) and the
 * session cookie {@value Sessions#COOKIE} ({@code HttpOnly; SameSite=Strict; Path=/}). Changes made with the
 * cookie need {@code X-CSRF-Token}; see {@link AuthFilter}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.sessionlogin")
@HttpWhiteboardServletPattern(SessionLoginServlet.PATH)
public class SessionLoginServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/login";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile IdentityService identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile org.lockergate.api.locker.AuditLog audit;

    transient Clock clock = Clock.systemUTC();

    public SessionLoginServlet() {
        super("POST");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body = Json.readObject(request);
        String user = body.hasNonNull("user") || !body.has("username") ? Json.requiredText(body, "user")
                : Json.requiredText(body, "username");
        LoginServlet.Token token = LoginServlet.login(identity, audit, clock, request, user,
                Json.requiredText(body, "password"));
        Sessions.setCookie(request, response, token.token(), token.expiresAt(), clock.instant());
        Json.send(response, 200, token);
    }
}
