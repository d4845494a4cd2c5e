package org.lockergate.identity.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.lockergate.identity.AccessToken;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.AuthenticationException.Reason;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/** The identity service: operators from configuration, throttled password checks, in-memory tokens. */
@Component(name = IdentityServiceImpl.PID, service = {IdentityService.class, OperatorDirectory.class})
@Designate(ocd = IdentityConfig.class)
public class IdentityServiceImpl implements IdentityService, OperatorDirectory {

    static final String PID = "org.lockergate.identity";
    private static final int MAX_KEY_LENGTH = 128;

    private final Clock clock;
    private final PasswordHasher hasher;
    private final Logger log;
    private final Map<String, OperatorAccount> accountsByName = new ConcurrentHashMap<>();
    private final LoginThrottle perUser;
    private final LoginThrottle perOrigin;
    private final TokenStore tokens;
    /** Verified against for unknown user names, so they cost as much time as known ones. */
    private final PhcHash dummyHash;
    /** Each Argon2 run takes 19 MiB: bound how many run at once, whatever arrives in parallel. */
    private final Semaphore hashPermits = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));

    @Activate
    public IdentityServiceImpl(IdentityConfig config,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) {
        this(Settings.from(config), Clock.systemUTC(), new PasswordHasher(), log);
    }

    IdentityServiceImpl(Settings settings, Clock clock, PasswordHasher hasher, Logger log) {
        this.clock = clock;
        this.hasher = hasher;
        this.log = log;
        this.perUser = new LoginThrottle(settings.perUser());
        this.perOrigin = new LoginThrottle(settings.perOrigin());
        this.tokens = new TokenStore(new SecureRandom(), settings.tokens());
        this.dummyHash = PhcHash.parse(hasher.hash(Long.toString(new SecureRandom().nextLong()).toCharArray()));
    }

    @Modified
    void modified(IdentityConfig config) {
        apply(Settings.from(config));
    }

    void apply(Settings settings) {
        perUser.setPolicy(settings.perUser());
        perOrigin.setPolicy(settings.perOrigin());
        tokens.setLifetimes(settings.tokens());
    }

    @Override
    public AccessToken login(String username, char[] password, String origin) throws AuthenticationException {
        OperatorAccount account = check(username, password, origin);
        synchronized (this) {
            // the configuration may have been removed while the hash was computed: no token for it then
            String name = account.operator().username();
            if (accountsByName.get(userKey(name)) != account) {
                throw refuse(name, originKey(origin), clock.instant());
            }
            return tokens.issue(account, clock.instant());
        }
    }

    @Override
    public Operator verify(String username, char[] password, String origin) throws AuthenticationException {
        return check(username, password, origin).operator();
    }

    private OperatorAccount check(String username, char[] password, String origin) throws AuthenticationException {
        Objects.requireNonNull(password, "password");
        String name = username == null ? "" : username.strip();
        String userKey = userKey(name);
        String originKey = originKey(origin);

        Instant now = clock.instant();
        Instant lockedUntil = later(perUser.lockedUntil(userKey, now), perOrigin.lockedUntil(originKey, now));
        if (lockedUntil != null) {
            throw locked(lockedUntil, now);
        }

        OperatorAccount account = accountsByName.get(userKey);
        boolean matches;
        hashPermits.acquireUninterruptibly();
        try {
            boolean hashMatches = hasher.verify(password, account == null ? dummyHash : account.passwordHash());
            matches = account != null && hashMatches;
        } finally {
            hashPermits.release();
        }
        if (matches) {
            perUser.reset(userKey);
            return account;
        }
        throw refuse(name, originKey, clock.instant());
    }

    /** Counts a failed login against the user name and the origin, and says why it was refused. */
    private AuthenticationException refuse(String name, String originKey, Instant now) {
        String userKey = userKey(name);
        int userLeft = perUser.recordFailure(userKey, now);
        int originLeft = perOrigin.recordFailure(originKey, now);
        if (userLeft == 0) {
            log.warn("User name '{}' locked after repeated failed logins (last from {})",
                    OperatorAccount.printable(name), originKey);
        }
        if (originLeft == 0) {
            log.warn("Origin {} locked after repeated failed logins (last for user name '{}')", originKey,
                    OperatorAccount.printable(name));
        }
        Instant lockedUntil = later(perUser.lockedUntil(userKey, now), perOrigin.lockedUntil(originKey, now));
        return lockedUntil != null ? locked(lockedUntil, now) : badCredentials(Math.min(userLeft, originLeft));
    }

    @Override
    public Optional<Operator> authenticate(String token) {
        return tokens.authenticate(token, clock.instant());
    }

    @Override
    public void logout(String token) {
        tokens.logout(token);
    }

    @Override
    public List<Operator> operators() {
        return accountsByName.values().stream()
                .map(OperatorAccount::operator)
                .sorted(Comparator.comparing(Operator::username))
                .toList();
    }

    @Override
    public synchronized void add(OperatorAccount account) throws InvalidOperatorException {
        String name = account.operator().username();
        OperatorAccount holder = accountsByName.get(userKey(name));
        if (holder != null && !holder.pid().equals(account.pid())) {
            throw new InvalidOperatorException("user name '" + name + "' is already used by configuration "
                    + holder.pid());
        }
        accountsByName.put(userKey(name), account);
        tokens.revokeAccount(account.pid());
    }

    @Override
    public synchronized void remove(String pid) {
        accountsByName.values().removeIf(account -> account.pid().equals(pid));
        tokens.revokeAccount(pid);
    }

    private static AuthenticationException badCredentials(int attemptsLeft) {
        return new AuthenticationException(Reason.BAD_CREDENTIALS,
                "用户名或密码错误，还可尝试 " + attemptsLeft + " 次 / Wrong user name or password, " + attemptsLeft
                        + (attemptsLeft == 1 ? " attempt" : " attempts") + " left",
                attemptsLeft, null);
    }

    private static AuthenticationException locked(Instant lockedUntil, Instant now) {
        long minutes = Math.max(1, (Duration.between(now, lockedUntil).toSeconds() + 59) / 60);
        return new AuthenticationException(Reason.LOCKED,
                "登录失败次数过多，请 " + minutes + " 分钟后再试 / Too many failed logins, try again in " + minutes
                        + (minutes == 1 ? " minute" : " minutes"),
                0, lockedUntil);
    }

    /** User names are case-insensitive; absurd lengths do not grow the throttle's memory. */
    private static String userKey(String name) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
    }

    private static String originKey(String origin) {
        String key = origin == null || origin.isBlank() ? "unknown" : OperatorAccount.printable(origin.strip());
        return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
