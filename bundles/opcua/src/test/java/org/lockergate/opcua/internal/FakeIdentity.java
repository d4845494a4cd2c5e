package org.lockergate.opcua.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lockergate.identity.AccessToken;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/** Two operators: {@code tech} (technician) and {@code prop} (property staff), password {@code secret-pw}. */
final class FakeIdentity implements IdentityService {

    static final String PASSWORD = "secret-pw";

    private final Map<String, Operator> operators = Map.of(
            "tech", new Operator("tech", Set.of(Role.TECHNICIAN), null),
            "prop", new Operator("prop", Set.of(Role.PROPERTY), null));

    final List<String> origins = new CopyOnWriteArrayList<>();

    @Override
    public Operator verify(String username, char[] password, String origin) throws AuthenticationException {
        origins.add(origin);
        Operator operator = operators.get(username);
        if (operator == null || !Arrays.equals(password, PASSWORD.toCharArray())) {
            throw new AuthenticationException(AuthenticationException.Reason.BAD_CREDENTIALS, "bad credentials", 4,
                    null);
        }
        return operator;
    }

    @Override
    public AccessToken login(String username, char[] password, String origin) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Operator> authenticate(String token) {
        return Optional.empty();
    }

    @Override
    public void logout(String token) {
    }

    @Override
    public List<Operator> operators() {
        return List.copyOf(operators.values());
    }

    @Override
    public void changePassword(String username, char[] currentPassword, char[] newPassword, String origin) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void resetPassword(String username, char[] newPassword, Operator by) {
        throw new UnsupportedOperationException();
    }
}
