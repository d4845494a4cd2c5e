package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/session} (any authenticated operator, by cookie or bearer token): who is logged in and the
 * CSRF token of this session, so a console reloaded in the browser (cookie still valid) can carry on.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.session")
@HttpWhiteboardServletPattern(SessionServlet.PATH)
public class SessionServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/session";

    public SessionServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Operator operator = operator(request);
        String token = (String) request.getAttribute(AuthFilter.TOKEN_ATTRIBUTE);
        boolean cookie = Boolean.TRUE.equals(request.getAttribute(AuthFilter.VIA_COOKIE_ATTRIBUTE));
        Json.send(response, 200, new SessionInfo(operator.username(),
                operator.roles().stream().sorted().map(Role::id).toList(), operator.company(),
                Sessions.csrfToken(token), cookie ? "cookie" : "bearer"));
    }

    /** The wire form; field names are part of the API (the console reads them). */
    public record SessionInfo(String user, List<String> roles, String company, String csrfToken,
            String authenticatedBy) {
    }
}
