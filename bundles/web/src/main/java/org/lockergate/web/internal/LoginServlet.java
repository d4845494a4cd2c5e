package org.lockergate.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.lockergate.identity.AccessToken;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code POST /api/v1/auth/login} (anonymous): {@code {"username","password"}} → a bearer token (and the CSRF
 * token a browser session would need; this call sets no cookie, {@link SessionLoginServlet} does). Wrong
 * credentials answer 401 {@code bad_credentials} with {@code attemptsLeft}; a lockout answers 429 {@code locked}
 * with {@code lockedUntil} and {@code Retry-After}. Throttling is by user name and by client IP (the remote
 * address as the container sees it).
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.login")
@HttpWhiteboardServletPattern(LoginServlet.PATH)
public class LoginServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/auth/login";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile IdentityService identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile org.lockergate.api.locker.AuditLog audit;

    transient Clock clock = Clock.systemUTC();

    public LoginServlet() {
        super("POST");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body = Json.readObject(request);
        String username = Json.requiredText(body, "username");
        Json.send(response, 200, login(identity, audit, clock, request, username,
                Json.requiredText(body, "password")));
    }

    /**
     * Checks the password and issues a token; audits the login (and a refused one) with the client address.
     * Shared with {@link SessionLoginServlet}, which also sets the session cookie.
     */
    static Token login(IdentityService service, org.lockergate.api.locker.AuditLog audit, Clock clock,
            HttpServletRequest request, String username, String passwordText) {
        char[] password = passwordText.toCharArray();
        if (service == null) {
            throw ApiException.serviceUnavailable("identity");
        }
        String origin = request.getRemoteAddr();
        try {
            AccessToken token = service.login(username, password, origin);
            WebAudit.write(audit, WebAudit.actor(token.operator().username()), "operator.login",
                    token.operator().username(), "from " + origin);
            return Token.of(token);
        } catch (AuthenticationException e) {
            WebAudit.write(audit, "anonymous", "operator.login_refused", username,
                    e.reason() + " from " + origin);
            throw ApiException.refused(e, clock.instant(), "bad_credentials");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * The wire form of an {@link AccessToken}; field names are part of the API. {@code csrfToken} is the value a
     * browser session sends in {@code X-CSRF-Token} with changes (bearer-token calls need none).
     */
    public record Token(String token, String tokenType, Instant expiresAt, String username, List<String> roles,
            String company, String csrfToken) {
        static Token of(AccessToken token) {
            Operator operator = token.operator();
            List<String> roles = operator.roles().stream().sorted().map(Role::id).toList();
            return new Token(token.token(), "Bearer", token.expiresAt(), operator.username(), roles,
                    operator.company(), Sessions.csrfToken(token.token()));
        }

        @Override
        public String toString() {
            return "Token[username=" + username + ", expiresAt=" + expiresAt + "]"; // never print the secret
        }
    }
}
