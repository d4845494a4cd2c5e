package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;
import org.lockergate.devices.coap.CabinetListener;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.Consent;
import org.lockergate.devices.coap.Declared;
import org.lockergate.devices.coap.DepositResult;
import org.lockergate.devices.coap.NotificationLogTailer;
import org.lockergate.devices.coap.PickupNotice;
import org.lockergate.devices.coap.PickupResult;
import org.lockergate.devices.coap.SessionResult;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.Size;
import org.lockergate.devices.coap.UnlockOutcome;
import org.lockergate.upstream.mqtt.internal.Mosquitto;

/**
 * Faults on the real gateway (the distribution as a process), each followed by the invariants:
 * <ul>
 * <li>the data disk nearly full, through the store's storage hook ({@code simulatedFreeBytes} in
 * {@code org.lockergate.store}, changed at run time through {@code conf/config}): new deposits are refused with
 * {@code storage_full} and a message, pickups go on, and deposits resume when space is back; then a cabinet flapping
 * online/offline every second or two, and a cabinet answering unlocks slowly: every request gets an answer, nothing
 * acknowledged is lost, no compartment is double-booked;</li>
 * <li>kill -9 at random points of deposits, pickups and outbox draining, over several rounds, with the MQTT broker
 * down across one of the crashes: after each crash every acknowledged deposit is stored, every acknowledged pickup
 * door-close completed, no compartment holds two parcels, the outbox has no gap; after a restart no door opens
 * without a new command; at the end the cloud has every event exactly once after de-duplication, in seq order.</li>
 * </ul>
 * Longer runs: {@code itests/faults.sh} (system properties {@code lockergate.faults.rounds},
 * {@code lockergate.faults.outageSeconds}, {@code lockergate.faults.flapSeconds}).
 */
public class FaultsIT {

    private static final List<String> IN_LOCKER = List.of("RESERVED", "DEPOSITED", "OVERDUE", "RECALL_DUE", "HELD",
            "REJECTED");
    private static final String GW = "gw-faults";

