package org.lockergate.web.internal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of the API's resource servlets: one resource per subclass, at its {@code PATH} constant.
 *
 * <p>Answers 405 with {@code Allow} for methods the resource does not declare (HEAD comes with GET), turns an
 * {@link ApiException} into the JSON error, and any other exception into a 500 that is logged once and says
 * nothing about its cause.
 */
abstract class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    private final Set<String> methods;
    private final Set<String> allowed = new LinkedHashSet<>();
    private final String allow;

    /** @param methods the HTTP methods this resource implements (and documents in openapi.json) */
    protected ApiServlet(String... methods) {
        this.methods = Set.of(methods);
        for (String method : methods) {
            allowed.add(method);
            if (method.equals("GET")) {
                allowed.add("HEAD");
            }
        }
        this.allow = String.join(", ", allowed);
    }

    /** The methods this resource implements, without the implicit HEAD. */
    final Set<String> methods() {
        return methods;
    }

    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        try {
            if (!allowed.contains(request.getMethod())) {
                throw ApiException.methodNotAllowed(request.getMethod(), allow);
            }
            super.service(request, response);
        } catch (ApiException e) {
            Json.sendError(request, response, e);
        } catch (RuntimeException | ServletException e) {
            logUnexpected(request, e);
            Json.sendError(request, response, ApiException.internalError());
        }
    }

    /** The operator the {@link AuthFilter} authenticated; 401 if there is none (fail closed). */
    static Operator operator(HttpServletRequest request) {
        if (request.getAttribute(AuthFilter.OPERATOR_ATTRIBUTE) instanceof Operator operator) {
            return operator;
        }
        throw ApiException.unauthorized("unauthorized", AuthFilter.CHALLENGE);
    }

    /** The authenticated operator when it holds one of the roles (admin holds all); 403 otherwise. */
    static Operator requireAnyRole(HttpServletRequest request, Role... roles) {
        Operator operator = operator(request);
        if (!operator.hasAnyRole(roles)) {
            throw ApiException.forbidden();
        }
        return operator;
    }

    /** One line with a short reason; the stack trace only at DEBUG. */
    static void logUnexpected(HttpServletRequest request, Throwable e) {
        LOG.error("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.toString());
        LOG.debug("Stack trace of the failure above", e);
    }
}
