package org.lockergate.web.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * Authentication for the whole API, in one place: every request under {@code /api/v1} except the anonymous
 * paths needs {@code Authorization: Bearer <token>} or the browser session cookie {@value Sessions#COOKIE} holding
 * a token that {@link IdentityService#authenticate} accepts; otherwise 401 with {@code WWW-Authenticate}. A
 * request authenticated by the cookie (not by the header) that may change something (not GET/HEAD/OPTIONS) also
 * needs the session's CSRF token in {@value Sessions#CSRF_HEADER}: 403 {@code csrf_token_missing} /
 * {@code csrf_token_invalid} otherwise. The operator and the token are then request attributes for the servlets.
 * Unknown paths are not anonymous, so they answer 401 before 404 and reveal nothing without a token.
 *
 * <p>Also sets {@code X-Content-Type-Options: nosniff} and {@code Cache-Control: no-store} on every response.
 */
@Component(service = Filter.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardFilterName("org.lockergate.web.auth")
@HttpWhiteboardFilterPattern("/*")
public class AuthFilter implements Filter {

    /** Request attribute holding the authenticated {@link Operator}. */
    static final String OPERATOR_ATTRIBUTE = "org.lockergate.web.operator";

    /** Request attribute holding the credential that authenticated the request (for logout). */
    static final String TOKEN_ATTRIBUTE = "org.lockergate.web.token";

    /** Request attribute, {@code Boolean.TRUE} when the session cookie (not the header) authenticated it. */
    static final String VIA_COOKIE_ATTRIBUTE = "org.lockergate.web.viaCookie";

    static final String CHALLENGE = "Bearer realm=\"lockergate\"";
    static final String CHALLENGE_INVALID = CHALLENGE + ", error=\"invalid_token\"";

    /** Paths (relative to the API context) that anyone may call. */
    static final Set<String> ANONYMOUS = Set.of(HealthServlet.PATH, OpenApiServlet.PATH, LoginServlet.PATH,
            SessionLoginServlet.PATH);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile IdentityService identity;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Json.commonHeaders(response);
        if (!ANONYMOUS.contains(pathInContext(request))) {
            try {
                authenticate(request);
            } catch (ApiException e) {
                Json.sendError(request, response, e);
                return;
            } catch (RuntimeException e) {
                ApiServlet.logUnexpected(request, e);
                Json.sendError(request, response, ApiException.internalError());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private void authenticate(HttpServletRequest request) {
        Optional<String> bearer = credential(request);
        boolean viaCookie = bearer.isEmpty();
        String token = bearer.or(() -> Sessions.cookie(request))
                .orElseThrow(() -> ApiException.unauthorized("unauthorized", CHALLENGE));
        IdentityService service = identity;
        if (service == null) {
            throw ApiException.serviceUnavailable("identity"); // fail closed
        }
        Operator operator = service.authenticate(token)
                .orElseThrow(() -> ApiException.unauthorized("unauthorized.invalid_token", CHALLENGE_INVALID));
        if (viaCookie && !Sessions.safe(request.getMethod())) {
            String header = request.getHeader(Sessions.CSRF_HEADER);
            if (header == null || header.isBlank()) {
                throw new ApiException(403, "csrf_token_missing", "csrf_token_missing");
            }
            if (!Sessions.csrfMatches(token, header)) {
                throw new ApiException(403, "csrf_token_invalid", "csrf_token_invalid");
            }
        }
        request.setAttribute(OPERATOR_ATTRIBUTE, operator);
        request.setAttribute(TOKEN_ATTRIBUTE, token);
        request.setAttribute(VIA_COOKIE_ATTRIBUTE, viaCookie);
    }

    /** The bearer token of the {@code Authorization} header, if any (the cookie is the second source). */
    static Optional<String> credential(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parts[1].trim());
    }

    /** The decoded, normalized path after the context path, e.g. {@code /bundles}. */
    static String pathInContext(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }
}
