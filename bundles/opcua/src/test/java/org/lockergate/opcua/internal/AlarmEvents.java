package org.lockergate.opcua.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.EventFilterBuilder;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;

/** A Milo client's event subscription on a notifier (Server by default), with the condition fields decoded. */
final class AlarmEvents implements AutoCloseable {

    /** One event as a client sees it. */
    record Event(ByteString eventId, NodeId eventType, String sourceName, String message, int severity,
            NodeId conditionId, String conditionName, Boolean retain, Boolean acked, Boolean active) {
    }

    private final OpcUaClient client;
    private final OpcUaSubscription subscription;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    AlarmEvents(OpcUaClient client, NodeId notifier) throws UaException {
        this.client = client;
        subscription = new OpcUaSubscription(client, 50.0);
        subscription.create();
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newEventItem(notifier, filter());
        item.setQueueSize(UInteger.valueOf(1000));
        item.setEventValueListener((i, values) -> events.add(decode(values)));
        subscription.addMonitoredItem(item);
        subscription.synchronizeMonitoredItems();
    }

    static EventFilter filter() {
        return new EventFilterBuilder()
                .select(NodeIds.BaseEventType, new QualifiedName(0, "EventId"))
                .select(NodeIds.BaseEventType, new QualifiedName(0, "EventType"))
                .select(NodeIds.BaseEventType, new QualifiedName(0, "SourceName"))
                .select(NodeIds.BaseEventType, new QualifiedName(0, "Message"))
                .select(NodeIds.BaseEventType, new QualifiedName(0, "Severity"))
                .select(new SimpleAttributeOperand(NodeIds.ConditionType, new QualifiedName[0],
                        AttributeId.NodeId.uid(), null))
                .select(NodeIds.ConditionType, new QualifiedName(0, "ConditionName"))
                .select(NodeIds.ConditionType, new QualifiedName(0, "Retain"))
                .select(NodeIds.AcknowledgeableConditionType, new QualifiedName(0, "AckedState"),
                        new QualifiedName(0, "Id"))
                .select(NodeIds.AlarmConditionType, new QualifiedName(0, "ActiveState"), new QualifiedName(0, "Id"))
                .build();
    }

    private static Event decode(Variant[] v) {
        Object message = v[3].value();
        Object severity = v[4].value();
        return new Event((ByteString) v[0].value(), (NodeId) v[1].value(), (String) v[2].value(),
                message instanceof LocalizedText text ? text.text() : null,
                severity instanceof UShort s ? s.intValue() : -1, (NodeId) v[5].value(), (String) v[6].value(),
                (Boolean) v[7].value(), (Boolean) v[8].value(), (Boolean) v[9].value());
    }

    UInteger subscriptionId() {
        return subscription.getSubscriptionId().orElseThrow();
    }

    /** The next event that matches, skipping others; fails after {@code timeout}. */
    Event next(Duration timeout, String what, Predicate<Event> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no event: " + what);
            }
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /** Calls Acknowledge on a condition. */
    static StatusCode acknowledge(OpcUaClient client, NodeId conditionId, ByteString eventId, String comment)
            throws UaException {
        return client.call(List.of(new CallMethodRequest(conditionId, NodeIds.AcknowledgeableConditionType_Acknowledge,
                new Variant[] {new Variant(eventId), new Variant(LocalizedText.english(comment))})))
                .getResults()[0].getStatusCode();
    }

    /** Calls ConditionRefresh for this subscription. */
    StatusCode refresh() throws UaException {
        return client.call(List.of(new CallMethodRequest(NodeIds.ConditionType, NodeIds.ConditionType_ConditionRefresh,
                new Variant[] {new Variant(subscriptionId())}))).getResults()[0].getStatusCode();
    }

    @Override
    public void close() throws UaException {
        subscription.delete();
    }
}
