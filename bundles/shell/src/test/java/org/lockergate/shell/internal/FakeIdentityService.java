package org.lockergate.shell.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lockergate.identity.AccessToken;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.AuthenticationException.Reason;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/** Accounts in a map; records the origin of every verification. Only {@link #verify} is used by the shell. */
final class FakeIdentityService implements IdentityService {

    static final String BAD_CREDENTIALS = "用户名或密码错误 / Wrong user name or password";
    static final String LOCKED = "账号已锁定，请 15 分钟后再试 / Account locked, try again in 15 minutes";

    private record Account(String password, Set<Role> roles, boolean locked) {}

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    final List<String> origins = new CopyOnWriteArrayList<>();

    FakeIdentityService with(String username, String password, Role... roles) {
        accounts.put(username, new Account(password, Set.of(roles), false));
        return this;
    }

    FakeIdentityService locked(String username) {
        accounts.put(username, new Account("irrelevant", Set.of(Role.ADMIN), true));
        return this;
    }

    @Override
    public Operator verify(String username, char[] password, String origin) throws AuthenticationException {
        origins.add(origin);
        Account account = accounts.get(username);
        if (account != null && account.locked()) {
            throw new AuthenticationException(Reason.LOCKED, LOCKED, 0, null);
        }
        if (account == null || !Arrays.equals(password, account.password().toCharArray())) {
            throw new AuthenticationException(Reason.BAD_CREDENTIALS, BAD_CREDENTIALS, 2, null);
        }
        return new Operator(username, account.roles(), null);
    }

    @Override
    public AccessToken login(String username, char[] password, String origin) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Operator> authenticate(String token) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void logout(String token) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Operator> operators() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void changePassword(String username, char[] currentPassword, char[] newPassword, String origin) {
        throw new UnsupportedOperationException("not used by the shell");
    }

    @Override
    public void resetPassword(String username, char[] newPassword, org.lockergate.identity.Operator by) {
        throw new UnsupportedOperationException("not used by the shell");
    }
}
