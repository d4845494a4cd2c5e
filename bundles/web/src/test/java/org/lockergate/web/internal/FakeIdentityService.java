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
import org.lockergate.identity.Role;

/** Four operators whose password is "{username}-pw"; tokens in a map; a lockout switched on by the test. */
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
}
