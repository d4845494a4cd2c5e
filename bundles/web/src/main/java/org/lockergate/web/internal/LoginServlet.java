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
 * {@code POST /api/v1/auth/login} (anonymous): {@code {"username","password"}} → a bearer token. Wrong
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

    transient Clock clock = Clock.systemUTC();

    public LoginServlet() {
        super("POST");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body = Json.readObject(request);
        String username = Json.requiredText(body, "username");
        char[] password = Json.requiredText(body, "password").toCharArray();
        IdentityService service = identity;
        if (service == null) {
            throw ApiException.serviceUnavailable("identity");
        }
        try {
            AccessToken token = service.login(username, password, request.getRemoteAddr());
            Json.send(response, 200, Token.of(token));
        } catch (AuthenticationException e) {
            throw ApiException.refused(e, clock.instant(), "bad_credentials");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The wire form of an {@link AccessToken}; field names are part of the API. */
    public record Token(String token, String tokenType, Instant expiresAt, String username, List<String> roles,
            String company) {
        static Token of(AccessToken token) {
            Operator operator = token.operator();
            List<String> roles = operator.roles().stream().sorted().map(Role::id).toList();
            return new Token(token.token(), "Bearer", token.expiresAt(), operator.username(), roles,
                    operator.company());
        }

        @Override
        public String toString() {
            return "Token[username=" + username + ", expiresAt=" + expiresAt + "]"; // never print the secret
        }
    }
}
