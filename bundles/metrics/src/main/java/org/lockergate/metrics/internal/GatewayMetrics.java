package org.lockergate.metrics.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.maintenance.InspectionService;
import org.lockergate.api.maintenance.Ticket;
import org.lockergate.api.maintenance.TicketService;
import org.lockergate.api.maintenance.TicketState;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.store.LockerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's metrics in one Prometheus registry of its own (not the library's global default, so a restart of
 * the bundle starts clean). Counters follow EventAdmin topics; gauges are read from the services at scrape time,
 * so they always agree with REST and OPC UA. A service that is missing simply leaves its gauges empty.
 */
public final class GatewayMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMetrics.class);

    /** Where the scrape-time values come from; each supplier may answer null when its service is missing. */
    public record Sources(Supplier<LockerQueries> queries, Supplier<AlarmService> alarms, Supplier<LockerStore> store,
            Supplier<TicketService> tickets, Supplier<InspectionService> inspections) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter deposits;
    private final Counter pickups;
    private final Histogram http;

    public GatewayMetrics(Sources sources, boolean jvm) {
        deposits = Counter.builder().name("lockergate_deposits_total")
                .help("Parcels deposited (door closed with the parcel inside) since the gateway started")
                .labelNames("group").register(registry);
        pickups = Counter.builder().name("lockergate_pickups_total")
                .help("Parcels picked up since the gateway started").labelNames("group").register(registry);
        http = Histogram.builder().name("lockergate_http_request_duration_seconds")
                .help("REST API (/api/v1) request duration by method, servlet pattern and status")
                .labelNames("method", "resource", "status")
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        GaugeWithCallback.builder().name("lockergate_alarms_open")
                .help("Alarms (R14) active or not yet acknowledged, by type").labelNames("type")
                .callback(cb -> {
                    AlarmService alarms = sources.alarms().get();
                    if (alarms == null) {
                        return;
                    }
                    Map<AlarmType, Integer> byType = new TreeMap<>();
                    for (AlarmType t : AlarmType.values()) {
                        byType.put(t, 0);
                    }
                    for (Alarm a : alarms.open()) {
                        byType.merge(a.type(), 1, Integer::sum);
                    }
                    byType.forEach((t, n) -> cb.call(n, t.wireName()));
                }).register(registry);
        GaugeWithCallback.builder().name("lockergate_outbox_pending")
                .help("Outbox rows not yet confirmed by the cloud, by stream").labelNames("stream")
                .callback(cb -> {
                    LockerStore store = sources.store().get();
                    if (store == null) {
                        return;
                    }
                    for (OutboxEvent.Stream s : OutboxEvent.Stream.values()) {
                        try {
                            cb.call(store.pendingCount(s), s.name());
                        } catch (Exception e) {
                            LOG.debug("outbox depth of {} unavailable: {}", s, e.toString());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("lockergate_cabinet_online")
                .help("1 when the cabinet is online, 0 when offline").labelNames("group", "cabinet", "vendor")
                .callback(cb -> {
                    LockerQueries q = sources.queries().get();
                    if (q == null) {
                        return;
                    }
                    for (CabinetGroup g : q.groups()) {
                        for (Cabinet c : q.cabinets(g.groupId())) {
                            cb.call(c.online() ? 1 : 0, g.groupId(), c.cabinetId(), c.vendor());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("lockergate_compartments")
                .help("Compartments by group and state").labelNames("group", "state")
                .callback(cb -> {
                    LockerQueries q = sources.queries().get();
                    if (q == null) {
                        return;
                    }
                    for (CabinetGroup g : q.groups()) {
                        Map<CompartmentState, Integer> byState = new TreeMap<>();
                        for (CompartmentState s : CompartmentState.values()) {
                            byState.put(s, 0);
                        }
                        for (Compartment c : q.compartments(g.groupId())) {
                            byState.merge(c.state(), 1, Integer::sum);
                        }
                        byState.forEach((s, n) -> cb.call(n, g.groupId(), s.name()));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("lockergate_tickets_open")
                .help("Maintenance tickets not closed, by fault").labelNames("fault")
                .callback(cb -> {
                    TicketService t = sources.tickets().get();
                    if (t == null) {
                        return;
                    }
                    Map<String, Integer> byFault = new TreeMap<>();
                    for (Ticket ticket : t.tickets(List.of(TicketState.OPEN, TicketState.TAKEN), null, 10_000)) {
                        byFault.merge(ticket.fault(), 1, Integer::sum);
                    }
                    byFault.forEach((f, n) -> cb.call(n, f));
                }).register(registry);
        GaugeWithCallback.builder().name("lockergate_inspections_overdue")
                .help("Inspection and cleaning rounds overdue now").callback(cb -> {
                    InspectionService i = sources.inspections().get();
                    if (i != null) {
                        cb.call(i.overdue().size());
                    }
                }).register(registry);
        if (jvm) {
            JvmMetrics.builder().register(registry);
        }
    }

    /** Counts what a {@link LockerTopics#PARCEL_CHANGED} event reports. */
    public void parcelChanged(Object groupId, Object state) {
        String group = groupId == null ? "" : groupId.toString();
        if ("DEPOSITED".equals(state)) {
            deposits.labelValues(group).inc();
        } else if ("PICKED_UP".equals(state)) {
            pickups.labelValues(group).inc();
        }
    }

    public void observeHttp(String method, String resource, int status, double seconds) {
        http.labelValues(method, resource, Integer.toString(status)).observe(seconds);
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Writes every metric in the Prometheus text format (0.0.4). */
    public void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
