package org.lockergate.opcua.internal;

import java.net.InetAddress;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.identity.AbstractUsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.DefaultUsernameIdentity;
import org.eclipse.milo.opcua.sdk.server.identity.Identity;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks OPC UA user name tokens with the gateway's {@link IdentityService} (same hashes, throttling and lockouts as
 * every other surface; the origin is {@code opcua:<client address>}). The authenticated {@link Operator} rides on the
 * session's identity as user data.
 */
final class OperatorIdentityValidator extends AbstractUsernameIdentityValidator {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorIdentityValidator.class);

    private final IdentityService identity;

    OperatorIdentityValidator(IdentityService identity) {
        this.identity = identity;
    }

    @Override
    protected Identity.UsernameIdentity authenticateUsernamePassword(Session session, String username,
            String password) {
        String origin = origin(session);
        try {
            Operator operator = identity.verify(username, password.toCharArray(), origin);
            DefaultUsernameIdentity result = new DefaultUsernameIdentity(operator.username());
            result.setUserData(operator);
            LOG.info("OPC UA 会话已登录 / OPC UA session signed in: {} from {}", operator.username(), origin);
            return result;
        } catch (AuthenticationException e) {
            LOG.warn("OPC UA 登录被拒 / OPC UA sign-in refused for '{}' from {}: {}", username, origin,
                    e.reason());
            return null;
        }
    }

    /** The operator behind a session, empty for anonymous sessions. */
    static Optional<Operator> operator(Session session) {
        Identity identity = session == null ? null : session.getIdentity();
        if (identity != null && identity.getUserData() instanceof Operator operator) {
            return Optional.of(operator);
        }
        return Optional.empty();
    }

    private static String origin(Session session) {
        InetAddress address = session.getClientAddress();
        return "opcua:" + (address == null ? "unknown" : address.getHostAddress());
    }
}
