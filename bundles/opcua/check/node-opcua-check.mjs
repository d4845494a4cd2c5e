// Independent check of a running LockerGate OPC UA server with node-opcua (not Milo): browse LockerGate/Groups,
// read a compartment's State with its enumeration text, watch the group's States for a while, subscribe to events on
// the Server object and call ConditionRefresh. Exits 1 when a check fails. Usage:
//   node node-opcua-check.mjs opc.tcp://127.0.0.1:4840/lockergate [seconds-to-watch]
import {
    AttributeIds,
    ClientMonitoredItem,
    DataType,
    MessageSecurityMode,
    OPCUAClient,
    SecurityPolicy,
    TimestampsToReturn,
    constructEventFilter,
    resolveNodeId,
} from "node-opcua-client";

const url = process.argv[2] ?? "opc.tcp://127.0.0.1:4840/lockergate";
const watchSeconds = Number(process.argv[3] ?? 10);
const failures = [];

function check(ok, what) {
    console.log(`${ok ? "PASS" : "FAIL"} ${what}`);
    if (!ok) {
        failures.push(what);
    }
}

async function children(session, nodeId) {
    const result = await session.browse(nodeId);
    return (result.references ?? []).map((r) => ({ name: r.browseName.name, nodeId: r.nodeId.toString() }));
}

const client = OPCUAClient.create({
    applicationName: "LockerGate node-opcua check",
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 2, initialDelay: 500, maxDelay: 2000 },
});

