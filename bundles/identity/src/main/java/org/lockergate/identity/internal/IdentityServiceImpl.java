package org.lockergate.identity.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.lockergate.identity.AccessToken;
import org.lockergate.identity.AuthenticationException;
import org.lockergate.identity.AuthenticationException.Reason;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.OperatorDefinedInFileException;
import org.lockergate.identity.PasswordPolicyException;
import org.lockergate.identity.Role;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The identity service: operators from configuration, throttled password checks, in-memory tokens, and password
 * changes written back to the operators' ConfigAdmin configurations.
 */
@Component(name = IdentityServiceImpl.PID, service = {IdentityService.class, OperatorDirectory.class})
@Designate(ocd = IdentityConfig.class)
public class IdentityServiceImpl implements IdentityService, OperatorDirectory {

    static final String PID = "org.lockergate.identity";
    /** Set by Felix fileinstall on the configurations it made from a file: the file's URL. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";
    /** How long a password change waits for SCR to restart the operator's component with the new hash. */
    static final Duration RESTART_TIMEOUT = Duration.ofSeconds(10);
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
    /** Password changes one at a time: each waits for its own configuration update to come back. */
    private final ReentrantLock passwordChanges = new ReentrantLock();
    /** Where {@code secrets/initial-admin-password} is (see {@link InitialAdmin}). */
    private final Path dataDir;
    private final Duration restartTimeout;

