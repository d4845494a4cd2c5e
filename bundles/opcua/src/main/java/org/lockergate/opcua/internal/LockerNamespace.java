package org.lockergate.opcua.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.server.EventListener;
import org.eclipse.milo.opcua.sdk.server.items.EventItem;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;

/**
 * The {@code urn:lockergate} namespace: owns the nodes of the LockerGate tree, serves monitored items from their
 * current values ({@link SubscriptionModel}: values are set on the nodes when core events arrive) and offers the
 * small node-building vocabulary the tree, the data types and the methods use. Node ids are readable paths
 * ({@code ns=N;s=LockerGate/Groups/g1/Cabinets/c1/Compartments/12/State}).
 */
final class LockerNamespace extends ManagedNamespaceWithLifecycle {

    static final String ROOT = "LockerGate";

    private static final UByte READ_ONLY = AccessLevel.toValue(AccessLevel.CurrentRead);

    private final SubscriptionModel subscriptionModel;
    private final Map<EventItem, EventListener> eventListeners = new ConcurrentHashMap<>();

    LockerNamespace(OpcUaServer server) {
        super(server, OpcUaSettings.NAMESPACE_URI);
        subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
    }

    OpcUaServer server() {
        return getServer();
    }

    NodeId id(String path) {
        return newNodeId(path);
    }

    /** A folder organized by {@code parent} (a folder or Objects). */
    UaFolderNode folder(NodeId parent, String path, String name, String description) {
        UaFolderNode folder = new UaFolderNode(getNodeContext(), id(path), newQualifiedName(name),
                LocalizedText.english(name));
        folder.setDescription(LocalizedText.english(description));
        getNodeManager().addNode(folder);
        folder.addReference(new Reference(folder.getNodeId(), NodeIds.Organizes, parent.expanded(), false));
        return folder;
    }

    /** A plain object (BaseObjectType) organized by a folder. */
    UaObjectNode object(UaFolderNode parent, String path, String name, String description) {
        UaObjectNode object = UaObjectNode.builder(getNodeContext())
                .setNodeId(id(path))
                .setBrowseName(newQualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDescription(LocalizedText.english(description))
                .setTypeDefinition(NodeIds.BaseObjectType)
                .buildAndAdd();
        parent.addOrganizes(object);
        return object;
    }

    /**
     * A read-only variable of {@code parent}: a property (HasProperty, PropertyType) for what rarely changes, a
     * component (HasComponent, BaseDataVariableType) for live values.
     */
    UaVariableNode variable(UaNode parent, String name, NodeId dataType, boolean property, String description,
            Object initial) {
        String path = parent.getNodeId().getIdentifier() + "/" + name;
        UaVariableNode variable = UaVariableNode.builder(getNodeContext())
                .setNodeId(id(path))
                .setBrowseName(newQualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDescription(LocalizedText.english(description))
                .setDataType(dataType)
                .setValueRank(-1)
                .setAccessLevel(READ_ONLY)
                .setUserAccessLevel(READ_ONLY)
                .setMinimumSamplingInterval(0.0)
                .setTypeDefinition(property ? NodeIds.PropertyType : NodeIds.BaseDataVariableType)
                .setValue(dataValue(initial))
                .buildAndAdd();
        parent.addReference(new Reference(parent.getNodeId(), property ? NodeIds.HasProperty : NodeIds.HasComponent,
                variable.getNodeId().expanded(), true));
        return variable;
    }

    /** A method node with input arguments, to be referenced (HasComponent) by the objects it acts on. */
    UaMethodNode method(String path, String name, String description, Argument... inputs) {
        UaMethodNode method = UaMethodNode.builder(getNodeContext())
                .setNodeId(id(path))
                .setBrowseName(newQualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDescription(LocalizedText.english(description))
                .setExecutable(true)
                .setUserExecutable(true)
                .buildAndAdd();
        method.setInputArguments(inputs);
        method.setOutputArguments(new Argument[0]);
        return method;
    }

    /** Sets a variable's value when it differs (monitored items see only real changes). */
    static void set(UaVariableNode variable, Object value) {
        Object current = variable.getValue().value().value();
        if (current == null ? value != null : !current.equals(value)) {
            variable.setValue(dataValue(value));
        }
    }

    static DataValue dataValue(Object value) {
        return new DataValue(value == null ? Variant.NULL_VALUE : new Variant(value), StatusCode.GOOD,
                DateTime.now());
    }

    /**
     * Event items on our notifiers (LockerGate, LockerGate/Alarms) get the server's events whose source is one of
     * our nodes; items on the Server object are served by namespace 0 and get every event.
     */
    @Override
    public void onEventItemsCreated(List<EventItem> eventItems) {
        for (EventItem item : eventItems) {
            if (item.isSamplingEnabled()) {
                register(item);
            }
        }
    }

    @Override
    public void onEventItemsModified(List<EventItem> eventItems) {
        for (EventItem item : eventItems) {
            if (item.isSamplingEnabled()) {
                register(item);
            } else {
                unregister(item);
            }
        }
    }

    @Override
    public void onEventItemsDeleted(List<EventItem> eventItems) {
        eventItems.forEach(this::unregister);
    }

    private void register(EventItem item) {
        eventListeners.computeIfAbsent(item, i -> {
            EventListener ours = event -> {
                NodeId source = event.getSourceNode();
                if (source != null && source.getNamespaceIndex().equals(getNamespaceIndex())) {
                    i.onEvent(event);
                }
            };
            getServer().getEventNotifier().register(ours);
            return ours;
        });
    }

    private void unregister(EventItem item) {
        EventListener listener = eventListeners.remove(item);
        if (listener != null) {
            getServer().getEventNotifier().unregister(listener);
        }
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }
}
