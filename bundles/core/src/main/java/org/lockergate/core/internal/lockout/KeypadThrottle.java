package org.lockergate.core.internal.lockout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The keypad rule (R9), per key (a group's keypad, or {@code courier:ID} for courier PINs): {@code maxFailures}
 * wrong within {@code window} lock the key for {@code lockout}; at most {@code maxPerMinute} attempts (right or
 * wrong) per minute. Kept in memory: a gateway restart resets it (the parcel ladder, which matters more, is durable).
 */
public final class KeypadThrottle {

    public record Policy(int maxFailures, Duration window, Duration lockout, int maxPerMinute) {
        public static final Policy DEFAULT = new Policy(5, Duration.ofMinutes(5), Duration.ofMinutes(5), 6);
    }

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static final class State {
        final Deque<Instant> attempts = new ArrayDeque<>();
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant lockedUntil;
    }

    private final Policy policy;
    private final Map<String, State> states = new HashMap<>();

    public KeypadThrottle(Policy policy) {
        this.policy = policy;
    }

    /** When the key is locked (by failures or by the attempt rate), until when; null when open. */
    public synchronized Instant lockedUntil(String key, Instant now) {
        State s = states.get(key);
        if (s == null) {
            return null;
        }
        prune(s, now);
        Instant until = s.lockedUntil != null && s.lockedUntil.isAfter(now) ? s.lockedUntil : null;
        if (s.attempts.size() >= policy.maxPerMinute()) {
            Instant rate = s.attempts.peekFirst().plus(MINUTE);
            until = until == null || rate.isAfter(until) ? rate : until;
        }
        return until;
    }

    /** Counts an attempt against the rate limit. */
    public synchronized void recordAttempt(String key, Instant now) {
        State s = states.computeIfAbsent(key, k -> new State());
        prune(s, now);
        s.attempts.addLast(now);
    }

    /** Counts a failure; returns the attempts left before the lock (0: locked now). */
    public synchronized int recordFailure(String key, Instant now) {
        State s = states.computeIfAbsent(key, k -> new State());
        prune(s, now);
        s.failures.addLast(now);
        if (s.failures.size() >= policy.maxFailures()) {
            s.lockedUntil = now.plus(policy.lockout());
            s.failures.clear();
            return 0;
        }
        return policy.maxFailures() - s.failures.size();
    }

    public synchronized int attemptsLeft(String key, Instant now) {
        State s = states.get(key);
        if (s == null) {
            return policy.maxFailures();
        }
        prune(s, now);
        return policy.maxFailures() - s.failures.size();
    }

    /** Forgets the failures (a courier's successful sign-in); the rate limit stays. */
    public synchronized void reset(String key) {
        State s = states.get(key);
        if (s != null) {
            s.failures.clear();
            s.lockedUntil = null;
        }
    }

    /** Drops keys with nothing left to remember (called by the timer). */
    public synchronized void purge(Instant now) {
        states.values().removeIf(s -> {
            prune(s, now);
            return s.attempts.isEmpty() && s.failures.isEmpty()
                    && (s.lockedUntil == null || !s.lockedUntil.isAfter(now));
        });
    }

    private void prune(State s, Instant now) {
        while (!s.attempts.isEmpty() && !s.attempts.peekFirst().plus(MINUTE).isAfter(now)) {
            s.attempts.removeFirst();
        }
        while (!s.failures.isEmpty() && !s.failures.peekFirst().plus(policy.window()).isAfter(now)) {
            s.failures.removeFirst();
        }
    }
}
