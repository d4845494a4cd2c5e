package org.lockergate.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.OperatorDefinedInFileException;
import org.lockergate.identity.PasswordPolicyException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code POST /api/v1/auth/password} (authenticated, any role): the operator changes its own password with
 * {@code {"currentPassword","newPassword"}} → 204. Every token of the operator ends, the one used here included,
 * so the client logs in again with the new password.
 *
 * <p>The current password is checked like a login (same throttling, by user name and client IP): wrong → 401
 * {@code bad_credentials} with {@code attemptsLeft}; locked → 429 {@code locked} with {@code Retry-After}. A new
 * password the policy refuses → 400 {@code weak_password} with {@code rule} and {@code minLength}; an operator
 * defined in a configuration file → 409 {@code defined_in_file} with {@code file}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.password")
@HttpWhiteboardServletPattern(PasswordServlet.PATH)
public class PasswordServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/auth/password";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile IdentityService identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile org.lockergate.api.locker.AuditLog audit;

    transient Clock clock = Clock.systemUTC();

    public PasswordServlet() {
        super("POST");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        Operator operator = operator(request);
        JsonNode body = Json.readObject(request);
        char[] currentPassword = Json.requiredText(body, "currentPassword").toCharArray();
        char[] newPassword = Json.requiredText(body, "newPassword").toCharArray();
        try {
            IdentityService service = identity;
            if (service == null) {
                throw ApiException.serviceUnavailable("identity");
            }
            service.changePassword(operator.username(), currentPassword, newPassword, request.getRemoteAddr());
            WebAudit.write(audit, WebAudit.actor(operator.username()), "operator.password_changed",
                    operator.username(), "from " + request.getRemoteAddr()); // never the password
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } catch (AuthenticationException e) {
            throw ApiException.refused(e, clock.instant(), "bad_credentials.current_password");
        } catch (PasswordPolicyException e) {
            throw weakPassword(e);
        } catch (OperatorDefinedInFileException e) {
            throw new ApiException(409, "defined_in_file", "defined_in_file", e.file()).with("file", e.file());
        } finally {
            Arrays.fill(currentPassword, '\0');
            Arrays.fill(newPassword, '\0');
        }
    }

    private static ApiException weakPassword(PasswordPolicyException e) {
        String rule = e.reason().name().toLowerCase(Locale.ROOT); // too_short, same_as_username, too_common
        return new ApiException(400, "weak_password", "weak_password." + rule, String.valueOf(e.minLength()))
                .with("rule", rule)
                .with("minLength", e.minLength());
    }
}