    private static Path prepare() throws Exception {
        Path home = Gateway.prepare();
        try (Stream<Path> demo = Files.list(home.resolve("conf/demo"))) {
            for (Path file : demo.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("org.lockergate.core.")) {
                    Files.copy(file, home.resolve("conf/config").resolve(name));
                }
            }
        }
        return home;
    }

    // ------------------------------------------------------------------ disk full, flapping, slow cabinet

    @Test
    public void disk_full_refuses_deposits_but_not_pickups_and_flapping_or_slow_cabinets_lose_nothing()
            throws Exception {
        Path home = prepare();
        Path data = home.resolveSibling("data");
        Gateway gateway = Gateway.start(home, data, Map.of()).awaitReady();
        String uri = "coap://127.0.0.1:" + gateway.coapPort();
        SimulatedCabinet cabinet = cabinet(uri, 1);
        SimulatedKiosk kiosk = kiosk(uri, "faults-kiosk");
        NotificationLogTailer codes = new NotificationLogTailer(data.resolve("logs/notifications.log")).start();
        Path storeConfig = home.resolve("conf/config/org.lockergate.store.config");
        try {
            assertThat(cabinet.awaitRegistered(Duration.ofSeconds(30))).isTrue();
            SessionResult session = kiosk.signIn("JT-0001", "123456");
            assertThat(session.ok()).as(session.toString()).isTrue();
            Map<String, String> acknowledged = new HashMap<>();
            PickupNotice before = deposit(kiosk, session, cabinet, codes, acknowledged);

            // the disk fills up (1 MB free < the 256 MB reserve): deposits are refused, pickups go on
            Files.writeString(storeConfig, "simulatedFreeBytes=L\"1048576\"\n");
            DepositResult refused = awaitRefused(kiosk, session, cabinet, acknowledged);
            assertThat(refused.reply().error()).isEqualTo("storage_full");
            assertThat(refused.reply().codeText()).isEqualTo("5.03");
            assertThat(refused.reply().message()).isNotBlank();
            long opens = cabinet.unlocks();
            PickupResult pickup = kiosk.pickup(before.code(), null);
            assertThat(pickup.ok()).as("pickups go on when the disk is full: " + pickup).isTrue();
            assertThat(cabinet.unlocks()).isEqualTo(opens + 1);
            cabinet.takeItem(pickup.compartment());
            cabinet.closeDoor(pickup.compartment());
            String health = gateway.get("/api/v1/health", null).body();
            assertThat(health).contains("below the reserve");

            // space is back: deposits resume
            Files.writeString(storeConfig, "simulatedFreeBytes=L\"-1\"\n");
            long deadline = System.currentTimeMillis() + 30_000;
            DepositResult again;
            do {
                Thread.sleep(500);
                again = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S, "13800002222", consent(),
                        Declared.NONE);
            } while (!again.ok() && "storage_full".equals(again.reply().error())
                    && System.currentTimeMillis() < deadline);
            assertThat(again.ok()).as(again.toString()).isTrue();
            acknowledged.put(again.parcelId(), again.compartment());
            cabinet.putItem(again.compartment());
            cabinet.closeDoor(again.compartment());

            // flapping: offline/online every 1-2 s while a courier keeps depositing
            long flapUntil = System.currentTimeMillis()
                    + 1000L * Integer.getInteger("lockergate.faults.flapSeconds", 8);
            List<String> errors = new ArrayList<>();
            boolean offline = false;
            long nextFlip = 0;
            while (System.currentTimeMillis() < flapUntil) {
                if (System.currentTimeMillis() >= nextFlip) {
                    offline = !offline;
                    cabinet.offline(offline);
                    nextFlip = System.currentTimeMillis() + 1000 + ThreadLocalRandom.current().nextInt(1000);
                }
                long t0 = System.nanoTime();
                DepositResult d = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S, "13800003333", consent(),
                        Declared.NONE);
                assertThat(d.reply().answered()).as("every request gets an answer").isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
                if (d.ok()) {
                    acknowledged.put(d.parcelId(), d.compartment());
                    if (cabinet.putItem(d.compartment())) {
                        cabinet.closeDoor(d.compartment());
                    }
                } else {
                    errors.add(d.reply().codeText() + " " + d.reply().error());
                    assertThat(d.reply().message()).as("a refusal says why: " + d).isNotBlank();
                }
            }
            cabinet.offline(false);

            // a cabinet answering unlocks slowly (beyond the gateway's unlock timeout)
            cabinet.slow(Duration.ofSeconds(12));
            long t0 = System.nanoTime();
            DepositResult slow = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S, "13800004444", consent(),
                    Declared.NONE);
            assertThat(slow.reply().answered()).as("an answer despite the slow cabinet").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(40));
            if (slow.ok()) {
                acknowledged.put(slow.parcelId(), slow.compartment());
            }
            cabinet.slow(Duration.ZERO);
            assertThat(cabinet.awaitAllAcked(Duration.ofSeconds(30))).isTrue();
            DepositResult after = depositWhenReady(kiosk, session);
            assertThat(after.ok()).as("deposits work again after flapping and slowness: " + after).isTrue();
            acknowledged.put(after.parcelId(), after.compartment());
            System.out.println("[FaultsIT] flapping: " + acknowledged.size() + " acknowledged, refusals " + errors
                    .stream().collect(Collectors.groupingBy(e -> e, Collectors.counting())));

            gateway.close();
            try (Connection db = h2(data)) {
                Map<String, String> stored = parcels(db);
                assertThat(stored.keySet()).as("every acknowledged deposit is stored")
                        .containsAll(acknowledged.keySet());
                assertThat(doubleBooked(db)).as("no compartment holds two parcels").isEmpty();
                assertThat(outboxGaps(db)).as("no gap in any outbox stream").isEmpty();
            }
        } finally {
            codes.close();
            kiosk.close();
            cabinet.close();
            gateway.close();
        }
    }

    // ------------------------------------------------------------------ kill -9 rounds, broker outage

    @Test
    public void kill_9_during_deposits_pickups_and_outbox_draining_loses_nothing_and_opens_no_door_twice()
            throws Exception {
        int rounds = Integer.getInteger("lockergate.faults.rounds", 1);
        int outageSeconds = Integer.getInteger("lockergate.faults.outageSeconds", 4);
        Path work = Files.createTempDirectory("lockergate-faults");
        int port = Mosquitto.freePort();
        Mosquitto broker = Mosquitto.start(work.resolve("broker"), port, List.of());
        Path home = prepare();
        Files.writeString(home.resolve("conf/config/org.lockergate.upstream.mqtt.config"), String.join("\n",
                "pollMillis=L\"100\"", "reconnectMinMillis=L\"100\"", "reconnectMaxSeconds=I\"1\"", ""));
        Path data = home.resolveSibling("data");
        Path schemas = Path.of(System.getProperty("lockergate.schemas", "../docs/protocols/mqtt-schemas"));
        Map<String, String> env = Map.of("LOCKERGATE_MQTT_URL", broker.url(), "LOCKERGATE_GATEWAY_ID", GW);
        Map<String, String> acknowledgedDeposits = new ConcurrentHashMap<>();  // parcel -> compartment
        Set<String> acknowledgedPickups = ConcurrentHashMap.newKeySet();
        // deposits whose door-close the gateway acknowledged: these must reach the cloud as parcel.deposited (a
        // reservation cut short by the kill stays RESERVED and is cancelled later, without that event)
        Set<String> completedDeposits = ConcurrentHashMap.newKeySet();
        try (CloudSide cloud = new CloudSide(broker.url(), "county-platform", GW, schemas)) {
            for (int round = 1; round <= rounds; round++) {
                boolean outage = round == 2 || (rounds == 1);
                // parcels of this round whose item is in and door closed (the close acknowledged), with their codes;
                // a restarted simulator starts with empty compartments, so earlier rounds' parcels are not picked up
                ConcurrentLinkedQueue<PickupNotice> pickable = new ConcurrentLinkedQueue<>();
                Gateway gateway = Gateway.start(home, data, env).awaitReady();
                String uri = "coap://127.0.0.1:" + gateway.coapPort();
                SimulatedCabinet cabinet = cabinet(uri, round);
                Map<String, Integer> unlocks = new ConcurrentHashMap<>();
                cabinet.addListener(new CabinetListener() {
                    @Override
                    public void unlocked(String label, UnlockOutcome outcome) {
                        unlocks.merge(label, 1, Integer::sum);
                    }
                });
                SimulatedKiosk kiosk = kiosk(uri, "faults-kiosk-" + round);
                NotificationLogTailer codes = new NotificationLogTailer(data.resolve("logs/notifications.log"))
                        .start();
                AtomicBoolean stop = new AtomicBoolean();
                java.util.concurrent.atomic.AtomicInteger keypads = new java.util.concurrent.atomic.AtomicInteger();
                int thisRound = round;
                ExecutorService lanes = Executors.newFixedThreadPool(4);
                try {
                    assertThat(cabinet.awaitRegistered(Duration.ofSeconds(30))).as("round %d: registered", round)
                            .isTrue();
                    // after a restart, no door opens before anyone asks (no replayed unlock)
                    Thread.sleep(2_000);
                    assertThat(unlocks).as("round %d: no door opened without a command after the restart", round)
                            .isEmpty();
                    if (outage) {
                        broker.stop();
                    }
                    SessionResult session = kiosk.signIn("JT-0001", "123456");
                    assertThat(session.ok()).as(session.toString()).isTrue();
                    Map<String, Integer> requested = new ConcurrentHashMap<>(); // compartment -> unlocks asked for
                    for (int lane = 0; lane < 2; lane++) {
                        lanes.submit(() -> {
                            while (!stop.get()) {
                                DepositResult d = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S,
                                        "138" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999)),
                                        consent(), Declared.NONE);
                                if (!d.ok()) {
                                    continue;
                                }
                                requested.merge(d.compartment(), 1, Integer::sum);
                                acknowledgedDeposits.put(d.parcelId(), d.compartment());
                                synchronized (cabinet) {
                                    cabinet.putItem(d.compartment());
                                    cabinet.closeDoor(d.compartment());
                                }
                                long seq = cabinet.lastSeq();
                                if (cabinet.awaitAcked(seq, Duration.ofSeconds(10))) {
                                    completedDeposits.add(d.parcelId());
                                    codes.await(d.parcelId(), Duration.ofSeconds(10)).ifPresent(pickable::add);
                                }
                            }
                            return null;
                        });
                        lanes.submit(() -> {
                            while (!stop.get()) {
                                PickupNotice notice = pickable.poll();
                                if (notice == null) {
                                    Thread.sleep(50);
                                    continue;
                                }
                                // each resident at their own keypad (R9 allows 6 attempts a minute per keypad)
                                SimulatedKiosk keypad = SimulatedKiosk.builder().kioskId("resident")
                                        .groupId("g1").gateway(uri).bind(new java.net.InetSocketAddress("127.89."
                                                + thisRound + "." + (1 + keypads.getAndIncrement() % 250), 0)).build();
                                keypad.start();
                                PickupResult p;
                                try {
                                    p = keypad.pickup(notice.code(), null);
                                } finally {
                                    keypad.close();
                                }
                                if (!p.ok()) {
                                    if ("unavailable".equals(p.reply().error())) {
                                        pickable.add(notice); // try again later
                                    }
                                    continue;
                                }
                                requested.merge(p.compartment(), 1, Integer::sum);
                                synchronized (cabinet) {
                                    cabinet.takeItem(p.compartment());
                                    cabinet.closeDoor(p.compartment());
                                }
                                if (cabinet.awaitAcked(cabinet.lastSeq(), Duration.ofSeconds(10))) {
                                    acknowledgedPickups.add(p.parcelId());
                                }
                            }
                            return null;
                        });
                    }
                    long flowing = System.currentTimeMillis() + 60_000;
                    int start = acknowledgedDeposits.size();
                    while (acknowledgedDeposits.size() < start + 6 && System.currentTimeMillis() < flowing) {
                        Thread.sleep(20);
                    }
                    assertThat(acknowledgedDeposits.size()).as("round %d: deposits flow", round)
                            .isGreaterThan(start);
                    if (outage) {
                        Thread.sleep(1000L * outageSeconds); // traffic goes on while the broker is away
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextInt(2_000));
                    gateway.kill();
                    stop.set(true);
                    // the lanes' requests to the dead gateway only wait for their timeouts: interrupt them (what
                    // was acknowledged is recorded right after its answer)
                    lanes.shutdownNow();
                    lanes.awaitTermination(30, TimeUnit.SECONDS);
                    // a door opens once per command: unlocks beyond the acknowledged deposits and pickups can only be
                    // the requests in flight at the kill (at most one per lane), never a second one for a compartment
                    int excess = 0;
                    for (Map.Entry<String, Integer> e : unlocks.entrySet()) {
                        int extra = e.getValue() - requested.getOrDefault(e.getKey(), 0);
                        assertThat(extra).as("unlocks of %s beyond its commands", e.getKey()).isLessThanOrEqualTo(1);
                        excess += Math.max(0, extra);
                    }
                    assertThat(excess).as("unlocks without an acknowledged command").isLessThanOrEqualTo(4);
                    if (outage) {
                        broker.start();
                    }
                    try (Connection db = h2(data)) {
                        Map<String, String> stored = parcels(db);
                        assertThat(stored.keySet()).as("round %d: every acknowledged deposit is stored", round)
                                .containsAll(acknowledgedDeposits.keySet());
                        List<String> notPickedUp = acknowledgedPickups.stream()
                                .filter(p -> !"PICKED_UP".equals(stored.get(p))).map(p -> p + "=" + stored.get(p))
                                .toList();
                        assertThat(notPickedUp).as("round %d: acknowledged pickups are complete", round).isEmpty();
                        assertThat(doubleBooked(db)).as("round %d: no compartment holds two parcels", round)
                                .isEmpty();
                        assertThat(outboxGaps(db)).as("round %d: no gap in any outbox stream", round).isEmpty();
                    }
                } finally {
                    stop.set(true);
                    lanes.shutdownNow();
                    codes.close();
                    kiosk.close();
                    cabinet.close();
                    gateway.close();
                }
                System.out.println("[FaultsIT] round " + round + (outage ? " (broker down " + outageSeconds
                        + " s across the crash)" : "") + ": " + acknowledgedDeposits.size() + " deposits, "
                        + acknowledgedPickups.size() + " pickups acknowledged so far");
            }
            // a last start drains what the crashes left: the cloud gets every event, in order, exactly once
            Gateway last = Gateway.start(home, data, env).awaitReady();
            try {
                try {
                    CloudSide.await(90_000, "every completed deposit's event at the cloud", () -> parcelIds(
                            cloud.deduplicated("events"), "parcel.deposited").containsAll(completedDeposits));
                } catch (AssertionError e) {
                    Set<String> missing = new java.util.TreeSet<>(completedDeposits);
                    parcelIds(cloud.deduplicated("events"), "parcel.deposited").forEach(missing::remove);
                    throw new AssertionError(e.getMessage() + "; missing " + missing + " of "
                            + completedDeposits.size(), e);
                }
                List<JsonNode> events = cloud.deduplicated("events");
                List<Long> seqs = events.stream().map(e -> e.get("seq").asLong()).toList();
                List<Long> expected = new ArrayList<>();
                for (long s = 1; s <= seqs.size(); s++) {
                    expected.add(s);
                }
                assertThat(seqs).as("events in seq order from 1, no gap, once after de-duplication")
                        .isEqualTo(expected);
                assertThat(parcelIds(events, "parcel.picked_up")).containsAll(acknowledgedPickups);
                System.out.println("[FaultsIT] " + rounds + " crashes: " + acknowledgedDeposits.size()
                        + " deposits (" + completedDeposits.size() + " completed) and " + acknowledgedPickups.size()
                        + " pickups acknowledged, " + events.size()
                        + " events at the cloud (" + cloud.on("events/").size() + " with duplicates)");
            } finally {
                last.close();
            }
        } finally {
            broker.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static PickupNotice deposit(SimulatedKiosk kiosk, SessionResult session, SimulatedCabinet cabinet,
            NotificationLogTailer codes, Map<String, String> acknowledged) throws Exception {
        DepositResult d = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S, "13800001111", consent(),
                Declared.NONE);
        assertThat(d.ok()).as(d.toString()).isTrue();
        acknowledged.put(d.parcelId(), d.compartment());
        cabinet.putItem(d.compartment());
        cabinet.closeDoor(d.compartment());
        return codes.await(d.parcelId(), Duration.ofSeconds(30)).orElseThrow();
    }

    /** Deposits until the first refusal: the store applies the new configuration within a second or two. */
    private static DepositResult awaitRefused(SimulatedKiosk kiosk, SessionResult session, SimulatedCabinet cabinet,
            Map<String, String> acknowledged) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            DepositResult d = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S, "13800005555", consent(),
                    Declared.NONE);
            if (!d.ok()) {
                return d;
            }
            assertThat(System.currentTimeMillis()).as("deposits still accepted 30 s after the disk filled up")
                    .isLessThan(deadline);
            acknowledged.put(d.parcelId(), d.compartment());
            cabinet.putItem(d.compartment());
            cabinet.closeDoor(d.compartment());
            Thread.sleep(300);
        }
    }

    private static DepositResult depositWhenReady(SimulatedKiosk kiosk, SessionResult session) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        DepositResult d;
        do {
            d = kiosk.deposit(session, "JT" + System.nanoTime(), Size.S, "13800006666", consent(), Declared.NONE);
            if (d.ok()) {
                return d;
            }
            Thread.sleep(500);
        } while (System.currentTimeMillis() < deadline);
        return d;
    }

    private static Consent consent() {
        return new Consent("app", "C-1", OffsetDateTime.now(), true);
    }

    private static SimulatedCabinet cabinet(String uri, int boot) {
        SimulatedCabinet cabinet = SimulatedCabinet.builder().cabinetId("g1-c1").groupId("g1").vendor("faults")
                .model("SIM-48").firmware("1.0.0").boot(boot).compartments(CompartmentSpec.stock(48)).gateway(uri)
                .build();
        cabinet.start();
        return cabinet;
    }

    private static SimulatedKiosk kiosk(String uri, String id) {
        SimulatedKiosk kiosk = SimulatedKiosk.builder().kioskId(id).groupId("g1").gateway(uri).build();
        kiosk.start();
        return kiosk;
    }

    private static Connection h2(Path data) throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db/lockergate"), "sa", "");
    }

    private static Map<String, String> parcels(Connection db) throws Exception {
        Map<String, String> stored = new HashMap<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT parcel_id, state FROM parcel")) {
            while (rs.next()) {
                stored.put(rs.getString(1), rs.getString(2));
            }
        }
        return stored;
    }

    private static List<String> doubleBooked(Connection db) throws Exception {
        return query(db, "SELECT group_id, compartment, COUNT(*) FROM parcel WHERE state IN ("
                + IN_LOCKER.stream().map(s -> "'" + s + "'").collect(Collectors.joining(","))
                + ") GROUP BY group_id, compartment HAVING COUNT(*) > 1");
    }

    private static List<String> outboxGaps(Connection db) throws Exception {
        return query(db, "SELECT stream, COUNT(*), MAX(seq) FROM outbox GROUP BY stream HAVING COUNT(*) <> MAX(seq)");
    }

    private static List<String> query(Connection db, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "," : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static List<String> parcelIds(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.get("type").asText().equals(type))
                .map(e -> e.get("data").get("parcelId").asText()).collect(Collectors.toList());
    }
}
