package org.lockergate.identity.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts login failures per key (a user name, or an origin) in a sliding window and locks the key when there are
 * too many. Thread-safe; the work under the lock is tiny (the slow hash is computed outside).
 */
final class LoginThrottle {

    /** How many failures within which window lock a key, and for how long. */
    record Policy(int maxFailures, Duration window, Duration lockout) {}

    // Beyond this many keys, stale ones are dropped so that spraying names cannot fill the memory.
    private static final int PURGE_THRESHOLD = 1_000;

    private static final class State {
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant lockedUntil;
    }

    private final Map<String, State> states = new HashMap<>();
    private volatile Policy policy;

    LoginThrottle(Policy policy) {
        this.policy = policy;
    }

    void setPolicy(Policy policy) {
        this.policy = policy;
    }

    /** When the key's lockout ends; {@code null} when the key may try now. */
    synchronized Instant lockedUntil(String key, Instant now) {
        State state = states.get(key);
        if (state == null || state.lockedUntil == null) {
            return null;
        }
        if (now.isBefore(state.lockedUntil)) {
            return state.lockedUntil;
        }
        states.remove(key); // lockout over: start again with a clean slate
        return null;
    }

    /** Records a failure; returns the attempts left before a lockout, 0 when this failure locked the key. */
    synchronized int recordFailure(String key, Instant now) {
        Policy current = policy;
        if (states.size() > PURGE_THRESHOLD) {
            states.values().removeIf(state -> isStale(state, now, current));
        }
        State state = states.computeIfAbsent(key, k -> new State());
        Instant windowStart = now.minus(current.window());
        while (!state.failures.isEmpty() && !state.failures.peekFirst().isAfter(windowStart)) {
            state.failures.removeFirst();
        }
        state.failures.addLast(now);
        int left = current.maxFailures() - state.failures.size();
        if (left <= 0) {
            state.failures.clear();
            state.lockedUntil = now.plus(current.lockout());
            return 0;
        }
        return left;
    }

    /** Forgets the key's failures (after a successful login). */
    synchronized void reset(String key) {
        states.remove(key);
    }

    private static boolean isStale(State state, Instant now, Policy policy) {
        boolean locked = state.lockedUntil != null && now.isBefore(state.lockedUntil);
        Instant last = state.failures.peekLast();
        return !locked && (last == null || !last.isAfter(now.minus(policy.window())));
    }
}
