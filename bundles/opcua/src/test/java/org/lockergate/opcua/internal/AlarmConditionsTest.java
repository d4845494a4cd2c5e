package org.lockergate.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.opcua.internal.TestClients.await;
import static org.lockergate.opcua.internal.TestClients.children;
import static org.lockergate.opcua.internal.TestClients.node;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;

/** Alarm conditions over real TCP with Milo's client: events on Server, Acknowledge, one shared alarm state. */
class AlarmConditionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String B07 = "LockerGate/Groups/g1/Cabinets/c1/Compartments/B07";

    @TempDir
    static Path data;

    static FakeLocker locker;
    static TestClients clients;
    static LockerGateServer server;
    static OpcUaClient anonymous;
    static OpcUaClient prop;

    @BeforeAll
    static void start() throws Exception {
        locker = new FakeLocker();
        locker.addGroup("g1", "翠苑一区 1号柜", "文三路 1 号");
        locker.addCabinet("g1", "c1", true, Instant.parse("2026-03-01T08:30:00Z"));
        locker.putCompartment("g1", "c1", "B07", SizeClass.M, 1, 7, CompartmentState.FREE, true, false, null);
        clients = new TestClients();
        Path pki = data.resolve("opcua").resolve("pki");
        clients.trustIn(pki);
        server = new LockerGateServer(OpcUaSettings.loopback(0, pki), locker, locker, locker, new FakeIdentity());
        server.start();
        anonymous = clients.anonymous(server.endpointUrl());
        prop = clients.secure(server.endpointUrl(), MessageSecurityMode.SignAndEncrypt, "prop",
                FakeIdentity.PASSWORD);
        await(WAIT, "B07 in the tree", () -> children(anonymous, node(anonymous,
                "LockerGate/Groups/g1/Cabinets/c1/Compartments")).contains("B07"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (OpcUaClient client : new OpcUaClient[] {anonymous, prop}) {
            if (client != null) {
                client.disconnect();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    private static Alarm raise(AlarmType type, String compartment, String message) {
        Alarm alarm = locker.raise(type, "g1", compartment == null ? "c1" : "c1", compartment, message);
        changed(alarm, "raised");
        return alarm;
    }

    private static void changed(Alarm alarm, String state) {
        server.onEvent(LockerTopics.ALARM_CHANGED, Map.of(LockerTopics.ALARM_ID, alarm.alarmId(), LockerTopics.TYPE,
                alarm.type().wireName(), LockerTopics.STATE, state, LockerTopics.GROUP_ID, "g1"));
    }

    private static NodeId conditionId(Alarm alarm) throws Exception {
        return node(anonymous, AlarmConditions.FOLDER + "/" + alarm.alarmId());
    }

    @Test
    void a_raised_alarm_reaches_a_server_subscriber_as_an_active_unacknowledged_condition() throws Exception {
        try (AlarmEvents events = new AlarmEvents(anonymous, NodeIds.Server)) {
            Alarm alarm = raise(AlarmType.FORCED_OPEN, "B07", "格口 B07 未经指令被打开 / Compartment B07 opened without"
                    + " a command");
            AlarmEvents.Event event = events.next(WAIT, "ForcedOpen raised",
                    e -> conditionIdOf(e).equals(String.valueOf(alarm.alarmId())));
            assertThat(event.eventType()).isEqualTo(NodeIds.AlarmConditionType);
            assertThat(event.conditionName()).isEqualTo("ForcedOpen");
            assertThat(event.severity()).isEqualTo(800);
            assertThat(event.sourceName()).isEqualTo("g1/c1/B07");
            assertThat(event.message()).contains("opened without a command");
            assertThat(event.active()).isTrue();
            assertThat(event.acked()).isFalse();
            assertThat(event.retain()).isTrue();

            // browsable under LockerGate/Alarms, and the compartment names it with HasCondition
            assertThat(children(anonymous, node(anonymous, AlarmConditions.FOLDER)))
                    .contains("ForcedOpen_" + alarm.alarmId());
            ReferenceDescription[] refs = anonymous.browse(new BrowseDescription(node(anonymous, B07),
                    BrowseDirection.Forward, NodeIds.HasCondition, false, UInteger.valueOf(0xFF),
                    UInteger.valueOf(0x3F))).getReferences();
            assertThat(refs).extracting(r -> r.getBrowseName().name()).contains("ForcedOpen_" + alarm.alarmId());
        }
    }

    @Test
    void anonymous_acknowledge_is_refused_and_the_alarm_stays_unacknowledged() throws Exception {
        try (AlarmEvents events = new AlarmEvents(anonymous, NodeIds.Server)) {
            Alarm alarm = raise(AlarmType.DOOR_JAMMED, "B07", "门卡住 / door jammed");
            AlarmEvents.Event event = events.next(WAIT, "DoorJammed", e -> "DoorJammed".equals(e.conditionName())
                    && conditionIdOf(e).equals(String.valueOf(alarm.alarmId())));
            StatusCode status = AlarmEvents.acknowledge(anonymous, event.conditionId(), event.eventId(), "seen");
            assertThat(status.value()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(locker.acknowledgements).noneMatch(a -> a.startsWith(alarm.alarmId() + " "));
        }
    }

    @Test
    void acknowledge_here_is_recorded_by_the_core_with_the_operator_and_shown_to_every_subscriber() throws Exception {
        try (AlarmEvents events = new AlarmEvents(anonymous, NodeIds.Server)) {
            Alarm alarm = raise(AlarmType.DOOR_LEFT_OPEN, "B07", "门未关 / door left open");
            AlarmEvents.Event raised = events.next(WAIT, "raised", e -> conditionIdOf(e).equals(
                    String.valueOf(alarm.alarmId())));

            StatusCode wrongEvent = AlarmEvents.acknowledge(prop, raised.conditionId(),
                    ByteString.of(new byte[16]), "x");
            assertThat(wrongEvent.value()).isEqualTo(StatusCodes.Bad_EventIdUnknown);

            StatusCode status = AlarmEvents.acknowledge(prop, raised.conditionId(), raised.eventId(), "on my way");
            assertThat(status.isGood()).as("Acknowledge: %s", status).isTrue();
            assertThat(locker.acknowledgements).contains(alarm.alarmId() + " operator:prop");

            AlarmEvents.Event acked = events.next(WAIT, "acknowledged", e -> e.conditionId()
                    .equals(raised.conditionId()) && Boolean.TRUE.equals(e.acked()));
            assertThat(acked.active()).isTrue();
            assertThat(acked.retain()).as("still active, so retained").isTrue();

            StatusCode twice = AlarmEvents.acknowledge(prop, raised.conditionId(), acked.eventId(), "again");
            assertThat(twice.value()).isEqualTo(StatusCodes.Bad_ConditionBranchAlreadyAcked);

            // the door closes: cleared and acknowledged, sent once more with Retain false, then gone
            locker.clear(AlarmType.DOOR_LEFT_OPEN, "g1", "c1", "B07");
            changed(alarm, "cleared");
            AlarmEvents.Event done = events.next(WAIT, "retired", e -> e.conditionId().equals(raised.conditionId())
                    && Boolean.FALSE.equals(e.retain()));
            assertThat(done.active()).isFalse();
            assertThat(done.acked()).isTrue();
            await(WAIT, "condition removed", () -> !children(anonymous, node(anonymous, AlarmConditions.FOLDER))
                    .contains("DoorLeftOpen_" + alarm.alarmId()));
        }
    }

    @Test
    void an_acknowledgement_made_elsewhere_sets_AckedState_here() throws Exception {
        try (AlarmEvents events = new AlarmEvents(anonymous, NodeIds.Server)) {
            Alarm alarm = locker.raise(AlarmType.CABINET_OFFLINE, "g1", "c1", null, "柜子离线 / cabinet offline");
            changed(alarm, "raised");
            AlarmEvents.Event raised = events.next(WAIT, "CabinetOffline", e -> conditionIdOf(e).equals(
                    String.valueOf(alarm.alarmId())));
            assertThat(raised.sourceName()).isEqualTo("g1/c1");
            assertThat(raised.severity()).isEqualTo(700);

            locker.acknowledge(alarm.alarmId(), "operator:admin"); // as REST, the shell or MQTT would
            changed(alarm, "acknowledged");
            AlarmEvents.Event acked = events.next(WAIT, "acked elsewhere", e -> e.conditionId()
                    .equals(raised.conditionId()) && Boolean.TRUE.equals(e.acked()));
            assertThat(acked.active()).isTrue();
        }
    }

    @Test
    void a_gateway_wide_alarm_has_the_Gateway_object_as_source_and_reaches_LockerGate_subscribers() throws Exception {
        try (AlarmEvents events = new AlarmEvents(anonymous, node(anonymous, LockerNamespace.ROOT))) {
            Alarm alarm = locker.raise(AlarmType.UPSTREAM_OFFLINE, null, null, null, "云端不可达 / cloud unreachable");
            changed(alarm, "raised");
            AlarmEvents.Event event = events.next(WAIT, "UpstreamOffline", e -> "UpstreamOffline".equals(
                    e.conditionName()));
            assertThat(event.sourceName()).isEqualTo("gateway");
            assertThat(event.severity()).isEqualTo(300);
            locker.clear(AlarmType.UPSTREAM_OFFLINE, null, null, null);
            changed(alarm, "cleared");
            AlarmEvents.Event cleared = events.next(WAIT, "cleared", e -> "UpstreamOffline".equals(e.conditionName())
                    && Boolean.FALSE.equals(e.active()));
            assertThat(cleared.retain()).as("cleared but not acknowledged: retained").isTrue();
        }
    }

    @Test
    void condition_refresh_replays_the_retained_conditions_between_refresh_start_and_end() throws Exception {
        Alarm alarm = raise(AlarmType.ITEM_MISSING, "B07", "格口空 / item missing");
        await(WAIT, "condition exists", () -> children(anonymous, node(anonymous, AlarmConditions.FOLDER))
                .contains("ItemMissing_" + alarm.alarmId()));
        try (AlarmEvents events = new AlarmEvents(anonymous, NodeIds.Server)) {
            StatusCode status = events.refresh();
            assertThat(status.isGood()).as("ConditionRefresh: %s", status).isTrue();
            events.next(WAIT, "RefreshStart", e -> NodeIds.RefreshStartEventType.equals(e.eventType()));
            AlarmEvents.Event replayed = events.next(WAIT, "ItemMissing replayed",
                    e -> "ItemMissing".equals(e.conditionName()) || NodeIds.RefreshEndEventType.equals(e.eventType()));
            assertThat(replayed.conditionName()).isEqualTo("ItemMissing");
            assertThat(replayed.conditionId()).isEqualTo(conditionId(alarm));
            events.next(WAIT, "RefreshEnd", e -> NodeIds.RefreshEndEventType.equals(e.eventType()));
        }
    }

    private static String conditionIdOf(AlarmEvents.Event event) {
        NodeId id = event.conditionId();
        if (id == null || !(id.getIdentifier() instanceof String s) || !s.startsWith(AlarmConditions.FOLDER + "/")) {
            return "";
        }
        return s.substring(AlarmConditions.FOLDER.length() + 1);
    }
}
