package org.lockergate.opcua.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;

/**
 * OPC UA benchmark (not a test; run by {@code bundles/opcua/bench/opcua-bench.sh}). The client process starts each
 * server in its own JVM — first a bare Milo server with the same 8,000 variables, then the LockerGate server fed by
 * core events — subscribes to every State and DoorOpen of 20 groups × 200 compartments at 100 ms, lets the server
 * change {@code perTick} compartments every 100 ms (each compartment at most once per several seconds, so sampling
 * never merges two changes), and counts the data changes that arrive. Then single reads (several in flight) and
 * batched reads (1,000 values per request). The server reports the CPU it used during the change phase.
 */
public final class OpcUaBenchmark {

    static final int GROUPS = 20;
    static final int CABINETS_PER_GROUP = 2;
    static final int PER_CABINET = 100;

    private OpcUaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("server")) {
            server(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perTick = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String javaOptions = args.length > 2 ? args[2] : "";
        Map<String, Map<String, Double>> results = new LinkedHashMap<>();
        for (String kind : List.of("bare", "gateway")) {
            results.put(kind, client(kind, seconds, perTick, javaOptions));
        }
        Map<String, Double> bare = results.get("bare");
        Map<String, Double> ours = results.get("gateway");
        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %14s %14s %8s%n", "", "bare Milo", "LockerGate", "ratio");
        for (String key : bare.keySet()) {
            System.out.printf(Locale.ROOT, "%-34s %14.1f %14.1f %8.2f%n", key, bare.get(key), ours.get(key),
                    ours.get(key) / bare.get(key));
        }
    }

    // ============================================================================================ the client side

    static List<String> labels() {
        List<String> paths = new ArrayList<>();
        for (int g = 1; g <= GROUPS; g++) {
            for (int c = 1; c <= CABINETS_PER_GROUP; c++) {
                for (int n = 1; n <= PER_CABINET; n++) {
                    paths.add(compartmentPath(g, c, n));
                }
            }
        }
        return paths;
    }

    static String groupId(int g) {
        return String.format(Locale.ROOT, "g%02d", g);
    }

    static String cabinetId(int g, int c) {
        return groupId(g) + "-c" + c;
    }

    static String label(int c, int n) {
        return String.format(Locale.ROOT, "%d%02d", c, n);
    }

    static String compartmentPath(int g, int c, int n) {
        return "LockerGate/Groups/" + groupId(g) + "/Cabinets/" + cabinetId(g, c) + "/Compartments/" + label(c, n);
    }

    private static Map<String, Double> client(String kind, int seconds, int perTick, String javaOptions)
            throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("opcua-bench-" + kind);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : javaOptions.split("\\s+")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(OpcUaBenchmark.class.getName());
        command.addAll(List.of("server", kind, Integer.toString(port), dir.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Map<String, Double> result = new LinkedHashMap<>();
        try {
            expect(out, "READY");
            OpcUaClient client = OpcUaClient.create("opc.tcp://127.0.0.1:" + port + "/lockergate",
                    endpoints -> endpoints.stream().filter(e -> e.getSecurityPolicyUri()
                            .equals(SecurityPolicy.None.getUri())).findFirst(),
                    transport -> { },
                    config -> config.setIdentityProvider(new AnonymousProvider())
                            .setRequestTimeout(UInteger.valueOf(60_000)));
            client.connect();
            int ns = client.readNamespaceTable().getIndex(OpcUaSettings.NAMESPACE_URI).intValue();
            List<String> compartments = labels();
            List<NodeId> states = new ArrayList<>();
            List<NodeId> variables = new ArrayList<>();
            for (String path : compartments) {
                states.add(new NodeId(ns, path + "/State"));
                variables.add(new NodeId(ns, path + "/State"));
                variables.add(new NodeId(ns, path + "/DoorOpen"));
            }

            // --- subscription: every State and DoorOpen at 100 ms
            AtomicLong received = new AtomicLong();
            AtomicLong repeated = new AtomicLong();
            Map<NodeId, Object> last = new java.util.concurrent.ConcurrentHashMap<>();
            OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
            subscription.setMaxNotificationsPerPublish(UInteger.valueOf(0));
            subscription.create();
            List<OpcUaMonitoredItem> items = new ArrayList<>();
            for (NodeId node : variables) {
                OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node);
                item.setSamplingInterval(100.0);
                item.setQueueSize(UInteger.valueOf(2));
                item.setDataValueListener((i, value) -> {
                    received.incrementAndGet();
                    Object v = value.value().value();
                    Object before = v == null ? null : last.put(node, v);
                    if (v != null && v.equals(before)) {
                        repeated.incrementAndGet(); // the same value notified again
                    }
                });
                items.add(item);
            }
            subscription.addMonitoredItems(items);
            long t0 = System.nanoTime();
            subscription.synchronizeMonitoredItems();
            long created = items.stream().filter(i -> i.getCreateResult().map(s -> s.isGood()).orElse(false))
                    .count();
            // the initial values first
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.get() < created && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            System.out.printf(Locale.ROOT, "[%s] %d of %d monitored items created in %d ms, initial values %d%n",
                    kind, created, variables.size(), (System.nanoTime() - t0) / 1_000_000, received.get());
            received.set(0);
            repeated.set(0);
            in.write("go " + seconds + " " + perTick + "\n");
            in.flush();
            String done = expect(out, "DONE");
            Thread.sleep(2_000); // the last publish cycles
            Map<String, String> fields = fields(done);
            double changes = Double.parseDouble(fields.get("changes"));
            double cpu = Double.parseDouble(fields.get("cpu"));
            double wall = Double.parseDouble(fields.get("wall"));
            result.put("changes made", changes);
            result.put("changes delivered", (double) received.get());
            result.put("share delivered %", 100.0 * received.get() / changes);
            result.put("notifications repeating a value", (double) repeated.get());
            result.put("server CPU during changes (cores)", cpu / wall);
            System.out.printf(Locale.ROOT, "[%s] changes %.0f, delivered %d (%.2f %%), server CPU %.2f cores%n",
                    kind, changes, received.get(), 100.0 * received.get() / changes, cpu / wall);
            subscription.delete();

            // --- single reads: 16 in flight, one value each
            result.put("single reads/s", reads(client, states, 1, 16, 10));
            // --- batched reads: 1,000 values per request, 2 in flight
            result.put("batched values/s", reads(client, variables, 1000, 2, 10));
            System.out.printf(Locale.ROOT, "[%s] single reads %.0f/s, batched %.0f values/s%n", kind,
                    result.get("single reads/s"), result.get("batched values/s"));
            client.disconnect();
        } finally {
            try {
                in.write("quit\n");
                in.flush();
            } catch (IOException e) {
                // gone already
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        return result;
    }

    private static double reads(OpcUaClient client, List<NodeId> nodes, int batch, int inFlight, int seconds)
            throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong values = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        // warm up 2 s, then measure
        for (int phase = 0; phase < 2; phase++) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(phase == 0 ? 2 : seconds);
            values.set(0);
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                permits.acquire();
                List<NodeId> request = new ArrayList<>(batch);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int from = random.nextInt(Math.max(1, nodes.size() - batch));
                for (int i = 0; i < batch; i++) {
                    request.add(nodes.get((from + i) % nodes.size()));
                }
                CompletableFuture<List<DataValue>> future = client.readValuesAsync(0.0, TimestampsToReturn.Neither,
                        request);
                future.whenComplete((result, error) -> {
                    if (error == null) {
                        values.addAndGet(result.size());
                    } else {
                        failures.incrementAndGet();
                    }
                    permits.release();
                });
            }
            permits.acquire(inFlight);
            permits.release(inFlight);
            if (phase == 1) {
                double rate = values.get() / ((System.nanoTime() - start) / 1e9);
                if (failures.get() > 0) {
                    System.out.println("  read failures: " + failures.get());
                }
                return rate;
            }
        }
        throw new IllegalStateException();
    }

    private static String expect(BufferedReader out, String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
            System.out.println("  server: " + line);
        }
        throw new IOException("server ended before " + prefix);
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> map = new HashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                map.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return map;
    }

    // ============================================================================================ the server side

    /** What the change driver needs from either server. */
    interface Target {
        /** Changes compartment {@code index}'s State and DoorOpen to new values. */
        void change(int index, int state, boolean doorOpen);

        /** After a tick's changes (the gateway posts its core events here). */
        void tickDone(Set<Integer> groups);

        void close() throws Exception;
    }

    private static void server(String kind, int port, Path dir) throws Exception {
        List<int[]> ids = new ArrayList<>();
        for (int g = 1; g <= GROUPS; g++) {
            for (int c = 1; c <= CABINETS_PER_GROUP; c++) {
                for (int n = 1; n <= PER_CABINET; n++) {
                    ids.add(new int[] {g, c, n});
                }
            }
        }
        Target target = kind.equals("bare") ? bare(port, dir, ids) : gateway(port, dir, ids);
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int[] states = new int[ids.size()];
        boolean[] doors = new boolean[ids.size()];
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("go")) {
                String[] parts = line.split(" ");
                int seconds = Integer.parseInt(parts[1]);
                int perTick = Integer.parseInt(parts[2]);
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                long changes = 0;
                int next = 0;
                long tick = wall0;
                long end = wall0 + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() < end) {
                    Set<Integer> groups = new HashSet<>();
                    for (int k = 0; k < perTick; k++) {
                        int i = next;
                        next = (next + 1) % ids.size();
                        // every change differs from the value before: FREE → RESERVED → OCCUPIED → FREE ...
                        states[i] = (states[i] + 1) % 4;
                        doors[i] = !doors[i];
                        target.change(i, states[i], doors[i]);
                        groups.add(ids.get(i)[0]);
                        changes += 2;
                    }
                    target.tickDone(groups);
                    tick += TimeUnit.MILLISECONDS.toNanos(100);
                    long sleep = tick - System.nanoTime();
                    if (sleep > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
                long wall = System.nanoTime() - wall0;
                long cpu = os.getProcessCpuTime() - cpu0;
                System.out.printf(Locale.ROOT, "DONE changes=%d cpu=%.3f wall=%.3f%n", changes, cpu / 1e9,
                        wall / 1e9);
                System.out.flush();
            } else if (line.startsWith("quit")) {
                break;
            }
        }
        target.close();
        System.exit(0);
    }

    /** The LockerGate server on a fake core: changes go into the core's data, then one event per touched group. */
    private static Target gateway(int port, Path dir, List<int[]> ids) throws Exception {
        FakeLocker locker = new FakeLocker();
        for (int g = 1; g <= GROUPS; g++) {
            locker.addGroup(groupId(g), "柜组 " + g, "测试路 " + g + " 号");
            for (int c = 1; c <= CABINETS_PER_GROUP; c++) {
                locker.addCabinet(groupId(g), cabinetId(g, c), true, Instant.now());
            }
        }
        for (int[] id : ids) {
            locker.putCompartment(groupId(id[0]), cabinetId(id[0], id[1]), label(id[1], id[2]), SizeClass.S, id[1],
                    id[2], CompartmentState.FREE, true, false, null);
        }
        LockerGateServer server = new LockerGateServer(OpcUaSettings.loopback(port, dir.resolve("pki"))
                .withAnonymousEndpoint(true), locker, locker, locker, new FakeIdentity());
        server.start();
        // wait until the tree holds every compartment
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && server.compartmentCount() < ids.size()) {
            Thread.sleep(100);
        }
        CompartmentState[] values = CompartmentState.values();
        return new Target() {
            @Override
            public void change(int index, int state, boolean doorOpen) {
                int[] id = ids.get(index);
                locker.putCompartment(groupId(id[0]), cabinetId(id[0], id[1]), label(id[1], id[2]), SizeClass.S,
                        id[1], id[2], values[state], !doorOpen, false, null);
            }

            @Override
            public void tickDone(Set<Integer> groups) {
                for (int g : groups) {
                    server.onEvent(LockerTopics.COMPARTMENT_CHANGED, Map.of(LockerTopics.GROUP_ID, groupId(g)));
                }
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /** A bare Milo server: the same node ids in a plain namespace, values set directly. */
    private static Target bare(int port, Path dir, List<int[]> ids) throws Exception {
        var keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        var certificate = new SelfSignedCertificateBuilder(keyPair).setCommonName("bare")
                .setApplicationUri("urn:bare").build();
        EndpointConfig endpoint = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1").setBindPort(port).setHostname("127.0.0.1").setPath("/lockergate")
                .setCertificate(certificate)
                .setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS).build();
        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri("urn:bare").setApplicationName(LocalizedText.english("bare"))
                .setProductUri("urn:bare").setEndpoints(Set.of(endpoint))
                .build();
        OpcTcpServerTransportConfig transportConfig = OpcTcpServerTransportConfig.newBuilder().build();
        OpcUaServer server = new OpcUaServer(config, profile -> new OpcTcpServerTransport(transportConfig));
        BareNamespace namespace = new BareNamespace(server);
        namespace.startup();
        List<UaVariableNode[]> nodes = new ArrayList<>();
        for (int[] id : ids) {
            String path = compartmentPath(id[0], id[1], id[2]);
            nodes.add(new UaVariableNode[] {namespace.variable(path + "/State", NodeIds.Int32, 0),
                namespace.variable(path + "/DoorOpen", NodeIds.Boolean, false)});
        }
        server.startup().get();
        return new Target() {
            @Override
            public void change(int index, int state, boolean doorOpen) {
                LockerNamespace.set(nodes.get(index)[0], state);
                LockerNamespace.set(nodes.get(index)[1], doorOpen);
            }

            @Override
            public void tickDone(Set<Integer> groups) {
            }

            @Override
            public void close() throws Exception {
                server.shutdown().get();
            }
        };
    }

    private static final class BareNamespace extends ManagedNamespaceWithLifecycle {

        private final SubscriptionModel subscriptionModel;

        BareNamespace(OpcUaServer server) {
            super(server, OpcUaSettings.NAMESPACE_URI);
            subscriptionModel = new SubscriptionModel(server, this);
            getLifecycleManager().addLifecycle(subscriptionModel);
        }

        UaVariableNode variable(String path, NodeId type, Object value) {
            UaVariableNode node = UaVariableNode.builder(getNodeContext())
                    .setNodeId(newNodeId(path))
                    .setBrowseName(newQualifiedName(path.substring(path.lastIndexOf('/') + 1)))
                    .setDisplayName(LocalizedText.english(path))
                    .setDataType(type)
                    .setMinimumSamplingInterval(0.0)
                    .setValue(LockerNamespace.dataValue(value))
                    .buildAndAdd();
            return node;
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
}
