package org.lockergate.upstream.mqtt.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the periodic {@code telemetry} row (per-group counts) to the outbox's telemetry stream, drained last at
 * QoS 0. Thinning: at most {@link OutboxBudget#telemetryKeep} telemetry rows wait — older ones are confirmed
 * unsent (dropped on purpose, counted) — so a long outage leaves the newest counts, not hours of history.
 */
final class TelemetryWriter {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryWriter.class);
    /** Parcels physically in a compartment. */
    static final List<ParcelState> IN_LOCKER = List.of(ParcelState.DEPOSITED, ParcelState.OVERDUE,
            ParcelState.RECALL_DUE, ParcelState.HELD, ParcelState.REJECTED);

    private final LockerStore store;
    private final Supplier<LockerQueries> queries;
    private final Supplier<AlarmService> alarms;
    private final OutboxBudget budget;
    private final int maxPending;
    private final Supplier<Instant> now;
    private final BooleanSupplier connected;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong thinnedWrites = new AtomicLong();
    private boolean thinningLogged;

    TelemetryWriter(LockerStore store, Supplier<LockerQueries> queries, Supplier<AlarmService> alarms,
            OutboxBudget budget, int maxPending, Supplier<Instant> now, BooleanSupplier connected) {
        this.store = store;
        this.queries = queries;
        this.alarms = alarms;
        this.budget = budget;
        this.maxPending = maxPending;
        this.now = now;
        this.connected = connected;
    }

    /** Writes one telemetry row (unless the outbox is full); returns its seq or -1. */
    synchronized long tick() {
        int keep = budget.telemetryKeep(maxPending);
        if (keep == 0) {
            LOG.debug("outbox full: no telemetry written");
            return -1;
        }
        LockerQueries q = queries.get();
        if (q == null) {
            return -1;
        }
        String json;
        try {
            Map<String, Object> data = snapshot(q, alarms.get());
            data.put("outbox", depthView());
            json = Payloads.JSON.writeValueAsString(data);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warn("遥测统计失败 / Telemetry counts failed: {}", e.toString());
            return -1;
        }
        Instant at = now.get();
        try {
            long seq = store.write("upstream.telemetry", tx -> tx.outbox(Stream.TELEMETRY, "telemetry", at, json));
            written.incrementAndGet();
            long upTo = seq - keep;
            if (upTo > 0 && (!connected.getAsBoolean() || budget.depth(Stream.TELEMETRY) >= keep)) {
                store.confirm(Stream.TELEMETRY, upTo);
                thinnedWrites.incrementAndGet();
                if (!thinningLogged) {
                    thinningLogged = true;
                    LOG.info("遥测已精简：只保留最新 {} 条待发送 / Telemetry thinned: only the newest {} unsent rows are"
                            + " kept", keep, keep);
                }
            } else {
                thinningLogged = false;
            }
            return seq;
        } catch (StoreException | LockerException e) {
            LOG.warn("遥测写入失败 / Writing telemetry failed: {}", e.getMessage());
            return -1;
        }
    }

    long written() {
        return written.get();
    }

    long thinnedWrites() {
        return thinnedWrites.get();
    }

    private Map<String, Object> depthView() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Stream s : Stream.values()) {
            out.put(s.name().toLowerCase(Locale.ROOT), budget.depth(s));
        }
        return out;
    }

    /** Per-group counts: compartments by state, parcels in the locker, open alarms, cabinets online. */
    static Map<String, Object> snapshot(LockerQueries q, AlarmService alarmService) {
        Map<String, Map<CompartmentState, Integer>> states = new HashMap<>();
        for (Compartment c : q.compartments(null)) {
            states.computeIfAbsent(c.groupId(), k -> new java.util.EnumMap<>(CompartmentState.class))
                    .merge(c.state(), 1, Integer::sum);
        }
        Map<String, Integer> parcels = new HashMap<>();
        for (Parcel p : q.parcels(null, IN_LOCKER, 1_000_000)) {
            parcels.merge(p.groupId(), 1, Integer::sum);
        }
        Map<String, int[]> cabinets = new HashMap<>();
        for (Cabinet c : q.cabinets(null)) {
            int[] n = cabinets.computeIfAbsent(c.groupId(), k -> new int[2]);
            n[0]++;
            if (c.online()) {
                n[1]++;
            }
        }
        Map<String, Integer> openAlarms = new HashMap<>();
        int gatewayAlarms = 0;
        int totalAlarms = 0;
        if (alarmService != null) {
            for (Alarm a : alarmService.open()) {
                if (!a.active()) {
                    continue;
                }
                totalAlarms++;
                if (a.groupId() == null) {
                    gatewayAlarms++;
                } else {
                    openAlarms.merge(a.groupId(), 1, Integer::sum);
                }
            }
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        for (CabinetGroup g : q.groups()) {
            Map<CompartmentState, Integer> s = states.getOrDefault(g.groupId(), Map.of());
            int total = 0;
            for (int n : s.values()) {
                total += n;
            }
            Map<String, Object> compartments = new LinkedHashMap<>();
            compartments.put("total", total);
            compartments.put("free", s.getOrDefault(CompartmentState.FREE, 0));
            compartments.put("occupied", s.getOrDefault(CompartmentState.OCCUPIED, 0));
            compartments.put("fault", s.getOrDefault(CompartmentState.FAULT, 0));
            compartments.put("disabled", s.getOrDefault(CompartmentState.DISABLED, 0));
            compartments.put("reserved", s.getOrDefault(CompartmentState.RESERVED, 0)
                    + s.getOrDefault(CompartmentState.OPENING, 0));
            int[] cab = cabinets.getOrDefault(g.groupId(), new int[2]);
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("groupId", g.groupId());
            group.put("compartments", compartments);
            group.put("parcelsInLocker", parcels.getOrDefault(g.groupId(), 0));
            group.put("openAlarms", openAlarms.getOrDefault(g.groupId(), 0));
            group.put("cabinets", Map.of("total", cab[0], "online", cab[1]));
            groups.add(group);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groups", groups);
        out.put("openAlarms", totalAlarms);
        out.put("gatewayAlarms", gatewayAlarms);
        return out;
    }
}