try {
    await client.connect(url);
    const session = await client.createSession(); // anonymous, None/None
    const namespaces = await session.readNamespaceArray();
    const ns = namespaces.indexOf("urn:lockergate");
    check(ns > 0, `namespace urn:lockergate has index ${ns}`);
    const id = (path) => `ns=${ns};s=${path}`;

    const groups = await children(session, id("LockerGate/Groups"));
    console.log(`groups: ${groups.map((g) => g.name).join(", ")}`);
    check(groups.length > 0, "LockerGate/Groups has groups");

    // the first compartment of the first cabinet of the first group
    const group = groups[0]?.name;
    const cabinets = await children(session, id(`LockerGate/Groups/${group}/Cabinets`));
    const cabinet = cabinets[0]?.name;
    const compartments = (await children(session, id(`LockerGate/Groups/${group}/Cabinets/${cabinet}/Compartments`)))
        .map((c) => c.name);
    console.log(`group ${group}: cabinets ${cabinets.map((c) => c.name).join(", ")}; ${cabinet} has`
        + ` ${compartments.length} compartments`);
    check(compartments.length > 0, `cabinet ${cabinet} has compartments`);
    const base = `LockerGate/Groups/${group}/Cabinets/${cabinet}/Compartments/${compartments[0]}`;
    const stateNode = id(`${base}/State`);
    const [state, dataType] = await session.read([
        { nodeId: stateNode, attributeId: AttributeIds.Value },
        { nodeId: stateNode, attributeId: AttributeIds.DataType },
    ]);
    const typeChildren = await children(session, dataType.value.value);
    const enumStringsNode = typeChildren.find((c) => c.name === "EnumStrings");
    const enumStrings = enumStringsNode
        ? (await session.read({ nodeId: enumStringsNode.nodeId, attributeId: AttributeIds.Value })).value.value
            .map((t) => t.text)
        : [];
    console.log(`${base}/State = ${state.value.value} (${enumStrings[state.value.value]}), status`
        + ` ${state.statusCode.name}, data type ${dataType.value.value.toString()} [${enumStrings.join(", ")}]`);
    check(state.statusCode.name === "Good" && state.value.dataType === DataType.Int32, "State reads as Int32");
    check(enumStrings.length === 6 && enumStrings[0] === "FREE", "State's data type is the CompartmentState enumeration");
    const size = await session.read({ nodeId: id(`${base}/Size`), attributeId: AttributeIds.Value });
    const doorOpen = await session.read({ nodeId: id(`${base}/DoorOpen`), attributeId: AttributeIds.Value });
    console.log(`${base}: Size ${size.value.value}, DoorOpen ${doorOpen.value.value}`);

    const subscription = await session.createSubscription2({
        requestedPublishingInterval: 100,
        requestedLifetimeCount: 600,
        requestedMaxKeepAliveCount: 20,
        maxNotificationsPerPublish: 1000,
        publishingEnabled: true,
        priority: 10,
    });

    // every State of the group's first cabinet at 100 ms (the demo's traffic changes them)
    let stateChanges = 0;
    for (const label of compartments) {
        const item = ClientMonitoredItem.create(subscription,
            { nodeId: id(`LockerGate/Groups/${group}/Cabinets/${cabinet}/Compartments/${label}/State`),
                attributeId: AttributeIds.Value },
            { samplingInterval: 100, queueSize: 10, discardOldest: true }, TimestampsToReturn.Both);
        let first = true;
        item.on("changed", (value) => {
            if (first) {
                first = false; // the initial value
                return;
            }
            stateChanges++;
            console.log(`data change: ${cabinet}/${label} State -> ${value.value.value}`
                + ` (${enumStrings[value.value.value]})`);
        });
    }

    // events on the Server object, as UaExpert's event view subscribes
    const fields = ["EventId", "EventType", "SourceName", "Time", "Message", "Severity", "ConditionName", "Retain",
        "AckedState.Id", "ActiveState.Id"];
    const filter = constructEventFilter(fields);
    const events = ClientMonitoredItem.create(subscription,
        { nodeId: resolveNodeId("Server"), attributeId: AttributeIds.EventNotifier },
        { samplingInterval: 0, queueSize: 1000, discardOldest: true, filter }, TimestampsToReturn.Neither);
    let eventCount = 0;
    let refreshStart = false;
    let refreshEnd = false;
    events.on("changed", (values) => {
        eventCount++;
        const v = Object.fromEntries(fields.map((f, i) => [f, values[i]?.value]));
        const type = v.EventType?.toString();
        if (type === "ns=0;i=2787") {
            refreshStart = true;
        } else if (type === "ns=0;i=2788") {
            refreshEnd = true;
        }
        console.log(`event: type ${type} ${v.ConditionName ?? ""} source ${v.SourceName} severity ${v.Severity}`
            + ` active ${v["ActiveState.Id"]} acked ${v["AckedState.Id"]} retain ${v.Retain}`
            + ` message "${v.Message?.text ?? ""}"`);
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const refresh = await session.call({
        objectId: resolveNodeId("ns=0;i=2782"), // ConditionType
        methodId: resolveNodeId("ns=0;i=3875"), // ConditionRefresh
        inputArguments: [{ dataType: DataType.UInt32, value: subscription.subscriptionId }],
    });
    check(refresh.statusCode.name === "Good", `ConditionRefresh: ${refresh.statusCode.name}`);

    // a method call without a signed-in technician must be refused
    const disable = await session.call({
        objectId: resolveNodeId(id(base)),
        methodId: resolveNodeId(id("LockerGate/Methods/Disable")),
        inputArguments: [{ dataType: DataType.String, value: "node-opcua check" }],
    });
    check(disable.statusCode.name === "BadUserAccessDenied", `anonymous Disable refused: ${disable.statusCode.name}`);

    await new Promise((resolve) => setTimeout(resolve, watchSeconds * 1000));
    check(refreshStart && refreshEnd, "RefreshStart and RefreshEnd events received");
    console.log(`summary: ${groups.length} groups, ${stateChanges} State changes and ${eventCount} events in`
        + ` ${watchSeconds + 1} s`);
    await subscription.terminate();
    await session.close();
} catch (e) {
    failures.push(String(e));
    console.log(`FAIL ${e}`);
} finally {
    await client.disconnect();
}
console.log(failures.length === 0 ? "node-opcua check: all passed" : `node-opcua check: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
