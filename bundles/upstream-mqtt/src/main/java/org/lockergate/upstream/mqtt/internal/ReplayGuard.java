package org.lockergate.upstream.mqtt.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Remembers the requestIds of accepted commands until they expire, so a replay within the lifetime is refused; after
 * expiry the expiry check refuses it. Bounded: when full of unexpired ids, new commands are refused (never are old
 * ids forgotten early, which would reopen the replay window).
 */
final class ReplayGuard {

    enum Result {
        NEW, REPLAY, FULL
    }

    private final int capacity;
    private final Map<String, Instant> expiry = new HashMap<>();
    private final TreeMap<Instant, Set<String>> byExpiry = new TreeMap<>();

    ReplayGuard(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    synchronized Result remember(String requestId, Instant expiresAt, Instant now) {
        purge(now);
        if (expiry.containsKey(requestId)) {
            return Result.REPLAY;
        }
        if (expiry.size() >= capacity) {
            return Result.FULL;
        }
        expiry.put(requestId, expiresAt);
        byExpiry.computeIfAbsent(expiresAt, k -> new HashSet<>()).add(requestId);
        return Result.NEW;
    }

    synchronized int size() {
        return expiry.size();
    }

    private void purge(Instant now) {
        Iterator<Map.Entry<Instant, Set<String>>> it = byExpiry.headMap(now, true).entrySet().iterator();
        while (it.hasNext()) {
            for (String id : it.next().getValue()) {
                expiry.remove(id);
            }
            it.remove();
        }
    }
}
