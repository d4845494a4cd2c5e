package org.lockergate.core.internal.kiosk;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.crypto.CourierTokens;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.lockout.KeypadThrottle;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier sign-in (R0): id + PIN checked against the cached hash, or a signed login token; wrong PINs follow the
 * keypad rule per courier id; sessions expire after 10 minutes idle. Sessions are in memory (a restart signs
 * everybody out) and bound to the group they were opened at.
 */
public final class CourierSessions {

    private static final Logger LOG = LoggerFactory.getLogger(CourierSessions.class);

    /** A signed-in courier. */
    public static final class Session {
        final String token;
        final String groupId;
        final String courierId;
        final String companyCode;
        volatile Instant lastUsed;

        Session(String token, String groupId, String courierId, String companyCode, Instant lastUsed) {
            this.token = token;
            this.groupId = groupId;
            this.courierId = courierId;
            this.companyCode = companyCode;
            this.lastUsed = lastUsed;
        }

        public String courierId() {
            return courierId;
        }

        public String companyCode() {
            return companyCode;
        }
    }

    private record CourierRow(String courierId, String companyCode, String pinHash, boolean active) {
    }

    private final Env env;
    private final Registry registry;
    private final KeypadThrottle throttle;
    private final CourierTokens tokens;
    private final SecureRandom random;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile PinVerifier verifier;

    public CourierSessions(Env env, Registry registry, KeypadThrottle throttle, CourierTokens tokens,
            SecureRandom random) {
        this.env = env;
        this.registry = registry;
        this.throttle = throttle;
        this.tokens = tokens;
        this.random = random;
    }

    public void verifier(PinVerifier verifier) {
        this.verifier = verifier;
    }

    public CourierSession signIn(String groupId, String courierId, char[] pin) throws LockerException {
        requireGroup(groupId);
        String id = courierId == null ? "" : courierId.strip();
        String key = "courier:" + id;
        Instant now = env.now();
        checkLock(key, now);
        PinVerifier check = verifier;
        if (check == null) {
            throw Errors.of(Kind.UNAVAILABLE, "unavailable", "暂时无法验证密码，请稍后再试",
                    "PIN verification temporarily unavailable, try again later");
        }
        throttle.recordAttempt(key, now);
        Optional<CourierRow> courier = courier(id);
        boolean ok = courier.isPresent() && courier.get().active() && pin != null
                && check.verify(courier.get().pinHash(), pin);
        if (!ok) {
            throw refuse(key, id, now);
        }
        throttle.reset(key);
        return open(groupId, courier.get(), now);
    }

    public CourierSession signInWithToken(String groupId, String token) throws LockerException {
        requireGroup(groupId);
        String key = "courier:" + CourierTokens.courierOf(token).orElse("(token)");
        Instant now = env.now();
        checkLock(key, now);
        throttle.recordAttempt(key, now);
        Optional<String> id = tokens.verify(token, now, env.settings().tokenTtl());
        Optional<CourierRow> courier = id.isEmpty() ? Optional.empty() : courier(id.get());
        if (courier.isEmpty() || !courier.get().active()) {
            throw refuse(key, id.orElse("(token)"), now);
        }
        throttle.reset(key);
        return open(groupId, courier.get(), now);
    }

    /** The session of a deposit, refreshed; {@code no_session} when unknown, expired or of another group. */
    public Session require(String groupId, String token) throws LockerException {
        Session session = token == null ? null : sessions.get(token);
        Instant now = env.now();
        if (session == null || !session.groupId.equals(groupId)) {
            throw Errors.noSession();
        }
        if (!session.lastUsed.plus(env.settings().sessionIdle()).isAfter(now)) {
            sessions.remove(token);
            throw Errors.noSession();
        }
        session.lastUsed = now;
        return session;
    }

    public void purge(Instant now) {
        sessions.values().removeIf(s -> !s.lastUsed.plus(env.settings().sessionIdle()).isAfter(now));
        throttle.purge(now);
    }

    private CourierSession open(String groupId, CourierRow courier, Instant now) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, new Session(token, groupId, courier.courierId(), courier.companyCode(), now));
        return new CourierSession(token, courier.courierId(), courier.companyCode(),
                now.plus(env.settings().sessionIdle()));
    }

    private LockerException refuse(String key, String id, Instant now) {
        int left = throttle.recordFailure(key, now);
        if (left == 0) {
            LOG.warn("快递员 {} 密码错误次数过多，已锁定 / Courier {} locked after repeated wrong PINs", printable(id),
                    printable(id));
            Instant until = throttle.lockedUntil(key, now);
            return Errors.locked(env.isoMillis(until));
        }
        return Errors.badCredentials(left);
    }

    private void checkLock(String key, Instant now) throws LockerException {
        Instant until = throttle.lockedUntil(key, now);
        if (until != null) {
            throw Errors.locked(env.isoMillis(until));
        }
    }

    private void requireGroup(String groupId) throws LockerException {
        if (registry.group(groupId).isEmpty()) {
            throw Errors.unknownGroup(groupId);
        }
    }

    private Optional<CourierRow> courier(String id) throws LockerException {
        if (id.isEmpty() || id.length() > 64) {
            return Optional.empty();
        }
        try {
            return env.store().read(tx -> Db.one(tx.connection(), "SELECT courier_id, company_code, pin_hash, active "
                    + "FROM courier WHERE courier_id = ?", rs -> new CourierRow(rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getBoolean(4)), id));
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    static String printable(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "?");
    }
}
