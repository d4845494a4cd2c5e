package org.lockergate.opcua.internal;

import java.time.Instant;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

/** {@code LockerGate/Gateway}: Id, Version, StartTime, UpstreamConnected, OutboxDepth. */
final class GatewayNodes {

    private final UaObjectNode gateway;
    private final UaVariableNode upstreamConnected;
    private final UaVariableNode outboxDepth;

    GatewayNodes(LockerNamespace ns, UaFolderNode root, String gatewayId, String version, Instant startTime) {
        gateway = ns.object(root, LockerNamespace.ROOT + "/Gateway", "Gateway",
                "This LockerGate gateway (one per community).");
        ns.variable(gateway, "Id", NodeIds.String, true, "Gateway id (LOCKERGATE_GATEWAY_ID), as used on MQTT.",
                gatewayId);
        ns.variable(gateway, "Version", NodeIds.String, true, "LockerGate software version.", version);
        ns.variable(gateway, "StartTime", NodeIds.UtcTime, true, "When the gateway's OPC UA server started (UTC).",
                new DateTime(startTime));
        upstreamConnected = ns.variable(gateway, "UpstreamConnected", NodeIds.Boolean, false,
                "Whether the cloud (MQTT) connection is up; false while cloud sync is off.", false);
        outboxDepth = ns.variable(gateway, "OutboxDepth", NodeIds.UInt32, false,
                "Events written to the durable outbox and not yet confirmed by the cloud.", UInteger.MIN);
    }

    /** The Gateway object: the source of gateway-wide alarms. */
    UaObjectNode object() {
        return gateway;
    }

    void outboxDepth(long depth) {
        LockerNamespace.set(outboxDepth, UInteger.valueOf(Math.max(0, Math.min(depth, UInteger.MAX_VALUE))));
    }

    void upstreamConnected(boolean connected) {
        LockerNamespace.set(upstreamConnected, connected);
    }
}
