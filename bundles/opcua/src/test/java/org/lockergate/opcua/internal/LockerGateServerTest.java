package org.lockergate.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lockergate.opcua.internal.TestClients.attribute;
import static org.lockergate.opcua.internal.TestClients.await;
import static org.lockergate.opcua.internal.TestClients.call;
import static org.lockergate.opcua.internal.TestClients.children;
import static org.lockergate.opcua.internal.TestClients.node;
import static org.lockergate.opcua.internal.TestClients.read;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;

/** The server over real TCP on 127.0.0.1 (ephemeral port) with Milo's client; the core and identity are fakes. */
class LockerGateServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String G1 = "LockerGate/Groups/g1";
    private static final String C1 = G1 + "/Cabinets/c1";
    private static final String B07 = C1 + "/Compartments/B07";
    private static final Instant DEPOSITED = Instant.parse("2026-03-01T08:30:00Z");

    @TempDir
    static Path data;

    static FakeLocker locker;
    static FakeIdentity identity;
    static TestClients clients;
    static LockerGateServer server;
    static OpcUaClient anonymous;

    @BeforeAll
    static void start() throws Exception {
        locker = new FakeLocker();
        locker.addGroup("g1", "翠苑一区 1号柜", "杭州市西湖区文三路 1 号");
        locker.addCabinet("g1", "c1", true, DEPOSITED);
        locker.addCabinet("g1", "c2", false, null);
        locker.putCompartment("g1", "c1", "B07", SizeClass.M, 1, 7, CompartmentState.OCCUPIED, true, true, DEPOSITED);
        locker.putCompartment("g1", "c1", "B08", SizeClass.S, 1, 8, CompartmentState.FREE, true, false, null);
        locker.putCompartment("g1", "c2", "C01", SizeClass.L, 2, 1, CompartmentState.FAULT, false, false, null);
        identity = new FakeIdentity();
        clients = new TestClients();
        Path pki = data.resolve("opcua").resolve("pki");
        clients.trustIn(pki);
        server = new LockerGateServer(OpcUaSettings.loopback(0, pki), locker, locker, locker, identity);
        server.start();
        anonymous = clients.anonymous(server.endpointUrl());
        await(WAIT, "the registry in the address space", () -> children(anonymous, node(anonymous, C1 + "/Compartments"))
                .size() == 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (anonymous != null) {
            anonymous.disconnect();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void listens_on_the_ephemeral_port_it_reports_under_lockergate() {
        assertThat(server.port()).isPositive();
        assertThat(server.endpointUrl()).isEqualTo("opc.tcp://127.0.0.1:" + server.port() + "/lockergate");
    }

    @Test
    void browsing_shows_gateway_groups_cabinets_and_compartments() throws Exception {
        assertThat(children(anonymous, NodeIds.ObjectsFolder)).contains("LockerGate");
        assertThat(children(anonymous, node(anonymous, "LockerGate"))).contains("Gateway", "Groups");
        assertThat(children(anonymous, node(anonymous, "LockerGate/Gateway")))
                .contains("Id", "Version", "StartTime", "UpstreamConnected", "OutboxDepth");
        assertThat(children(anonymous, node(anonymous, "LockerGate/Groups"))).containsExactly("g1");
        assertThat(children(anonymous, node(anonymous, G1))).contains("Name", "Address", "Online",
                "CompartmentsTotal", "CompartmentsFree", "CompartmentsOccupied", "CompartmentsFault", "Cabinets");
        assertThat(children(anonymous, node(anonymous, G1 + "/Cabinets"))).containsExactlyInAnyOrder("c1", "c2");
        assertThat(children(anonymous, node(anonymous, C1))).contains("Vendor", "Model", "Firmware", "Online",
                "LastSeen", "Compartments");
        assertThat(children(anonymous, node(anonymous, C1 + "/Compartments"))).containsExactlyInAnyOrder("B07",
                "B08");
        assertThat(children(anonymous, node(anonymous, B07))).contains("Size", "State", "DoorOpen", "ItemPresent",
                "OccupiedSince", "Board", "Channel", "Disable", "Enable");
    }

    @Test
    void values_are_typed_and_described() throws Exception {
        NodeId state = node(anonymous, B07 + "/State");
        assertThat(read(anonymous, state).value().value()).isEqualTo(CompartmentState.OCCUPIED.ordinal());
        NodeId stateType = (NodeId) attribute(anonymous, state, AttributeId.DataType);
        assertThat(stateType).isEqualTo(node(anonymous, "DataTypes/CompartmentState"));
        assertThat(children(anonymous, stateType)).contains("EnumStrings");
        Object[] names = (Object[]) read(anonymous, TestClients.child(anonymous, stateType, "EnumStrings"))
                .value().value();
        assertThat(names).extracting(n -> ((LocalizedText) n).text()).containsExactly("FREE", "RESERVED", "OPENING",
                "OCCUPIED", "FAULT", "DISABLED");
        assertThat(read(anonymous, node(anonymous, B07 + "/Size")).value().value()).isEqualTo(SizeClass.M.ordinal());
        assertThat(read(anonymous, node(anonymous, B07 + "/DoorOpen")).value().value()).isEqualTo(false);
        assertThat(read(anonymous, node(anonymous, B07 + "/ItemPresent")).value().value()).isEqualTo(true);
        assertThat(read(anonymous, node(anonymous, B07 + "/OccupiedSince")).value().value())
                .isEqualTo(new DateTime(DEPOSITED));
        assertThat(read(anonymous, node(anonymous, B07 + "/Channel")).value().value()).isEqualTo(UInteger.valueOf(7));
        assertThat(attribute(anonymous, node(anonymous, B07 + "/OccupiedSince"), AttributeId.DataType))
                .isEqualTo(NodeIds.UtcTime);
        assertThat(((LocalizedText) attribute(anonymous, node(anonymous, B07 + "/DoorOpen"),
                AttributeId.Description)).text()).contains("door is open");

        assertThat(read(anonymous, node(anonymous, G1 + "/CompartmentsTotal")).value().value())
                .isEqualTo(UInteger.valueOf(3));
        assertThat(read(anonymous, node(anonymous, G1 + "/CompartmentsFault")).value().value())
                .isEqualTo(UInteger.valueOf(1));
        assertThat(read(anonymous, node(anonymous, G1 + "/Online")).value().value()).isEqualTo(true);
        assertThat(read(anonymous, node(anonymous, G1 + "/Name")).value().value()).isEqualTo("翠苑一区 1号柜");
        assertThat(read(anonymous, node(anonymous, G1 + "/Cabinets/c2/LastSeen")).value().value()).isNull();
        assertThat(read(anonymous, node(anonymous, "LockerGate/Gateway/Id")).value().value()).isEqualTo("gw-test");
        assertThat(read(anonymous, node(anonymous, "LockerGate/Gateway/UpstreamConnected")).value().value())
                .isEqualTo(false);
        assertThat(read(anonymous, node(anonymous, "LockerGate/Gateway/OutboxDepth")).value().value())
                .isInstanceOf(UInteger.class);
    }

    @Test
    void variables_are_read_only_for_anonymous_clients() throws Exception {
        StatusCode written = anonymous.writeValues(java.util.List.of(node(anonymous, B07 + "/State")),
                java.util.List.of(DataValue.valueOnly(new org.eclipse.milo.opcua.stack.core.types.builtin.Variant(
                        5)))).get(0);
        assertThat(written.isBad()).isTrue();
    }

    @Test
    void a_compartment_event_changes_its_values() throws Exception {
        locker.putCompartment("g1", "c1", "B08", SizeClass.S, 1, 8, CompartmentState.RESERVED, false, false, null);
        server.onEvent(LockerTopics.COMPARTMENT_CHANGED, Map.of(LockerTopics.GROUP_ID, "g1",
                LockerTopics.CABINET_ID, "c1", LockerTopics.COMPARTMENT, "B08", LockerTopics.STATE, "RESERVED"));
        NodeId state = node(anonymous, C1 + "/Compartments/B08/State");
        await(WAIT, "B08 RESERVED", () -> Integer.valueOf(CompartmentState.RESERVED.ordinal())
                .equals(read(anonymous, state).value().value()));
        assertThat(read(anonymous, node(anonymous, C1 + "/Compartments/B08/DoorOpen")).value().value())
                .isEqualTo(true);
    }

    @Test
    void groups_and_cabinets_appear_and_disappear_at_run_time() throws Exception {
        locker.addGroup("g9", "新柜组", "文三路 9 号");
        locker.addCabinet("g9", "c9", true, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        locker.putCompartment("g9", "c9", "01", SizeClass.S, 1, 1, CompartmentState.FREE, true, false, null);
        server.onEvent(LockerTopics.REGISTRY_CHANGED, Map.of(LockerTopics.GROUP_ID, "g9"));
        NodeId groups = node(anonymous, "LockerGate/Groups");
        await(WAIT, "g9 added", () -> children(anonymous, groups).contains("g9"));
        await(WAIT, "g9's compartment", () -> children(anonymous,
                node(anonymous, "LockerGate/Groups/g9/Cabinets/c9/Compartments")).contains("01"));

        locker.removeGroup("g9");
        server.onEvent(LockerTopics.REGISTRY_CHANGED, Map.of());
        await(WAIT, "g9 removed", () -> !children(anonymous, groups).contains("g9"));
        DataValue gone = read(anonymous, node(anonymous, "LockerGate/Groups/g9/Cabinets/c9/Compartments/01/State"));
        assertThat(gone.statusCode().value()).isEqualTo(StatusCodes.Bad_NodeIdUnknown);
        // the shared Disable/Enable method survived the removal of a compartment that referenced it
        assertThat(children(anonymous, node(anonymous, B07))).contains("Disable", "Enable");
    }

    @Test
    void no_personal_data_in_the_address_space() throws Exception {
        assertThat(children(anonymous, node(anonymous, B07))).doesNotContain("ParcelId", "Code", "Phone");
    }

    @Test
    void anonymous_disable_is_refused_with_BadUserAccessDenied() throws Exception {
        int before = locker.maintenanceCalls.size();
        StatusCode status = call(anonymous, node(anonymous, B07), node(anonymous, "LockerGate/Methods/Disable"),
                "try");
        assertThat(status.value()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
        assertThat(locker.maintenanceCalls).hasSize(before);
    }

    @Test
    void a_technician_disables_and_enables_over_basic256sha256() throws Exception {
        OpcUaClient tech = clients.secure(server.endpointUrl(), MessageSecurityMode.SignAndEncrypt, "tech",
                FakeIdentity.PASSWORD);
        try {
            NodeId b08 = node(tech, C1 + "/Compartments/B08");
            StatusCode disabled = call(tech, b08, node(tech, "LockerGate/Methods/Disable"), "door sticks");
            assertThat(disabled.isGood()).as("Disable: %s", disabled).isTrue();
            assertThat(locker.maintenanceCalls).anySatisfy(c -> {
                assertThat(c.what()).isEqualTo("disable");
                assertThat(c.groupId()).isEqualTo("g1");
                assertThat(c.compartment()).isEqualTo("B08");
                assertThat(c.actor()).isEqualTo("operator:tech");
                assertThat(c.reason()).isEqualTo("door sticks");
            });
            StatusCode enabled = call(tech, b08, node(tech, "LockerGate/Methods/Enable"), "");
            assertThat(enabled.isGood()).isTrue();
            assertThat(identity.origins).anySatisfy(o -> assertThat(o).startsWith("opcua:127.0.0.1"));
        } finally {
            tech.disconnect();
        }
    }

    @Test
    void a_property_user_may_read_but_not_disable() throws Exception {
        OpcUaClient prop = clients.secure(server.endpointUrl(), MessageSecurityMode.Sign, "prop",
                FakeIdentity.PASSWORD);
        try {
            assertThat(read(prop, node(prop, B07 + "/State")).statusCode().isGood()).isTrue();
            StatusCode status = call(prop, node(prop, B07), node(prop, "LockerGate/Methods/Disable"), "x");
            assertThat(status.value()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
        } finally {
            prop.disconnect();
        }
    }

    @Test
    void a_wrong_password_is_refused() {
        assertThatThrownBy(() -> clients.secure(server.endpointUrl(), MessageSecurityMode.SignAndEncrypt, "tech",
                "wrong")).isInstanceOf(UaException.class);
    }

    @Test
    void the_application_certificate_is_created_owner_only_under_the_data_folder() throws Exception {
        Path pki = data.resolve("opcua").resolve("pki");
        assertThat(pki.resolve("own/application.pfx")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("own/application.pfx"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve(
                "own/keystore.password")))).isEqualTo("rw-------");
    }
}
