package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.EventFilterBuilder;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.Consent;
import org.lockergate.devices.coap.Declared;
import org.lockergate.devices.coap.DepositResult;
import org.lockergate.devices.coap.SessionResult;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.Size;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The OPC UA server in a real Felix with the distribution's bundles (features framework, web, locker, coap,
 * vendor-coap, opcua), the demo's groups, couriers and operator accounts, a simulated CoAP cabinet and kiosk, and
 * Eclipse Milo's client over real TCP on 127.0.0.1: the tree is browsed and read, a deposit is seen changing a
 * compartment's State through a subscription, a forced door becomes an alarm event on the Server object that is
 * acknowledged over Basic256Sha256 (and refused for anonymous), an acknowledgement made through the core shows here,
 * and Disable/Enable is refused without the technician role.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpcUaIT {

    static final List<String> FEATURES = List.of("framework", "web", "locker", "coap", "vendor-coap", "opcua");
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final String NS = "urn:lockergate";
    static final String CABINET = "it-opc";
    static final String TREE = "LockerGate/Groups/g1/Cabinets/" + CABINET + "/Compartments/";
    static final String PIN = "123456";

    // set up once by the first test, inside the framework (the probe's copy of this class)
    private static int coapPort;
    private static int opcuaPort;
    private static KeyPair keyPair;
    private static X509Certificate certificate;
    private static SimulatedCabinet cabinet;

    @Inject
    BundleContext context;

    private final List<OpcUaClient> clients = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> devices = new CopyOnWriteArrayList<>();

    @org.ops4j.pax.exam.Configuration
    public Option[] configuration() throws IOException {
        Path work = Files.createTempDirectory("lockergate-opcuait");
        Path home = Distribution.home();
        Path data = Files.createDirectories(work.resolve("data"));
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        // the demo's groups, companies, couriers (PIN 123456), notifier and operators demo-tech / demo-property
        try (Stream<Path> demo = Files.list(home.resolve("conf/demo"))) {
            for (Path file : demo.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("org.lockergate.core.") || name.startsWith("org.lockergate.identity.user-demo-")) {
                    Files.copy(file, deploy.resolve(name));
                }
            }
        }
        // loopback only, and endpoint URLs that name it
        Files.writeString(deploy.resolve("org.lockergate.opcua.config"),
                "bindAddress=\"127.0.0.1\"\nhostname=\"127.0.0.1\"\n");
        int opcua = Distribution.freePort();
        List<Option> options = new ArrayList<>(Distribution.frameworkOptions(FEATURES, home.resolve("features"),
                home.resolve("system"), data, deploy, Distribution.freePort()));
        options.add(bundle(simulatorJar(home).toUri().toString()).startLevel(10).start(true));
        options.add(frameworkProperty("lockergate.coap.port").value("0"));
        options.add(frameworkProperty("lockergate.coaps.port").value("0"));
        options.add(frameworkProperty("lockergate.opcua.port").value(Integer.toString(opcua)));
        return options.toArray(new Option[0]);
    }

    private static Path simulatorJar(Path home) throws IOException {
        try (Stream<Path> files = Files.walk(home.resolve("system/org/lockergate/org.lockergate.devices.coap"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().contains("standalone"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no simulator bundle in " + home));
        }
    }

    @Before
    public void gatewayReady() throws Exception {
        synchronized (OpcUaIT.class) {
            if (cabinet == null) {
                setUpOnce();
            }
        }
    }

    @After
    public void closeClients() {
        for (OpcUaClient client : clients) {
            try {
                client.disconnect();
            } catch (Exception e) {
                // best effort
            }
        }
        List<AutoCloseable> all = new ArrayList<>(devices);
        Collections.reverse(all);
        for (AutoCloseable device : all) {
            try {
                device.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private void setUpOnce() throws Exception {
        awaitTrue("the core's services", () -> service(LockerQueries.class) != null
                && service(AlarmService.class) != null);
        coapPort = await("the CoAP transport's port", this::boundCoapPort);
        awaitTrue("the demo couriers", () -> references("org.lockergate.core.internal.registry.CourierEntry", null)
                .size() >= 3);
        opcuaPort = Integer.parseInt(context.getProperty("lockergate.opcua.port"));

        // the client's certificate goes where an operator puts it: {data}/opcua/pki/trusted/certs (watched)
        keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        certificate = new SelfSignedCertificateBuilder(keyPair).setCommonName("LockerGate OpcUaIT")
                .setApplicationUri("urn:lockergate:itest:client").addDnsName("localhost").build();
        Path trusted = Path.of(context.getProperty("lockergate.data"), "opcua", "pki", "trusted", "certs");
        Files.createDirectories(trusted);
        Files.write(trusted.resolve("opcuait.der"), certificate.getEncoded());
        // the server starts on its own thread (namespace 0 takes a few seconds), and again for its configuration
        OpcUaClient first = await("the OPC UA server on 127.0.0.1:" + opcuaPort, () -> {
            try {
                return connect(SecurityPolicy.None, MessageSecurityMode.None, new AnonymousProvider());
            } catch (UaException e) {
                return null;
            }
        });
        awaitTrue("the registry in the address space", () -> children(first, node(first, "LockerGate/Groups"))
                .contains("g1"));

        SimulatedCabinet simulated = SimulatedCabinet.builder()
                .cabinetId(CABINET).groupId("g1")
                .vendor("it-sim").model("IT-6").firmware("1.0.0")
                .compartments(CompartmentSpec.stock(6))
                .gateway("coap://127.0.0.1:" + coapPort)
                .ackTimeout(Duration.ofMillis(100))
                .requestTimeout(Duration.ofSeconds(3))
                .retry(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
        simulated.start();
        assertThat(simulated.awaitRegistered(DEADLINE)).as("cabinet registered").isTrue();
        cabinet = simulated;
    }

    // ============================================================================================= scenarios

    @Test
    public void the_tree_is_browsed_and_read_and_a_deposit_is_seen_changing_a_compartments_state() throws Exception {
        OpcUaClient anonymous = anonymous();
        // the cabinet registered at run time appears with its compartments
        awaitTrue("the simulated cabinet in the address space", () -> children(anonymous,
                node(anonymous, "LockerGate/Groups/g1/Cabinets")).contains(CABINET)
                && children(anonymous, node(anonymous, "LockerGate/Groups/g1/Cabinets/" + CABINET + "/Compartments"))
                        .size() == 6);
        assertThat(children(anonymous, NodeIds.ObjectsFolder)).contains("LockerGate");
        assertThat(children(anonymous, node(anonymous, "LockerGate"))).contains("Gateway", "Groups", "Alarms");
        assertThat(children(anonymous, node(anonymous, "LockerGate/Groups"))).contains("g1", "g2");
        assertThat(children(anonymous, node(anonymous, TREE + "1"))).contains("Size", "State", "DoorOpen",
                "ItemPresent", "OccupiedSince", "Board", "Channel", "Disable", "Enable");
        // Vendor names the vendor bundle driving the cabinet; Model is what the cabinet reported
        assertThat(read(anonymous, "LockerGate/Groups/g1/Cabinets/" + CABINET + "/Vendor")).isEqualTo("coap");
        assertThat(read(anonymous, "LockerGate/Groups/g1/Cabinets/" + CABINET + "/Model")).asString().contains("IT-6");
        assertThat(read(anonymous, "LockerGate/Groups/g1/Cabinets/" + CABINET + "/Online")).isEqualTo(true);
        assertThat(read(anonymous, "LockerGate/Gateway/Version")).isInstanceOf(String.class);

        // subscribe to every State of the cabinet at 100 ms, then deposit through the kiosk API
        Map<String, LinkedBlockingQueue<Integer>> states = new ConcurrentHashMap<>();
        OpcUaSubscription subscription = new OpcUaSubscription(anonymous, 100.0);
        subscription.create();
        for (int n = 1; n <= 6; n++) {
            String label = Integer.toString(n);
            LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
            states.put(label, queue);
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node(anonymous, TREE + label + "/State"));
            item.setSamplingInterval(100.0);
            item.setQueueSize(UInteger.valueOf(10));
            item.setDataValueListener((i, value) -> {
                if (value.value().value() instanceof Integer state) {
                    queue.add(state);
                }
            });
            subscription.addMonitoredItem(item);
        }
        subscription.synchronizeMonitoredItems();

        SimulatedKiosk kiosk = SimulatedKiosk.builder().kioskId("it-opcua-kiosk").groupId("g1")
                .gateway("coap://127.0.0.1:" + coapPort).bind(new InetSocketAddress("127.0.0.1", 0))
                .ackTimeout(Duration.ofMillis(200)).requestTimeout(Duration.ofSeconds(20)).build();
        devices.add(kiosk);
        kiosk.start();
        SessionResult session = kiosk.signIn("JT-0001", PIN);
        assertThat(session.ok()).as("sign-in: %s", session.reply()).isTrue();
        DepositResult deposit = kiosk.deposit(session, "JT" + System.nanoTime() % 10_000_000_000L, Size.S,
                "13800001234", new Consent("app", "C-opcua-" + System.nanoTime(), OffsetDateTime.now(), true),
                Declared.NONE);
        assertThat(deposit.ok()).as("deposit: %s", deposit.reply()).isTrue();
        assertThat(deposit.cabinetId()).isEqualTo(CABINET);
        String label = deposit.compartment();
        awaitState(states.get(label), CompartmentState.RESERVED, "RESERVED after the unlock");
        cabinet.putItem(label);
        cabinet.closeDoor(label);
        awaitState(states.get(label), CompartmentState.OCCUPIED, "OCCUPIED after the door closed");
        assertThat(read(anonymous, TREE + label + "/ItemPresent")).isEqualTo(true);
        assertThat(read(anonymous, TREE + label + "/OccupiedSince")).isNotNull();
        subscription.delete();

        // no personal data: the phone and the parcel id are nowhere in the compartment's values
        for (String name : children(anonymous, node(anonymous, TREE + label))) {
            DataValue value = anonymous.readValue(0.0, TimestampsToReturn.Neither, node(anonymous, TREE + label + "/"
                    + name));
            assertThat(String.valueOf(value.value().value())).doesNotContain("13800001234")
                    .doesNotContain(deposit.parcelId());
        }
    }

    @Test
    public void a_forced_door_is_an_alarm_event_acknowledged_over_basic256sha256_and_shared_with_the_core()
            throws Exception {
        OpcUaClient anonymous = anonymous();
        awaitTrue("compartment 6 in the address space", () -> children(anonymous,
                node(anonymous, TREE.substring(0, TREE.length() - 1))).contains("6"));
        Events events = new Events(anonymous);
        Instant start = Instant.now().minusSeconds(1);

        assertThat(cabinet.openByForce("6")).isTrue();
        Event raised = events.next("ForcedOpen raised", e -> "ForcedOpen".equals(e.conditionName)
                && ("g1/" + CABINET + "/6").equals(e.sourceName) && Boolean.TRUE.equals(e.active));
        assertThat(raised.severity).isEqualTo(AlarmType.FORCED_OPEN.severity());
        assertThat(raised.acked).isFalse();
        assertThat(raised.retain).isTrue();
        assertThat(raised.eventType).isEqualTo(NodeIds.AlarmConditionType);
        Alarm alarm = alarms().open().stream().filter(a -> a.type() == AlarmType.FORCED_OPEN
                && CABINET.equals(a.cabinetId()) && "6".equals(a.compartment())).findFirst().orElseThrow();

        // anonymous may watch but not acknowledge
        StatusCode refused = acknowledge(anonymous, raised.conditionId, raised.eventId, "seen");
        assertThat(refused.value()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
        assertThat(alarm(alarm.alarmId()).acknowledged()).isFalse();

        // property staff acknowledge over Basic256Sha256 SignAndEncrypt: the core records it
        OpcUaClient property = secure("demo-property", "demo-property-2026");
        StatusCode acked = acknowledge(property, raised.conditionId, raised.eventId, "on my way");
        assertThat(acked.isGood()).as("Acknowledge: %s", acked).isTrue();
        Alarm recorded = alarm(alarm.alarmId());
        assertThat(recorded.acknowledged()).isTrue();
        assertThat(recorded.acknowledgedBy()).isEqualTo("operator:demo-property");
        assertThat(audit(start)).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("alarm.acknowledged");
            assertThat(a.actor()).isEqualTo("operator:demo-property");
            assertThat(a.target()).isEqualTo("alarm:" + alarm.alarmId());
        });
        Event ackEvent = events.next("AckedState true", e -> raised.conditionId.equals(e.conditionId)
                && Boolean.TRUE.equals(e.acked));
        assertThat(ackEvent.clientUserId).isEqualTo("operator:demo-property");
        assertThat(ackEvent.retain).as("still active").isTrue();

        // the door closes: cleared and acknowledged, the condition is sent with Retain false and removed
        cabinet.closeDoor("6");
        events.next("Retain false", e -> raised.conditionId.equals(e.conditionId) && Boolean.FALSE.equals(e.retain));

        // an acknowledgement made elsewhere (shell, MQTT, REST all call AlarmService) shows here
        assertThat(cabinet.openByForce("5")).isTrue();
        Event second = events.next("ForcedOpen on 5", e -> "ForcedOpen".equals(e.conditionName)
                && ("g1/" + CABINET + "/5").equals(e.sourceName));
        Alarm secondAlarm = alarms().open().stream().filter(a -> a.type() == AlarmType.FORCED_OPEN
                && "5".equals(a.compartment())).findFirst().orElseThrow();
        alarms().acknowledge(secondAlarm.alarmId(), "operator:elsewhere");
        Event elsewhere = events.next("acked elsewhere", e -> second.conditionId.equals(e.conditionId)
                && Boolean.TRUE.equals(e.acked));
        assertThat(elsewhere.clientUserId).isEqualTo("operator:elsewhere");
        cabinet.closeDoor("5");
        events.close();
    }

    @Test
    public void disable_needs_the_technician_role_and_enable_puts_the_compartment_back() throws Exception {
        OpcUaClient anonymous = anonymous();
        awaitTrue("compartment 4 in the address space", () -> children(anonymous,
                node(anonymous, TREE.substring(0, TREE.length() - 1))).contains("4"));
        NodeId disable = node(anonymous, "LockerGate/Methods/Disable");
        NodeId enable = node(anonymous, "LockerGate/Methods/Enable");
        NodeId compartment = node(anonymous, TREE + "4");
        Instant start = Instant.now().minusSeconds(1);

        assertThat(call(anonymous, compartment, disable, "try").value()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
        OpcUaClient property = secure("demo-property", "demo-property-2026");
        assertThat(call(property, compartment, disable, "try").value()).isEqualTo(StatusCodes.Bad_UserAccessDenied);
        assertThat(read(anonymous, TREE + "4/State")).isEqualTo(CompartmentState.FREE.ordinal());

        OpcUaClient tech = secure("demo-tech", "demo-tech-2026");
        StatusCode disabled = call(tech, compartment, disable, "hinge loose");
        assertThat(disabled.isGood()).as("Disable: %s", disabled).isTrue();
        awaitTrue("State DISABLED", () -> Integer.valueOf(CompartmentState.DISABLED.ordinal())
                .equals(readQuietly(anonymous, TREE + "4/State")));
        assertThat(audit(start)).anySatisfy(a -> {
            assertThat(a.actor()).isEqualTo("operator:demo-tech");
            assertThat(a.action()).contains("disable");
        });
        StatusCode enabled = call(tech, compartment, enable, "fixed");
        assertThat(enabled.isGood()).as("Enable: %s", enabled).isTrue();
        awaitTrue("State FREE", () -> Integer.valueOf(CompartmentState.FREE.ordinal())
                .equals(readQuietly(anonymous, TREE + "4/State")));
    }

    // ============================================================================================= OPC UA client

    private OpcUaClient anonymous() throws UaException {
        return connect(SecurityPolicy.None, MessageSecurityMode.None, new AnonymousProvider());
    }

    /** Basic256Sha256 SignAndEncrypt with a user name; retried while the trusted folder is being rescanned. */
    private OpcUaClient secure(String user, String password) throws Exception {
        return await("a SignAndEncrypt session as " + user, () -> {
            try {
                return connect(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt,
                        new UsernameProvider(user, password));
            } catch (UaException e) {
                return null;
            }
        });
    }

    private OpcUaClient connect(SecurityPolicy policy, MessageSecurityMode mode, IdentityProvider identity)
            throws UaException {
        OpcUaClient client = OpcUaClient.create("opc.tcp://127.0.0.1:" + opcuaPort + "/lockergate",
                endpoints -> endpoints.stream().filter(e -> e.getSecurityPolicyUri().equals(policy.getUri())
                        && e.getSecurityMode() == mode).findFirst().map(OpcUaIT::onLoopback),
                transport -> { },
                config -> config.setApplicationUri("urn:lockergate:itest:client")
                        .setKeyPair(keyPair)
                        .setCertificate(certificate)
                        .setCertificateChain(new X509Certificate[] {certificate})
                        .setIdentityProvider(identity)
                        .setRequestTimeout(UInteger.valueOf(10_000)));
        client.connect();
        clients.add(client);
        return client;
    }

    private static EndpointDescription onLoopback(EndpointDescription e) {
        return new EndpointDescription("opc.tcp://127.0.0.1:" + opcuaPort + "/lockergate", e.getServer(),
                e.getServerCertificate(), e.getSecurityMode(), e.getSecurityPolicyUri(), e.getUserIdentityTokens(),
                e.getTransportProfileUri(), e.getSecurityLevel());
    }

    private static NodeId node(OpcUaClient client, String path) throws UaException {
        return new NodeId(client.readNamespaceTable().getIndex(NS).intValue(), path);
    }

    private static List<String> children(OpcUaClient client, NodeId parent) throws UaException {
        ReferenceDescription[] references = client.browse(new BrowseDescription(parent, BrowseDirection.Forward,
                NodeIds.HierarchicalReferences, true, UInteger.valueOf(0xFF), UInteger.valueOf(0x3F)))
                .getReferences();
        List<String> names = new ArrayList<>();
        if (references != null) {
            for (ReferenceDescription reference : references) {
                names.add(reference.getBrowseName().name());
            }
        }
        return names;
    }

    private static Object read(OpcUaClient client, String path) throws UaException {
        DataValue value = client.readValue(0.0, TimestampsToReturn.Neither, node(client, path));
        assertThat(value.statusCode().isGood()).as("read %s: %s", path, value.statusCode()).isTrue();
        return value.value().value();
    }

    private static Object readQuietly(OpcUaClient client, String path) {
        try {
            return client.readValue(0.0, TimestampsToReturn.Neither, node(client, path)).value().value();
        } catch (UaException e) {
            return null;
        }
    }

    private static StatusCode call(OpcUaClient client, NodeId object, NodeId method, String reason)
            throws UaException {
        return client.call(List.of(new CallMethodRequest(object, method, new Variant[] {new Variant(reason)})))
                .getResults()[0].getStatusCode();
    }

    private static StatusCode acknowledge(OpcUaClient client, NodeId condition, ByteString eventId, String comment)
            throws UaException {
        return client.call(List.of(new CallMethodRequest(condition, NodeIds.AcknowledgeableConditionType_Acknowledge,
                new Variant[] {new Variant(eventId), new Variant(LocalizedText.english(comment))})))
                .getResults()[0].getStatusCode();
    }

    private static void awaitState(LinkedBlockingQueue<Integer> queue, CompartmentState wanted, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Integer state = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (state == null) {
                throw new AssertionError("no data change to " + wanted + ": " + what);
            }
            if (state == wanted.ordinal()) {
                return;
            }
        }
    }

    /** An alarm event as a client sees it. */
    record Event(ByteString eventId, NodeId eventType, String sourceName, int severity, NodeId conditionId,
            String conditionName, Boolean retain, Boolean acked, Boolean active, String clientUserId) {
    }

    /** Events on the Server object (i=2253), as UaExpert's event view subscribes. */
    private static final class Events {

        private final OpcUaSubscription subscription;
        private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();

        Events(OpcUaClient client) throws UaException {
            EventFilter filter = new EventFilterBuilder()
                    .select(NodeIds.BaseEventType, new QualifiedName(0, "EventId"))
                    .select(NodeIds.BaseEventType, new QualifiedName(0, "EventType"))
                    .select(NodeIds.BaseEventType, new QualifiedName(0, "SourceName"))
                    .select(NodeIds.BaseEventType, new QualifiedName(0, "Severity"))
                    .select(new SimpleAttributeOperand(NodeIds.ConditionType, new QualifiedName[0],
                            AttributeId.NodeId.uid(), null))
                    .select(NodeIds.ConditionType, new QualifiedName(0, "ConditionName"))
                    .select(NodeIds.ConditionType, new QualifiedName(0, "Retain"))
                    .select(NodeIds.AcknowledgeableConditionType, new QualifiedName(0, "AckedState"),
                            new QualifiedName(0, "Id"))
                    .select(NodeIds.AlarmConditionType, new QualifiedName(0, "ActiveState"),
                            new QualifiedName(0, "Id"))
                    .select(NodeIds.ConditionType, new QualifiedName(0, "ClientUserId"))
                    .build();
            subscription = new OpcUaSubscription(client, 50.0);
            subscription.create();
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newEventItem(NodeIds.Server, filter);
            item.setQueueSize(UInteger.valueOf(1000));
            item.setEventValueListener((i, v) -> queue.add(new Event((ByteString) v[0].value(),
                    (NodeId) v[1].value(), (String) v[2].value(),
                    v[3].value() instanceof UShort s ? s.intValue() : -1, (NodeId) v[4].value(),
                    (String) v[5].value(), (Boolean) v[6].value(), (Boolean) v[7].value(), (Boolean) v[8].value(),
                    (String) v[9].value())));
            subscription.addMonitoredItem(item);
            subscription.synchronizeMonitoredItems();
        }

        Event next(String what, Predicate<Event> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (true) {
                Event event = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("no event: " + what);
                }
                if (wanted.test(event)) {
                    return event;
                }
            }
        }

        void close() throws UaException {
            subscription.delete();
        }
    }

    // ============================================================================================= the core

    private AlarmService alarms() {
        return service(AlarmService.class);
    }

    private Alarm alarm(long alarmId) {
        // open() holds it while it is active or unacknowledged, which is the case in these checks
        return alarms().open().stream().filter(a -> a.alarmId() == alarmId).findFirst()
                .orElseThrow(() -> new AssertionError("alarm " + alarmId + " not open"));
    }

    private List<AuditEntry> audit(Instant from) {
        return service(LockerQueries.class).audit(from, 10_000);
    }

    private <T> T service(Class<T> type) {
        return Services.service(context, type);
    }

    private List<ServiceReference<?>> references(String type, String filter) {
        return Services.references(context, type, filter);
    }

    private Integer boundCoapPort() {
        for (ServiceReference<?> reference : references(null, "(lockergate.coap.port=*)")) {
            Object port = reference.getProperty("lockergate.coap.port");
            if (port instanceof Integer p && p > 0) {
                return p;
            }
        }
        return null;
    }

    interface ThrowingBooleanSupplier {
        boolean get() throws Exception;
    }

    private static void awaitTrue(String what, ThrowingBooleanSupplier condition) throws InterruptedException {
        await(what, () -> {
            try {
                return condition.get() ? Boolean.TRUE : null;
            } catch (Exception e) {
                return null;
            }
        });
    }

    private static <T> T await(String what, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            T result = value.get();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
