package org.lockergate.identity.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.identity.AccessToken;
import org.lockergate.identity.Operator;

/**
 * Bearer tokens in memory. Only the SHA-256 of each token is kept, so a heap dump does not hand out sessions, and
 * the map lookup by digest leaks nothing useful through timing.
 */
final class TokenStore {

    static final int TOKEN_BYTES = 32;

    /** How long a token lives: idle timeout (extended by use) and absolute lifetime (never extended). */
    record Lifetimes(Duration idle, Duration absolute) {}

    private record Session(Operator operator, String accountPid, Instant idleExpiry, Instant absoluteExpiry) {
        Instant expiry() {
            return idleExpiry.isBefore(absoluteExpiry) ? idleExpiry : absoluteExpiry;
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private volatile Lifetimes lifetimes;

    TokenStore(SecureRandom random, Lifetimes lifetimes) {
        this.random = random;
        this.lifetimes = lifetimes;
    }

    void setLifetimes(Lifetimes lifetimes) {
        this.lifetimes = lifetimes;
    }

    AccessToken issue(OperatorAccount account, Instant now) {
        purgeExpired(now);
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Lifetimes current = lifetimes;
        Session session = new Session(account.operator(), account.pid(), now.plus(current.idle()),
                now.plus(current.absolute()));
        sessions.put(digest(token), session);
        return new AccessToken(token, session.operator(), session.expiry());
    }

    /** The token's operator, extending its idle expiry; empty when unknown or expired (expired ones are dropped). */
    Optional<Operator> authenticate(String token, Instant now) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        Duration idle = lifetimes.idle();
        Session session = sessions.computeIfPresent(digest(token), (key, current) -> now.isBefore(current.expiry())
                ? new Session(current.operator(), current.accountPid(), now.plus(idle), current.absoluteExpiry())
                : null);
        return Optional.ofNullable(session).map(Session::operator);
    }

    void logout(String token) {
        if (token != null) {
            sessions.remove(digest(token));
        }
    }

    /** Ends every token issued for an operator configuration (it was changed or deleted). */
    void revokeAccount(String accountPid) {
        sessions.values().removeIf(session -> session.accountPid().equals(accountPid));
    }

    private void purgeExpired(Instant now) {
        sessions.values().removeIf(session -> !now.isBefore(session.expiry()));
    }

    private static String digest(String token) {
        try {
            byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sha256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
