package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.Test;
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

/**
 * kill -9 in the middle of a stream of deposits: after the crash every acknowledged deposit is in the database, every
 * acknowledged door-close completed its deposit, no compartment is double-booked, the outbox has no gap; after a
 * restart the cabinet comes back and a parcel deposited before the crash is picked up with its code.
 */
public class CrashIT {

    private static final List<String> IN_LOCKER = List.of("RESERVED", "DEPOSITED", "OVERDUE", "RECALL_DUE", "HELD",
            "REJECTED");

    @Test
    public void acknowledged_deposits_survive_kill_9_and_no_compartment_is_double_booked() throws Exception {
        Path home = Gateway.prepare();
        // the demo's groups, companies, couriers and development notifier, without its simulated traffic
        try (Stream<Path> demo = Files.list(home.resolve("conf/demo"))) {
            for (Path file : demo.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("org.lockergate.core.")) {
                    Files.copy(file, home.resolve("conf/config").resolve(name));
                }
            }
        }
        Path data = home.resolveSibling("data");
        Map<String, String> env = Map.of();
        Gateway gateway = Gateway.start(home, data, env).awaitReady();
        int coapPort = gateway.coapPort();

        SimulatedCabinet cabinet = cabinet(coapPort);
        SimulatedKiosk kiosk = SimulatedKiosk.builder().kioskId("crash-kiosk").groupId("g1")
                .gateway("coap://127.0.0.1:" + coapPort).build();
        kiosk.start();
        Map<String, String> acknowledged = new ConcurrentHashMap<>();      // parcelId -> compartment
        Map<String, Long> closedAt = new ConcurrentHashMap<>();            // parcelId -> seq of its door-close event
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> lastFailure = new java.util.concurrent.atomic.AtomicReference<>();
        ExecutorService couriers = Executors.newFixedThreadPool(4);
        try {
            assertThat(cabinet.awaitRegistered(Duration.ofSeconds(20))).as("cabinet registered").isTrue();
            for (int t = 0; t < 4; t++) {
                couriers.submit(() -> {
                    SessionResult session = kiosk.signIn("JT-0001", "123456");
                    while (!stop.get() && session.ok()) {
                        DepositResult deposit = kiosk.deposit(session, "JT" + ThreadLocalRandom.current().nextLong(1L << 40),
                                Size.S, "138" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999)),
                                new Consent("app", "C-1", java.time.OffsetDateTime.now(), true), Declared.NONE);
                        if (!deposit.ok()) {
                            failures.incrementAndGet();
                            lastFailure.set(deposit.toString());
                            continue;
                        }
                        acknowledged.put(deposit.parcelId(), deposit.compartment());
                        if (ThreadLocalRandom.current().nextBoolean()) {
                            synchronized (cabinet) {
                                cabinet.putItem(deposit.compartment());
                                cabinet.closeDoor(deposit.compartment());
                                closedAt.put(deposit.parcelId(), cabinet.lastSeq());
                            }
                        }
                    }
                    return null;
                });
            }
            // a random moment once deposits flow (a loaded machine may need a while to get there)
            long flowing = System.currentTimeMillis() + 60_000;
            while (acknowledged.size() < 10 && System.currentTimeMillis() < flowing) {
                Thread.sleep(20);
            }
            assertThat(acknowledged).as("deposits acknowledged before the kill (failures: " + failures.get()
                    + ", last: " + lastFailure.get() + ")").isNotEmpty();
            Thread.sleep(ThreadLocalRandom.current().nextInt(1_500));
            gateway.kill();
            stop.set(true);
            long ackedEvents = cabinet.lastAcked();
            couriers.shutdown();
            couriers.awaitTermination(30, TimeUnit.SECONDS);

            try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db/lockergate"), "sa", "")) {
                Map<String, String> stored = new ConcurrentHashMap<>();
                try (Statement st = db.createStatement();
                        ResultSet rs = st.executeQuery("SELECT parcel_id, state FROM parcel")) {
                    while (rs.next()) {
                        stored.put(rs.getString(1), rs.getString(2));
                    }
                }
                assertThat(stored.keySet()).as("every acknowledged deposit is stored").containsAll(acknowledged.keySet());
                List<String> notCompleted = new ArrayList<>();
                closedAt.forEach((parcel, seq) -> {
                    if (seq <= ackedEvents && !Set.of("DEPOSITED", "OVERDUE", "PICKED_UP").contains(stored.get(parcel))) {
                        notCompleted.add(parcel + "=" + stored.get(parcel));
                    }
                });
                assertThat(notCompleted).as("acknowledged door-closes completed their deposits").isEmpty();
                assertThat(query(db, "SELECT group_id, compartment, COUNT(*) FROM parcel WHERE state IN ("
                        + String.join(",", IN_LOCKER.stream().map(s -> "'" + s + "'").toList())
                        + ") GROUP BY group_id, compartment HAVING COUNT(*) > 1"))
                        .as("no compartment holds two parcels").isEmpty();
                assertThat(query(db, "SELECT stream, COUNT(*), MAX(seq) FROM outbox GROUP BY stream "
                        + "HAVING COUNT(*) <> MAX(seq)")).as("no gap in any outbox stream").isEmpty();
            }

            // restart on the same data: the cabinet comes back and a parcel from before the crash is picked up
            Gateway again = Gateway.start(home, data, env).awaitReady();
            try {
                assertThat(again.get("/api/v1/health", null).statusCode()).isEqualTo(200);
                String deposited = closedAt.entrySet().stream().filter(e -> e.getValue() <= ackedEvents)
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                if (deposited != null) {
                    NotificationLogTailer codes = new NotificationLogTailer(data.resolve("logs/notifications.log")).start();
                    try {
                        PickupNotice notice = codes.await(deposited, Duration.ofSeconds(20)).orElseThrow();
                        SimulatedCabinet back = cabinet(again.coapPort());
                        SimulatedKiosk kiosk2 = SimulatedKiosk.builder().kioskId("crash-kiosk-2").groupId("g1")
                                .gateway("coap://127.0.0.1:" + again.coapPort()).build();
                        kiosk2.start();
                        try {
                            assertThat(back.awaitRegistered(Duration.ofSeconds(20))).isTrue();
                            PickupResult pickup = awaitPickup(kiosk2, notice.code());
                            assertThat(pickup.ok()).as(pickup.toString()).isTrue();
                            assertThat(pickup.parcelId()).isEqualTo(deposited);
                        } finally {
                            kiosk2.close();
                            back.close();
                        }
                    } finally {
                        codes.close();
                    }
                }
            } finally {
                again.close();
            }
        } finally {
            stop.set(true);
            couriers.shutdownNow();
            kiosk.close();
            cabinet.close();
            gateway.close();
        }
    }

    /** The restarted gateway answers "unavailable" until the cabinet has re-registered: retry briefly. */
    private static PickupResult awaitPickup(SimulatedKiosk kiosk, String code) throws InterruptedException {
        PickupResult result = kiosk.pickup(code, null);
        long deadline = System.currentTimeMillis() + 15_000;
        while (!result.ok() && "unavailable".equals(result.reply().error()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            result = kiosk.pickup(code, null);
        }
        return result;
    }

    private static SimulatedCabinet cabinet(int coapPort) {
        SimulatedCabinet cabinet = SimulatedCabinet.builder().cabinetId("g1-c1").groupId("g1").vendor("crash-test")
                .model("SIM-48").firmware("1.0.0").boot(1).compartments(CompartmentSpec.stock(48))
                .gateway("coap://127.0.0.1:" + coapPort).build();
        cabinet.start();
        return cabinet;
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
}
