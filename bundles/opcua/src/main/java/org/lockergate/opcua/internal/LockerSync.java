package org.lockergate.opcua.internal;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.CabinetGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns core events into address-space updates on one thread. Events only mark what is stale (a group's
 * compartments, its cabinets, the whole group, everything, the outbox depth); a drain then reads each stale part once
 * from {@link LockerQueries} — a burst of 200 compartment events of one group costs one query. Nothing is polled on a
 * timer; the outbox depth is recounted at most once per {@code outboxRecount}.
 */
final class LockerSync {

    private static final Logger LOG = LoggerFactory.getLogger(LockerSync.class);

    enum Part { CABINETS, COMPARTMENTS, GROUP }

    private final LockerQueries queries;
    private final LockerTree tree;
    private final GatewayNodes gateway;
    private final AlarmConditions alarms;
    private final ScheduledExecutorService executor;
    private final int outboxCountLimit;
    private final Duration outboxRecount;

    private final Map<String, Set<Part>> stale = new ConcurrentHashMap<>();
    private final AtomicBoolean everything = new AtomicBoolean();
    private final AtomicBoolean alarmsStale = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean outboxScheduled = new AtomicBoolean();

    LockerSync(LockerQueries queries, LockerTree tree, GatewayNodes gateway, AlarmConditions alarms,
            ScheduledExecutorService executor, int outboxCountLimit, Duration outboxRecount) {
        this.queries = queries;
        this.tree = tree;
        this.gateway = gateway;
        this.alarms = alarms;
        this.executor = executor;
        this.outboxCountLimit = outboxCountLimit;
        this.outboxRecount = outboxRecount;
        if (alarms != null) {
            alarms.onAcknowledged(() -> {
                alarmsStale.set(true);
                schedule();
            });
        }
    }

    /** Reads everything (at start and whenever the registry changes as a whole). */
    void all() {
        everything.set(true);
        alarmsStale.set(true);
        schedule();
        outbox();
    }

    /** An EventAdmin event under {@code lockergate/}. */
    void onEvent(String topic, Map<String, ?> properties) {
        String groupId = properties.get(LockerTopics.GROUP_ID) instanceof String g && !g.isBlank() ? g : null;
        switch (topic) {
            case LockerTopics.COMPARTMENT_CHANGED, LockerTopics.PARCEL_CHANGED -> mark(groupId, Part.COMPARTMENTS);
            case LockerTopics.CABINET_CHANGED -> mark(groupId, Part.CABINETS);
            case LockerTopics.REGISTRY_CHANGED -> mark(groupId, Part.GROUP);
            case LockerTopics.ALARM_CHANGED -> {
                alarmsStale.set(true);
                schedule();
            }
            case LockerTopics.OUTBOX_WRITTEN -> outbox();
            default -> {
                // not ours
            }
        }
    }

    private void mark(String groupId, Part part) {
        if (groupId == null) {
            everything.set(true);
        } else {
            stale.computeIfAbsent(groupId, g -> ConcurrentHashMap.newKeySet()).add(part);
        }
        schedule();
    }

    private void schedule() {
        if (drainScheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        try {
            if (everything.getAndSet(false)) {
                Set<String> present = new HashSet<>();
                for (CabinetGroup group : queries.groups()) {
                    present.add(group.groupId());
                    stale.computeIfAbsent(group.groupId(), g -> ConcurrentHashMap.newKeySet()).add(Part.GROUP);
                }
                for (String known : tree.groupIds()) {
                    if (!present.contains(known)) {
                        tree.removeGroup(known);
                        LOG.info("OPC UA：柜组 {} 已移除 / OPC UA: group {} removed from the address space", known, known);
                    }
                }
            }
            for (String groupId : Set.copyOf(stale.keySet())) {
                Set<Part> parts = stale.remove(groupId);
                if (parts != null && !parts.isEmpty()) {
                    syncGroup(groupId, EnumSet.copyOf(parts));
                }
            }
            if (alarmsStale.getAndSet(false) && alarms != null) {
                alarms.sync();
            }
        } catch (RuntimeException e) {
            LOG.warn("OPC UA 地址空间更新失败，稍后重试 / OPC UA address space update failed, retrying on the next"
                    + " event: {}", e.toString(), e);
            everything.set(true);
            alarmsStale.set(true);
        }
    }

    private void syncGroup(String groupId, Set<Part> parts) {
        boolean whole = parts.contains(Part.GROUP) || !tree.groupIds().contains(groupId);
        if (whole) {
            var group = queries.group(groupId);
            if (group.isEmpty()) {
                if (tree.groupIds().contains(groupId)) {
                    tree.removeGroup(groupId);
                    LOG.info("OPC UA：柜组 {} 已移除 / OPC UA: group {} removed from the address space", groupId,
                            groupId);
                }
                return;
            }
            boolean added = !tree.groupIds().contains(groupId);
            tree.applyGroup(group.get());
            if (added) {
                LOG.debug("OPC UA: group {} added to the address space", groupId);
            }
        }
        if (whole || parts.contains(Part.CABINETS)) {
            tree.applyCabinets(groupId, queries.cabinets(groupId));
        }
        // a new cabinet brings its compartments: re-read them with any cabinet change
        tree.applyCompartments(groupId, queries.compartments(groupId));
    }

    private void outbox() {
        if (outboxScheduled.compareAndSet(false, true)) {
            executor.schedule(() -> {
                outboxScheduled.set(false);
                try {
                    gateway.outboxDepth(queries.outbox(outboxCountLimit).size());
                } catch (RuntimeException e) {
                    LOG.warn("OPC UA：读取发件箱深度失败 / OPC UA: reading the outbox depth failed: {}", e.toString());
                }
            }, outboxRecount.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
