package org.lockergate.rules.internal.alloc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.report.CompartmentUses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compartments' use counters for spreading wear: read from the store's counter ({@link CompartmentUses}, kept by
 * the core) once per group and then every {@link #REFRESH_NANOS}, counted up here for each compartment handed out in
 * between, so the least-used compartment goes first and the spreading survives restarts. Without the service every
 * count is 0 and the allocator's rotation alone spreads the wear.
 */
class Wear {

    static final long REFRESH_NANOS = 10L * 60 * 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(Wear.class);

    /** No counters: every compartment counts 0. */
    static final Wear NONE = new Wear(() -> null);

    private record Counts(Map<String, Long> byLabel, long loadedAt) {
    }

    private final Supplier<CompartmentUses> source;
    private final Map<String, Counts> byGroup = new ConcurrentHashMap<>();

    Wear(Supplier<CompartmentUses> source) {
        this.source = source;
    }

    /** Loads (or refreshes) the group's counters; called once per decision. */
    void prepare(String groupId) {
        CompartmentUses uses = source.get();
        if (uses == null) {
            return;
        }
        Counts c = byGroup.get(groupId);
        if (c != null && System.nanoTime() - c.loadedAt() < REFRESH_NANOS) {
            return;
        }
        try {
            byGroup.put(groupId, new Counts(new ConcurrentHashMap<>(uses.uses(groupId)), System.nanoTime()));
        } catch (RuntimeException e) {
            LOG.warn("无法读取格口使用次数，仅按轮换分散磨损 / Cannot read the compartments' use counters, spreading wear by "
                    + "rotation only: {}", e.toString());
        }
    }

    /** The group's counters by label, or {@code null} when none are known. */
    Map<String, Long> counts(String groupId) {
        Counts counts = byGroup.get(groupId);
        return counts == null ? null : counts.byLabel();
    }

    long uses(Compartment c) {
        Counts counts = byGroup.get(c.groupId());
        return counts == null ? 0 : counts.byLabel().getOrDefault(c.label(), 0L);
    }

    /** Whether counters are known for the group (for the explanation). */
    boolean known(String groupId) {
        return byGroup.containsKey(groupId);
    }

    /** The compartment was handed out: counted until the next refresh reads the store's counter. */
    void handedOut(Compartment c) {
        Counts counts = byGroup.get(c.groupId());
        if (counts != null) {
            counts.byLabel().merge(c.label(), 1L, Long::sum);
        }
    }
}