    /**
     * Where password changes are stored. Optional and dynamic: logins and tokens keep working (and are not
     * dropped) while ConfigAdmin is restarted; only password changes fail meanwhile.
     */
    @Reference(name = "configAdmin", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ConfigurationAdmin configAdmin;

    @Activate
    public IdentityServiceImpl(IdentityConfig config, BundleContext context,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) {
        this(Settings.from(config), Clock.systemUTC(), new PasswordHasher(), log,
                InitialAdmin.dataDir(context.getProperty(InitialAdmin.DATA_PROPERTY)), RESTART_TIMEOUT);
    }

    IdentityServiceImpl(Settings settings, Clock clock, PasswordHasher hasher, Logger log) {
        this(settings, clock, hasher, log, InitialAdmin.dataDir(null), RESTART_TIMEOUT);
    }

    IdentityServiceImpl(Settings settings, Clock clock, PasswordHasher hasher, Logger log, Path dataDir,
            Duration restartTimeout) {
        this.clock = clock;
        this.hasher = hasher;
        this.log = log;
        this.dataDir = dataDir;
        this.restartTimeout = restartTimeout;
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
    public void changePassword(String username, char[] currentPassword, char[] newPassword, String origin)
            throws AuthenticationException, PasswordPolicyException {
        Objects.requireNonNull(currentPassword, "currentPassword");
        Objects.requireNonNull(newPassword, "newPassword");
        String name = username == null ? "" : username.strip();
        String originKey = originKey(origin);
        Consumer<String> refused = why -> log.warn("Password change of user name '{}' from {} refused: {}",
                OperatorAccount.printable(name), originKey, why);
        // the policy first: it tells nothing about the account, and a typo in the new password costs no attempt
        try {
            PasswordPolicy.check(name, newPassword);
        } catch (PasswordPolicyException e) {
            refused.accept("the new password breaks the policy (" + e.reason() + ")");
            throw e;
        }
        OperatorAccount account;
        try {
            account = check(name, currentPassword, origin);
        } catch (AuthenticationException e) {
            refused.accept(e.reason() == Reason.LOCKED ? "user name or origin locked" : "wrong current password");
            throw e;
        }
        store(account, newPassword, refused);
        log.info("Password of operator '{}' changed (from {}); all its sessions have ended",
                account.operator().username(), originKey);
        deleteInitialPassword(account);
    }

    @Override
    public void resetPassword(String username, char[] newPassword, Operator by) throws PasswordPolicyException {
        Objects.requireNonNull(newPassword, "newPassword");
        String name = username == null ? "" : username.strip();
        String actor = by == null ? "(nobody)" : OperatorAccount.printable(by.username());
        Consumer<String> refused = why -> log.warn("Password reset of user name '{}' by '{}' refused: {}",
                OperatorAccount.printable(name), actor, why);
        if (by == null || !by.hasRole(Role.ADMIN)) {
            refused.accept("not an admin");
            throw new SecurityException("只有管理员可以重置密码 / Only an admin may reset passwords");
        }
        OperatorAccount account = accountsByName.get(userKey(name));
        if (account == null) {
            refused.accept("no such operator");
            throw new IllegalArgumentException("没有用户名为 " + OperatorAccount.printable(name) + " 的操作员 / No operator "
                    + "has the user name " + OperatorAccount.printable(name));
        }
        try {
            PasswordPolicy.check(account.operator().username(), newPassword);
        } catch (PasswordPolicyException e) {
            refused.accept("the new password breaks the policy (" + e.reason() + ")");
            throw e;
        }
        store(account, newPassword, refused);
        perUser.reset(userKey(name)); // a reset is how a locked-out operator gets back in
        log.info("Password of operator '{}' reset by admin '{}'; all its sessions have ended",
                account.operator().username(), actor);
        deleteInitialPassword(account);
    }

    /**
     * Writes the new hash into the operator's own configuration (the one its account came from, not any other
     * with the same user name), ends its tokens at once and waits until SCR has restarted the operator's
     * component with the new hash, so that a login right after the change works and keeps its token.
     */
    private void store(OperatorAccount account, char[] newPassword, Consumer<String> refused) {
        String pid = account.pid();
        String name = account.operator().username();
        passwordChanges.lock();
        try {
            Configuration configuration;
            try {
                configuration = configuration(account);
            } catch (IllegalStateException e) {
                refused.accept(e.getMessage());
                throw e;
            }
            Dictionary<String, Object> properties = configuration.getProperties();
            Object file = properties.get(FILEINSTALL_FILENAME);
            if (file != null) {
                OperatorDefinedInFileException definedInFile = new OperatorDefinedInFileException(name, fileName(file));
                refused.accept("defined in file " + definedInFile.file());
                throw definedInFile;
            }
            String phc;
            hashPermits.acquireUninterruptibly();
            try {
                phc = hasher.hash(newPassword);
            } finally {
                hashPermits.release();
            }
            properties.put("passwordHash", phc);
            try {
                configuration.update(properties);
            } catch (IOException | RuntimeException e) {
                log.error("Could not store the new password hash of operator '{}' in configuration {}: {}", name,
                        pid, e.toString());
                throw new IllegalStateException("无法保存新密码，详情请查看网关日志 / The new password could not be "
                        + "stored; see the gateway log", e);
            }
            synchronized (this) {
                tokens.revokeAccount(pid); // at once, whenever SCR gets to restart the component
            }
            awaitRestart(account, phc);
        } finally {
            passwordChanges.unlock();
        }
    }

    /** The operator's configuration, by the PID its account came from. */
    private Configuration configuration(OperatorAccount account) {
        ConfigurationAdmin admin = configAdmin;
        if (admin == null) {
            throw new IllegalStateException("配置服务（ConfigurationAdmin）未运行，无法修改密码 / The configuration "
                    + "service (ConfigurationAdmin) is not running: passwords cannot be changed");
        }
        Configuration[] found;
        try {
            found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + ldapEscape(account.pid()) + ")");
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("ConfigurationAdmin could not list configuration " + account.pid(), e);
        }
        Dictionary<String, Object> properties = found == null || found.length == 0 ? null : found[0].getProperties();
        Object username = properties == null ? null : properties.get("username");
        if (!(username instanceof String text) || !userKey(text).equals(userKey(account.operator().username()))) {
            // deleted or renamed since the account was read: the component restart is on its way
            throw new IllegalStateException("操作员 " + account.operator().username() + " 的配置刚刚被修改或删除，请重试 / "
                    + "The configuration of operator " + account.operator().username()
                    + " was just changed or deleted: try again");
        }
        return found[0];
    }

    /** Waits (bounded) until the directory holds the account of {@code pid} with the new hash. */
    private void awaitRestart(OperatorAccount account, String phc) {
        String key = userKey(account.operator().username());
        long deadline = System.nanoTime() + restartTimeout.toNanos();
        boolean interrupted = false;
        synchronized (this) {
            while (!holds(key, account.pid(), phc)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || interrupted) {
                    // SCR is slow or stuck: the configuration is stored, so apply it here; the restart, when it
                    // comes, puts the same hash in place
                    OperatorAccount current = accountsByName.get(key);
                    if (current != null && current.pid().equals(account.pid())) {
                        accountsByName.put(key,
                                new OperatorAccount(account.pid(), current.operator(), PhcHash.parse(phc)));
                        tokens.revokeAccount(account.pid());
                    }
                    log.warn("Operator configuration {} was not reloaded within {} ms of the password change; the "
                            + "new password hash was applied directly", account.pid(), restartTimeout.toMillis());
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean holds(String key, String pid, String phc) {
        OperatorAccount current = accountsByName.get(key);
        return current != null && current.pid().equals(pid) && current.passwordHash().toString().equals(phc);
    }

    /** The initial admin password no longer works once admin's password is changed: its file goes. */
    private void deleteInitialPassword(OperatorAccount account) {
        if (!account.operator().username().equalsIgnoreCase(InitialAdmin.USERNAME)) {
            return;
        }
        Path file = InitialAdmin.passwordFile(dataDir).toAbsolutePath();
        try {
            if (Files.deleteIfExists(file)) {
                log.info("Deleted {}: the initial admin password no longer works", file);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not delete {} ({}); it holds the old admin password: delete it by hand", file,
                    e.toString());
        }
    }

    /** fileinstall stores a {@code file:} URL; operators know the path. */
    static String fileName(Object value) {
        String text = String.valueOf(value);
        String name = text;
        if (text.startsWith("file:")) {
            try {
                name = Path.of(URI.create(text)).toString();
            } catch (RuntimeException e) {
                name = text;
            }
        }
        return name.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    private static String ldapEscape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
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
        notifyAll(); // a password change may be waiting for this account to come back
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
