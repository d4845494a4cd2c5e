package org.lockergate.metrics.internal;

import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.maintenance.InspectionService;
import org.lockergate.api.maintenance.TicketService;
import org.lockergate.store.LockerStore;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.osgi.service.event.propertytypes.EventTopics;

/**
 * The registry as a service for the servlet and the latency filter, and the EventAdmin handler that counts deposits
 * and pickups. Every service it reads is optional and dynamic: metrics never keep the gateway from starting.
 */
@Component(service = {MetricsComponent.class, EventHandler.class}, immediate = true)
@EventTopics(LockerTopics.PARCEL_CHANGED)
public class MetricsComponent implements EventHandler {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerQueries queries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AlarmService alarms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TicketService tickets;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile InspectionService inspections;

    private final GatewayMetrics metrics = new GatewayMetrics(new GatewayMetrics.Sources(() -> queries,
            () -> alarms, () -> store, () -> tickets, () -> inspections), true);

    public GatewayMetrics metrics() {
        return metrics;
    }

    @Override
    public void handleEvent(Event event) {
        metrics.parcelChanged(event.getProperty(LockerTopics.GROUP_ID), event.getProperty(LockerTopics.STATE));
    }
}
