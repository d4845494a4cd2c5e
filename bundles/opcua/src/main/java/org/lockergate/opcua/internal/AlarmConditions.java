package org.lockergate.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.items.EventItem;
import org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler.InvocationContext;
import org.eclipse.milo.opcua.sdk.server.model.objects.AcknowledgeableConditionType;
import org.eclipse.milo.opcua.sdk.server.model.objects.AlarmConditionTypeNode;
import org.eclipse.milo.opcua.sdk.server.model.objects.BaseEventTypeNode;
import org.eclipse.milo.opcua.sdk.server.model.objects.ConditionType;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.factories.NodeFactory;
import org.eclipse.milo.opcua.sdk.server.subscriptions.Subscription;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.util.NonceUtil;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The R14 alarms as OPC UA {@code AlarmConditionType} instances under {@code LockerGate/Alarms}, one per alarm the core
 * reports as open ({@link AlarmService#open()}: active, or cleared and not yet acknowledged). {@link #sync()} (sync
 * thread) creates, updates and retires them and fires an event for every change; events reach clients that subscribe
 * on the Server object (HasNotifier Server → LockerGate → Alarms) or on {@code LockerGate}.
 *
 * <p>There is one alarm state: Acknowledge calls {@link AlarmService#acknowledge} with {@code operator:NAME} (the core
 * audits it and tells MQTT and the console), and an acknowledgement made elsewhere arrives as an
 * {@code lockergate/alarm/CHANGED} event that sets AckedState here. A condition that is both inactive and acknowledged
 * is sent once more with Retain false, then removed. ConditionRefresh replays the retained conditions to the caller's
 * subscription.
 */
final class AlarmConditions {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmConditions.class);

    static final String FOLDER = LockerNamespace.ROOT + "/Alarms";

    /** Event ids a client may still acknowledge with (the latest few per condition). */
    private static final int EVENT_IDS_KEPT = 8;

    private final LockerNamespace ns;
    private final LockerTree tree;
    private final GatewayNodes gateway;
    private final AlarmService service;
    private final UaFolderNode root;
    private final UaFolderNode folder;
    private final Map<Long, Condition> conditions = new ConcurrentHashMap<>();
    private volatile Runnable resync = () -> { };

    AlarmConditions(LockerNamespace ns, UaFolderNode root, LockerTree tree, GatewayNodes gateway,
            AlarmService service) {
        this.ns = ns;
        this.root = root;
        this.tree = tree;
        this.gateway = gateway;
        this.service = service;
        folder = ns.folder(root.getNodeId(), FOLDER, "Alarms",
                "Open alarms (R14) as AlarmConditionType instances: active ones and cleared ones awaiting"
                        + " acknowledgement. Subscribe to events on Server or LockerGate to receive their changes.");
        root.setEventNotifier(ubyte(1));
        folder.setEventNotifier(ubyte(1));
        root.addReference(new Reference(root.getNodeId(), NodeIds.HasNotifier, folder.getNodeId().expanded(), true));
    }

    /**
     * After the server has started (namespace 0 loaded): links Server → LockerGate with HasNotifier and makes
     * ConditionRefresh replay our conditions.
     */
    void attach() {
        OpcUaServer server = ns.server();
        Optional<UaNode> serverNode = server.getAddressSpaceManager().getManagedNode(NodeIds.Server);
        serverNode.ifPresent(s -> s.addReference(new Reference(s.getNodeId(), NodeIds.HasNotifier,
                root.getNodeId().expanded(), true)));
        Optional<UaNode> refresh = server.getAddressSpaceManager().getManagedNode(NodeIds.ConditionType_ConditionRefresh);
        if (refresh.isPresent() && refresh.get() instanceof UaMethodNode method) {
            method.setInvocationHandler(new Refresh(method));
        } else {
            LOG.warn("OPC UA：找不到 ConditionRefresh 方法 / OPC UA: ConditionRefresh method node not found");
        }
    }

    /** Asked for after an acknowledgement here, so the node follows the core without waiting for its event. */
    void onAcknowledged(Runnable requestSync) {
        resync = requestSync;
    }

    /** Makes the conditions match the core's open alarms; fires an event for each change (sync thread only). */
    void sync() {
        List<Alarm> open = service.open();
        Set<Long> seen = new HashSet<>();
        for (Alarm alarm : open) {
            seen.add(alarm.alarmId());
            Condition condition = conditions.get(alarm.alarmId());
            if (condition == null) {
                condition = create(alarm);
                conditions.put(alarm.alarmId(), condition);
                condition.apply(alarm);
            } else if (!condition.alarm.equals(alarm)) {
                condition.apply(alarm);
            }
        }
        for (Condition gone : new ArrayList<>(conditions.values())) {
            if (!seen.contains(gone.alarm.alarmId())) {
                conditions.remove(gone.alarm.alarmId());
                gone.retire();
            }
        }
    }

    /** The open conditions (for tests and ConditionRefresh). */
    Collection<AlarmConditionTypeNode> nodes() {
        return conditions.values().stream().map(c -> c.node).toList();
    }

    void shutdown() {
        conditions.clear();
    }

    private Condition create(Alarm alarm) {
        String name = alarm.type().opcUaName() + "_" + alarm.alarmId();
        NodeId id = ns.id(FOLDER + "/" + alarm.alarmId());
        AlarmConditionTypeNode node;
        try {
            node = (AlarmConditionTypeNode) ns.getNodeFactory().createNode(id, NodeIds.AlarmConditionType,
                    new NodeFactory.InstantiationCallback() { });
        } catch (UaException e) {
            throw new IllegalStateException("cannot instantiate AlarmConditionType: " + e.getMessage(), e);
        }
        node.setBrowseName(new QualifiedName(ns.getNamespaceIndex(), name));
        node.setDisplayName(LocalizedText.english(name));
        node.setDescription(LocalizedText.english(alarm.type().wireName() + " (R14), " + subject(alarm)));
        folder.addOrganizes(node);
        Condition condition = new Condition(node, alarm);
        node.getAcknowledgeMethodNode().setInvocationHandler(new Acknowledge(node.getAcknowledgeMethodNode(),
                condition));
        return condition;
    }

    /** One condition node and what was last shown on it. */
    private final class Condition {

        final AlarmConditionTypeNode node;
        final Deque<ByteString> eventIds = new ConcurrentLinkedDeque<>();
        volatile Alarm alarm;
        private NodeId sourceId;

        Condition(AlarmConditionTypeNode node, Alarm alarm) {
            this.node = node;
            this.alarm = alarm;
            AlarmType type = alarm.type();
            node.setEventType(NodeIds.AlarmConditionType);
            node.setConditionName(type.opcUaName());
            node.setConditionClassId(conditionClass(type));
            node.setConditionClassName(LocalizedText.english(conditionClassName(type)));
            node.setBranchId(NodeId.NULL_VALUE);
            node.setSeverity(ushort(type.severity()));
            node.setLastSeverity(ushort(type.severity()));
            node.setQuality(StatusCode.GOOD);
            node.setEnabledState(LocalizedText.english("Enabled"));
            node.getEnabledStateNode().setId(true);
            node.setInputNode(NodeId.NULL_VALUE);
            node.setSuppressedOrShelved(false);
            node.setComment(LocalizedText.NULL_VALUE);
            node.setClientUserId("");
            String message = alarm.message() == null || alarm.message().isBlank()
                    ? type.wireName() + " " + subject(alarm) : alarm.message();
            node.setMessage(new LocalizedText("zh-CN", message));
            attachSource();
        }

        /** The compartment, cabinet or group the alarm is about (HasCondition from it), else the Gateway object. */
        private void attachSource() {
            Alarm a = alarm;
            Optional<UaObjectNode> source = tree.alarmSource(a.groupId(), a.cabinetId(), a.compartment());
            UaObjectNode sourceNode = source.orElse(gateway.object());
            sourceId = sourceNode.getNodeId();
            node.setSourceNode(sourceId);
            node.setSourceName(subject(a));
            sourceNode.addReference(new Reference(sourceId, NodeIds.HasCondition, node.getNodeId().expanded(), true));
        }

        void apply(Alarm next) {
            Alarm previous = alarm;
            alarm = next;
            boolean active = next.active();
            boolean acked = next.acknowledged();
            node.setActiveState(LocalizedText.english(active ? "Active" : "Inactive"));
            node.getActiveStateNode().setId(active);
            node.getActiveStateNode().setTransitionTime(new DateTime(active ? next.raisedAt() : next.clearedAt()));
            node.setAckedState(LocalizedText.english(acked ? "Acknowledged" : "Unacknowledged"));
            node.getAckedStateNode().setId(acked);
            node.getAckedStateNode().setTransitionTime(acked ? new DateTime(next.acknowledgedAt())
                    : new DateTime(next.raisedAt()));
            if (acked) {
                node.setClientUserId(next.acknowledgedBy() == null ? "" : next.acknowledgedBy());
            }
            node.setRetain(active || !acked);
            Instant time = latest(next);
            fire(time);
            if (previous != next && LOG.isDebugEnabled()) {
                LOG.debug("OPC UA alarm condition {} active={} acked={}", node.getBrowseName().name(), active, acked);
            }
        }

        /** Cleared and acknowledged: one last event with Retain false, then the node goes. */
        void retire() {
            Alarm a = alarm;
            Instant now = Instant.now();
            Alarm done = new Alarm(a.alarmId(), a.type(), a.groupId(), a.cabinetId(), a.compartment(), a.message(),
                    a.raisedAt(), a.clearedAt() == null ? now : a.clearedAt(),
                    a.acknowledgedAt() == null ? now : a.acknowledgedAt(), a.acknowledgedBy());
            apply(done);
            ns.server().getAddressSpaceManager().getManagedNode(sourceId).ifPresent(s -> s.removeReference(
                    new Reference(sourceId, NodeIds.HasCondition, node.getNodeId().expanded(), true)));
            folder.removeOrganizes(node);
            node.delete();
        }

        private void fire(Instant time) {
            ByteString eventId = NonceUtil.generateNonce(16);
            eventIds.addFirst(eventId);
            while (eventIds.size() > EVENT_IDS_KEPT) {
                eventIds.removeLast();
            }
            node.setEventId(eventId);
            node.setTime(new DateTime(time));
            node.setReceiveTime(DateTime.now());
            ns.server().getEventNotifier().fire(node);
        }
    }

    /** Acknowledge on one condition: signed-in staff only; the core records it, the next sync shows it. */
    private final class Acknowledge extends AcknowledgeableConditionType.AcknowledgeMethod {

        private final Condition condition;

        Acknowledge(UaMethodNode node, Condition condition) {
            super(node);
            this.condition = condition;
        }

        @Override
        protected void invoke(InvocationContext context, ByteString eventId, LocalizedText comment)
                throws UaException {
            Operator operator = context.getSession().flatMap(OperatorIdentityValidator::operator)
                    .orElseThrow(() -> new UaException(StatusCodes.Bad_UserAccessDenied,
                            "sign in to acknowledge alarms / 确认告警需要登录"));
            if (!operator.hasAnyRole(Role.TECHNICIAN, Role.PROPERTY)) {
                LOG.warn("OPC UA 告警确认被拒：{} 无物业或技术员角色 / OPC UA Acknowledge refused: {} lacks the property"
                        + " or technician role", operator.username(), operator.username());
                throw new UaException(StatusCodes.Bad_UserAccessDenied, "property or technician role required");
            }
            if (eventId == null || eventId.isNull() || !condition.eventIds.contains(eventId)) {
                throw new UaException(StatusCodes.Bad_EventIdUnknown, "not an event of this condition");
            }
            if (condition.alarm.acknowledged()) {
                throw new UaException(StatusCodes.Bad_ConditionBranchAlreadyAcked, "already acknowledged");
            }
            String actor = "operator:" + operator.username();
            try {
                service.acknowledge(condition.alarm.alarmId(), actor);
            } catch (LockerException e) {
                throw new UaException(e.kind() == LockerException.Kind.NOT_FOUND ? StatusCodes.Bad_NodeIdUnknown
                        : StatusCodes.Bad_InvalidState, e.getMessage());
            }
            String text = comment == null || comment.text() == null ? "" : comment.text().strip();
            if (!text.isEmpty()) {
                condition.node.setComment(comment);
            }
            LOG.info("OPC UA 告警 {} 已由 {} 确认 / OPC UA alarm {} ({}) acknowledged by {}{}",
                    condition.alarm.alarmId(), actor, condition.alarm.alarmId(), condition.alarm.type().wireName(),
                    actor, text.isEmpty() ? "" : ": " + text);
            resync.run();
        }
    }

    /** ConditionRefresh: RefreshStart, every retained condition, RefreshEnd — to the calling subscription only. */
    private final class Refresh extends ConditionType.ConditionRefreshMethod {

        Refresh(UaMethodNode node) {
            super(node);
        }

        @Override
        protected void invoke(InvocationContext context, UInteger subscriptionId) throws UaException {
            Session session = context.getSession()
                    .orElseThrow(() -> new UaException(StatusCodes.Bad_UserAccessDenied));
            Subscription subscription = session.getSubscriptionManager().getSubscription(subscriptionId);
            if (subscription == null) {
                throw new UaException(StatusCodes.Bad_SubscriptionIdInvalid);
            }
            List<EventItem> items = new ArrayList<>();
            subscription.getMonitoredItems().values().forEach(item -> {
                if (item instanceof EventItem eventItem) {
                    items.add(eventItem);
                }
            });
            OpcUaServer server = ns.server();
            BaseEventTypeNode start = marker(server, NodeIds.RefreshStartEventType, "RefreshStart");
            BaseEventTypeNode end = marker(server, NodeIds.RefreshEndEventType, "RefreshEnd");
            try {
                items.forEach(item -> item.onEvent(start));
                for (Condition condition : new ArrayList<>(conditions.values())) {
                    if (Boolean.TRUE.equals(condition.node.getRetain())) {
                        items.forEach(item -> item.onEvent(condition.node));
                    }
                }
                items.forEach(item -> item.onEvent(end));
            } finally {
                start.delete();
                end.delete();
            }
        }

        private BaseEventTypeNode marker(OpcUaServer server, NodeId type, String name) throws UaException {
            BaseEventTypeNode event = server.getEventFactory().createEvent(
                    new NodeId(ns.getNamespaceIndex(), "refresh/" + java.util.UUID.randomUUID()), type);
            event.setBrowseName(new QualifiedName(0, name));
            event.setDisplayName(LocalizedText.english(name));
            event.setEventId(NonceUtil.generateNonce(16));
            event.setEventType(type);
            event.setSourceNode(NodeIds.Server);
            event.setSourceName("Server");
            event.setTime(DateTime.now());
            event.setReceiveTime(DateTime.NULL_VALUE);
            event.setMessage(LocalizedText.english(name));
            event.setSeverity(ushort(1));
            return event;
        }
    }

    private static Instant latest(Alarm alarm) {
        Instant time = alarm.raisedAt();
        if (alarm.clearedAt() != null && alarm.clearedAt().isAfter(time)) {
            time = alarm.clearedAt();
        }
        if (alarm.acknowledgedAt() != null && alarm.acknowledgedAt().isAfter(time)) {
            time = alarm.acknowledgedAt();
        }
        return time;
    }

    /** {@code g1/c1/B07}, {@code g1/c1}, {@code g1} or {@code gateway}: ids and labels only, nothing personal. */
    static String subject(Alarm alarm) {
        List<String> parts = new ArrayList<>();
        for (String part : new String[] {alarm.groupId(), alarm.cabinetId(), alarm.compartment()}) {
            if (part != null && !part.isBlank()) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? "gateway" : String.join("/", parts);
    }

    private static final Map<AlarmType, Boolean> PROCESS = new HashMap<>();

    static {
        for (AlarmType type : List.of(AlarmType.DOOR_LEFT_OPEN, AlarmType.FORCED_OPEN, AlarmType.DOOR_JAMMED,
                AlarmType.ITEM_LEFT, AlarmType.ITEM_MISSING)) {
            PROCESS.put(type, true);
        }
    }

    /** Door and item alarms are about the locker's process; the rest about the equipment and the gateway. */
    private static NodeId conditionClass(AlarmType type) {
        return PROCESS.containsKey(type) ? NodeIds.ProcessConditionClassType : NodeIds.SystemConditionClassType;
    }

    private static String conditionClassName(AlarmType type) {
        return PROCESS.containsKey(type) ? "ProcessConditionClassType" : "SystemConditionClassType";
    }
}
