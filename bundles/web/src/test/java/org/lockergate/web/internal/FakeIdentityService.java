package org.lockergate.web.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.identity.AccessToken;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.AuthenticationException.Reason;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.OperatorDefinedInFileException;
import org.lockergate.identity.PasswordPolicyException;
import org.lockergate.identity.Role;

/**
 * Four operators whose password is "{username}-pw"; tokens in a map; a lockout switched on by the test. A password
 * change checks the current password like {@link #verify}, refuses the user name and new passwords under 10
 * characters, and ends
 * the operator's tokens; it does not change the password the fake accepts.
 */
final class FakeIdentityService implements IdentityService {

    static final Instant EXPIRES_AT = Instant.parse("2030-01-01T08:00:00Z");

    private final Map<String, Operator> operators = Map.of(
            "admin", new Operator("admin", Set.of(Role.ADMIN), null),
            "tech", new Operator("tech", Set.of(Role.TECHNICIAN), null),
            "prop", new Operator("prop", Set.of(Role.PROPERTY), null),
            "zto", new Operator("zto", Set.of(Role.COURIER_COMPANY), "ZTO"));
    private final Map<String, Operator> tokens = new ConcurrentHashMap<>();

    /** When set, every login is refused as LOCKED until then. */
    volatile Instant lockedUntil;
    volatile String lastOrigin;
    volatile String lastPassword;
    volatile String lastNewPassword;
    /** When set, changing a password is refused: the operator is defined in this file. */
    volatile String definedInFile;

    /** A valid token for a user, as if it had logged in. */
    String tokenFor(String username) {
        String token = UUID.randomUUID().toString();
        tokens.put(token, operators.get(username));
        return token;
    }

    @Override
    public AccessToken login(String username, char[] password, String origin) throws AuthenticationException {
        Operator operator = verify(username, password, origin);
        String token = tokenFor(operator.username());
        return new AccessToken(token, operator, EXPIRES_AT);
    }

    @Override
    public Operator verify(String username, char[] password, String origin) throws AuthenticationException {
        lastOrigin = origin;
        lastPassword = new String(password);
        if (lockedUntil != null) {
            throw new AuthenticationException(Reason.LOCKED, "locked", 0, lockedUntil);
        }
        Operator operator = operators.get(username);
        if (operator == null || !lastPassword.equals(username + "-pw")) {
            throw new AuthenticationException(Reason.BAD_CREDENTIALS, "bad", 4, null);
        }
        return operator;
    }

    @Override
    public Optional<Operator> authenticate(String token) {
        return Optional.ofNullable(tokens.get(token));
    }

    @Override
    public void logout(String token) {
        tokens.remove(token);
    }

    @Override
    public List<Operator> operators() {
        return List.copyOf(operators.values());
    }

    @Override
    public void changePassword(String username, char[] currentPassword, char[] newPassword, String origin)
            throws AuthenticationException, PasswordPolicyException {
        verify(username, currentPassword, origin);
        lastNewPassword = new String(newPassword);
        if (lastNewPassword.equalsIgnoreCase(username)) { // before the length: the fake's names are short
            throw new PasswordPolicyException(PasswordPolicyException.Reason.SAME_AS_USERNAME, 10, "user name");
        }
        if (newPassword.length < 10) {
            throw new PasswordPolicyException(PasswordPolicyException.Reason.TOO_SHORT, 10, "too short");
        }
        if (definedInFile != null) {
            throw new OperatorDefinedInFileException(username, definedInFile);
        }
        tokens.values().removeIf(operator -> operator.username().equals(username));
    }

    @Override
    public void resetPassword(String username, char[] newPassword, Operator by) {
        throw new UnsupportedOperationException("not used by the REST API");
    }
}
