package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.spi.CabinetDriverFactory;
import org.lockergate.api.spi.Notifier;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.Consent;
import org.lockergate.devices.coap.Declared;
import org.lockergate.devices.coap.DepositResult;
import org.lockergate.devices.coap.GarbageResult;
import org.lockergate.devices.coap.KioskReply;
import org.lockergate.devices.coap.NotificationLogTailer;
import org.lockergate.devices.coap.PickupNotice;
import org.lockergate.devices.coap.PickupResult;
import org.lockergate.devices.coap.SessionResult;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.Size;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The locker path in a real Felix with the distribution's bundles (features framework, web, locker, coap,
 * vendor-coap) and the device simulators, over real UDP on loopback: simulated cabinets register with the vendor
 * bundle and answer its unlocks, simulated kiosks use the kiosk API, and the recipient's code is read from the
 * development notifier's log. A {@link TestClock} with a high ranking replaces the gateway clock, so the lockouts,
 * door timers and heartbeats of DESIGN.md R9, R13–R15 are tested by moving the clock instead of waiting.
 *
 * <p>Each scenario has its own group (created through ConfigurationAdmin) and its own cabinet, so keypad lockouts,
 * allocation and alarms of one scenario cannot reach another; the main flow runs on the demo group {@code g1}. The
 * groups, companies, couriers and development notifier of {@code conf/demo} are copied into the watched folder.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LockerIT {

    static final List<String> FEATURES = List.of("framework", "web", "locker", "coap", "vendor-coap");
    static final String PIN = "123456";

    /** The heartbeat the simulated cabinets use instead of the gateway's 10 s. */
    static final Duration HEARTBEAT = Duration.ofMillis(20);
    /**
     * The clock moves in steps shorter than the offline threshold (3 × 10 s), each followed by a heartbeat of every
     * live cabinet, so a cabinet that keeps sending heartbeats never looks silent to the core's timer.
     */
    static final Duration CLOCK_STEP = Duration.ofSeconds(25);
    /** One tick of the core's timers (1 s) plus a margin: how long to wait before asserting that nothing happened. */
    static final Duration ONE_TICK = Duration.ofMillis(1300);
    static final Duration DEADLINE = Duration.ofSeconds(10);

    static final String G_LOCKOUT = "it-lockout";
    static final String G_JAM = "it-jam";
    static final String G_DOOR = "it-door";
    static final String G_OFFLINE = "it-offline";
    static final String G_RACE = "it-race";
    static final String G_JUNK = "it-junk";
    static final List<String> SCENARIO_GROUPS = List.of(G_LOCKOUT, G_JAM, G_DOOR, G_OFFLINE, G_RACE, G_JUNK);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong WAYBILLS = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L);

    // Set up once by the first test inside the framework (this is the probe's copy of the class).
    private static TestClock clock;
    private static int coapPort;
    private static NotificationLogTailer notices;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    /** Devices of the running scenario, stopped after it. */
    private final List<SimulatedCabinet> cabinets = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> devices = new CopyOnWriteArrayList<>();

    @org.ops4j.pax.exam.Configuration
    public Option[] configuration() throws IOException {
        Path work = Files.createTempDirectory("lockergate-lockerit");
        Path home = Distribution.home();
        Path data = Files.createDirectories(work.resolve("data"));
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        // the demo's groups g1/g2, companies, couriers (PIN 123456) and the development notifier
        try (Stream<Path> demo = Files.list(home.resolve("conf/demo"))) {
            for (Path file : demo.toList()) {
                if (file.getFileName().toString().startsWith("org.lockergate.core.")) {
                    Files.copy(file, deploy.resolve(file.getFileName().toString()));
                }
            }
        }
        List<Option> options = new ArrayList<>(Distribution.frameworkOptions(FEATURES, home.resolve("features"),
                home.resolve("system"), data, deploy, Distribution.freePort()));
        options.add(bundle(simulatorJar(home).toUri().toString()).startLevel(10).start(true));
        options.add(frameworkProperty("lockergate.coap.port").value("0"));
        options.add(frameworkProperty("lockergate.coaps.port").value("0"));
        return options.toArray(new Option[0]);
    }

    /** The simulator bundle the distribution carries for --demo (not the standalone jar). */
    private static Path simulatorJar(Path home) throws IOException {
        try (Stream<Path> files = Files.walk(home.resolve("system/org/lockergate/org.lockergate.devices.coap"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().contains("standalone"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no simulator bundle in " + home));
        }
    }

    @Before
    public void gatewayReady() throws Exception {
        synchronized (LockerIT.class) {
            if (clock == null) {
                setUpOnce();
            }
        }
    }

    @After
    public void stopDevices() {
        List<AutoCloseable> all = new ArrayList<>(devices);
        Collections.reverse(all);
        for (AutoCloseable device : all) {
            try {
                device.close();
            } catch (Exception e) {
                // best effort: the next scenario uses other devices anyway
            }
        }
    }

    private void setUpOnce() throws Exception {
        // the gateway's clock is an hour ahead of the JVM's, so the test can tell which clock the core follows
        TestClock testClock = new TestClock(Duration.ofHours(1));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, 1000);
        properties.put("lockergate.test", LockerIT.class.getSimpleName());
        context.registerService(GatewayClock.class, testClock, properties);

        awaitTrue("the core's services", () -> service(LockerQueries.class) != null
                && service(KioskService.class) != null && service(AlarmService.class) != null);
        coapPort = await("the CoAP transport's port", LockerIT.this::boundCoapPort);
        awaitTrue("the vendor bundle's driver factory", () -> !references(CabinetDriverFactory.class.getName(),
                "(" + CabinetDriverFactory.VENDOR + "=coap)").isEmpty());
        awaitTrue("the development notifier", () -> !references(Notifier.class.getName(), null).isEmpty());
        awaitTrue("the demo couriers", () -> references("org.lockergate.core.internal.registry.CourierEntry", null)
                .size() >= 3);

        Instant before = testClock.now();
        for (String groupId : SCENARIO_GROUPS) {
            org.osgi.service.cm.Configuration config = configAdmin.getFactoryConfiguration("org.lockergate.core.group",
                    groupId, "?");
            Dictionary<String, Object> group = new Hashtable<>();
            group.put("groupId", groupId);
            group.put("name", "集成测试柜组 " + groupId);
            group.put("community", "幸福里小区");
            group.put("address", "山东省淄博市沂源县幸福路 100 号");
            group.put("stationName", "幸福里快递驿站");
            config.update(group);
        }
        Set<String> wanted = new HashSet<>(SCENARIO_GROUPS);
        wanted.addAll(List.of("g1", "g2"));
        awaitTrue("groups " + wanted, () -> queries().groups().stream().map(CabinetGroup::groupId)
                .collect(Collectors.toSet()).containsAll(wanted));

        // the core follows the highest-ranked clock: the audit rows of the groups just added carry its time
        List<AuditEntry> added = queries().audit(Instant.EPOCH, 100_000).stream()
                .filter(a -> a.action().equals("registry.group_added") && wanted.contains(a.target())
                        && SCENARIO_GROUPS.contains(a.target()))
                .toList();
        assertThat(added).hasSize(SCENARIO_GROUPS.size());
        assertThat(added).allSatisfy(a -> assertThat(a.ts()).as("audit time of %s (test clock %s)", a, testClock)
                .isBetween(before.minusSeconds(1), testClock.now()));

        Path log = Path.of(context.getProperty("lockergate.data"), "logs", "notifications.log");
        notices = new NotificationLogTailer(log, Duration.ofMillis(25)).start();
        clock = testClock;
    }

    // =========================================================================================== scenarios

    /** R0, R3, R8, §4 kiosk API: the whole path of one parcel, as the demo group's courier and resident see it. */
    @Test
    public void a_parcel_is_deposited_notified_and_picked_up_with_the_recipients_code() throws Exception {
        Instant start = clock.now();
        SimulatedCabinet cabinet = cabinet("g1-it", "g1", 12);
        SimulatedKiosk kiosk = kiosk("g1", "127.0.0.1");

        SessionResult session = kiosk.signIn("JT-0001", PIN);
        assertThat(session.ok()).as("sign-in: %s", session.reply()).isTrue();
        assertThat(session.reply().codeText()).isEqualTo("2.01");
        assertThat(session.company()).isEqualTo("JT");

        DepositResult deposit = kiosk.deposit(session, waybill("JT"), Size.M, "13800001234", consent(true),
                Declared.NONE);
        assertThat(deposit.ok()).as("deposit: %s", deposit.reply()).isTrue();
        assertThat(deposit.reply().codeText()).isEqualTo("2.01");
        assertThat(deposit.cabinetId()).isEqualTo("g1-it");
        assertThat(deposit.unlock()).isEqualTo("opened");
        assertThat(deposit.skipped()).isEmpty();
        String parcelId = deposit.parcelId();
        String label = deposit.compartment();
        assertThat(cabinet.compartment(label).doorClosed()).as("the unlock reached the cabinet").isFalse();
        assertThat(cabinet.compartment(label).size()).isEqualTo(Size.M);
        assertThat(parcel(parcelId).state()).isEqualTo(ParcelState.RESERVED);
        assertThat(compartment("g1", label).state()).isEqualTo(CompartmentState.RESERVED);

        // the courier puts the parcel in and closes the door: the code goes to the recipient, never to the kiosk
        assertThat(deposit.reply().body().toString()).doesNotContainPattern("\"code\"");
        PickupNotice notice = putInAndClose(cabinet, deposit);
        assertThat(notice.code()).matches("[0-9]{8}");
        assertThat(notice.groupId()).isEqualTo("g1");
        assertThat(notice.cabinetId()).isEqualTo("g1-it");
        assertThat(notice.compartment()).isEqualTo(label);
        assertThat(notice.phoneMasked()).isEqualTo("138******34");
        assertThat(notice.freeUntil()).isNotNull();
        Parcel deposited = await("parcel DEPOSITED", () -> parcelIn(parcelId, ParcelState.DEPOSITED));
        assertThat(deposited.compartment()).isEqualTo(label);
        assertThat(deposited.courierId()).isEqualTo("JT-0001");
        assertThat(deposited.companyCode()).isEqualTo("JT");
        assertThat(deposited.depositedAt()).isNotNull();
        assertThat(compartment("g1", label).state()).isEqualTo(CompartmentState.OCCUPIED);

        // the resident types the code: the same compartment opens
        PickupResult pickup = kiosk.pickup(notice.code(), null);
        assertThat(pickup.ok()).as("pickup: %s", pickup.reply()).isTrue();
        assertThat(pickup.reply().codeText()).isEqualTo("2.04");
        assertThat(pickup.parcelId()).isEqualTo(parcelId);
        assertThat(pickup.cabinetId()).isEqualTo("g1-it");
        assertThat(pickup.compartment()).isEqualTo(label);
        assertThat(pickup.unlock()).isEqualTo("opened");
        assertThat(pickup.feeFen()).isZero();
        assertThat(pickup.feeOwed()).isFalse();
        assertThat(cabinet.compartment(label).doorClosed()).as("the pickup's unlock reached the cabinet").isFalse();
        assertThat(parcel(parcelId).state()).as("picked up only when the door closes").isEqualTo(ParcelState.DEPOSITED);

        takeOutAndClose(cabinet, label);
        Parcel pickedUp = await("parcel PICKED_UP", () -> parcelIn(parcelId, ParcelState.PICKED_UP));
        assertThat(pickedUp.closedAt()).isNotNull();
        assertThat(compartment("g1", label).state()).isEqualTo(CompartmentState.FREE);
        assertThat(compartment("g1", label).parcelId()).isNull();

        // the outbox: deposited and picked up; the clear code only in notification.requested (R8)
        List<OutboxEvent> events = outboxOf(parcelId);
        assertThat(events).extracting(OutboxEvent::type)
                .containsSubsequence("parcel.deposited", "parcel.picked_up")
                .contains("notification.requested");
        assertThat(events).allSatisfy(e -> assertThat(e.stream()).isEqualTo(OutboxEvent.Stream.EVENTS));
        JsonNode depositedEvent = data(only(events, "parcel.deposited"));
        assertThat(depositedEvent.path("groupId").asText()).isEqualTo("g1");
        assertThat(depositedEvent.path("cabinetId").asText()).isEqualTo("g1-it");
        assertThat(depositedEvent.path("compartment").asText()).isEqualTo(label);
        assertThat(only(events, "parcel.deposited").data()).doesNotContain(notice.code()).doesNotContain("13800001234");
        assertThat(data(only(events, "notification.requested")).path("code").asText()).isEqualTo(notice.code());
        assertThat(data(only(events, "parcel.picked_up")).path("compartment").asText()).isEqualTo(label);

        // the audit log has both steps, in order
        List<AuditEntry> audit = queries().audit(start.minusSeconds(1), 100_000).stream()
                .filter(a -> parcelId.equals(a.target())).toList();
        assertThat(audit).extracting(AuditEntry::action)
                .containsSubsequence("parcel.reserved", "parcel.deposited", "parcel.pickup_opening",
                        "parcel.picked_up");
        assertThat(audit).filteredOn(a -> a.action().equals("parcel.reserved"))
                .extracting(AuditEntry::actor).containsExactly("courier:JT-0001");
        assertThat(audit).allSatisfy(a -> assertThat(a.detail() == null ? "" : a.detail())
                .doesNotContain(notice.code()).doesNotContain("13800001234"));
    }

    /**
     * R9: the keypad lockout (5 wrong within 5 min lock the keypad 5 min, {@code attemptsLeft} counting down) and the
     * parcel ladder with the last 4 phone digits (3rd wrong → 1 min, 4th–6th → 5 min, then 30 min), passing every
     * lock by moving the clock; the stricter rule wins; a successful pickup resets the ladder. Keypads are told apart
     * by the kiosk's IP address (kiosk bundle), so each kiosk here has its own loopback address.
     */
    @Test
    public void wrong_codes_lock_the_keypad_and_climb_the_parcel_ladder_until_a_pickup_resets_it() throws Exception {
        SimulatedCabinet cabinet = cabinet("it-lockout-c1", G_LOCKOUT, 6);
        SimulatedKiosk courierKiosk = kiosk(G_LOCKOUT, "127.0.0.20");
        SessionResult session = signIn(courierKiosk, "YUNDA-0001");
        DepositResult deposit = courierKiosk.deposit(session, waybill("YD"), Size.S, "13912345678", consent(false),
                Declared.NONE);
        assertThat(deposit.ok()).as("deposit: %s", deposit.reply()).isTrue();
        String parcelId = deposit.parcelId();
        String code = putInAndClose(cabinet, deposit).code();
        String last4 = "5678";

        // --- the keypad rule: every wrong code at this keypad counts, with or without a parcel named
        SimulatedKiosk keypadA = kiosk(G_LOCKOUT, "127.0.0.21");
        SimulatedKiosk keypadB = kiosk(G_LOCKOUT, "127.0.0.22");
        for (int left = 4; left >= 1; left--) {
            assertWrongCode(keypadA.pickup(wrong(code, left), null), left);
        }
        Instant before = clock.now();
        PickupResult fifth = keypadA.pickup(wrong(code, 0), null);
        assertLocked(fifth, before, clock.now(), Duration.ofMinutes(5));
        Instant keypadLockedUntil = fifth.reply().lockedUntil().toInstant();
        assertLockedUntil(keypadA.pickup(code, null), keypadLockedUntil); // even the right code, at that keypad
        assertWrongCode(keypadB.pickup(wrong(code, 5), null), 4);       // another keypad is not locked
        assertThat(parcel(parcelId).state()).isEqualTo(ParcelState.DEPOSITED);

        advanceClock(Duration.between(clock.now(), keypadLockedUntil).plusSeconds(1));
        assertWrongCode(keypadA.pickup(wrong(code, 6), null), 4);       // lock over, the old failures expired

        // --- the parcel ladder: attempts naming the parcel (last 4 phone digits) count against it
        SimulatedKiosk keypadS = kiosk(G_LOCKOUT, "127.0.0.30");
        assertWrongCode(keypadS.pickup(wrong(code, 7), null), 4);
        assertWrongCode(keypadS.pickup(wrong(code, 8), null), 3);
        assertWrongCode(keypadS.pickup(wrong(code, 9), null), 2);
        // 1st wrong for the parcel (2 left before its lock), 4th for this keypad (1 left): the stricter is reported
        assertWrongCode(keypadS.pickup(wrong(code, 10), last4), 1);
        SimulatedKiosk keypad1 = kiosk(G_LOCKOUT, "127.0.0.31");
        assertWrongCode(keypad1.pickup(wrong(code, 11), last4), 1);     // 2nd for the parcel: 1 left
        before = clock.now();
        PickupResult third = keypad1.pickup(wrong(code, 12), last4);
        assertLocked(third, before, clock.now(), Duration.ofMinutes(1));
        Instant parcelLockedUntil = third.reply().lockedUntil().toInstant();
        SimulatedKiosk keypad2 = kiosk(G_LOCKOUT, "127.0.0.32");
        assertLockedUntil(keypad2.pickup(code, last4), parcelLockedUntil); // the parcel is locked at every keypad;
        // its right code alone answers (and counts) as a wrong code while it is locked: answering "locked" only to
        // existing codes would let a brute force find codes (issue 10, AbuseIT)
        assertWrongCode(keypad2.pickup(code, null), 4);

        Duration[] ladder = {Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30)};
        for (int i = 0; i < ladder.length; i++) {
            advanceClock(Duration.between(clock.now(), parcelLockedUntil).plusSeconds(1));
            SimulatedKiosk keypad = i == 0 ? keypad2 : kiosk(G_LOCKOUT, "127.0.0." + (32 + i));
            before = clock.now();
            PickupResult attempt = keypad.pickup(wrong(code, 13 + i), last4);
            assertLocked(attempt, before, clock.now(), ladder[i]);        // wrong #4, #5, #6 → 5 min; #7 → 30 min
            parcelLockedUntil = attempt.reply().lockedUntil().toInstant();
        }

        // past the 30 min lock the right code opens the parcel's compartment; the success resets the ladder
        advanceClock(Duration.between(clock.now(), parcelLockedUntil).plusSeconds(1));
        SimulatedKiosk resident = kiosk(G_LOCKOUT, "127.0.0.36");
        PickupResult pickup = resident.pickup(code, last4);
        assertThat(pickup.ok()).as("pickup after the locks: %s", pickup.reply()).isTrue();
        assertThat(pickup.parcelId()).isEqualTo(parcelId);
        assertThat(pickup.compartment()).isEqualTo(deposit.compartment());
        SimulatedKiosk other = kiosk(G_LOCKOUT, "127.0.0.37");
        assertWrongCode(other.pickup(wrong(code, 20), last4), 2);       // the parcel's count started again
        takeOutAndClose(cabinet, deposit.compartment());
        await("parcel PICKED_UP", () -> parcelIn(parcelId, ParcelState.PICKED_UP));
        List<AuditEntry> wrongCodes = queries().audit(Instant.EPOCH, 100_000).stream()
                .filter(a -> parcelId.equals(a.target()) && a.action().equals("parcel.wrong_code")).toList();
        assertThat(wrongCodes).hasSize(8);
    }

    /** R13, R14: a jammed door during a deposit is skipped, its compartment becomes FAULT with a door_jammed alarm. */
    @Test
    public void a_jammed_door_is_skipped_by_the_deposit_and_raises_a_door_jammed_alarm_acknowledged_once()
            throws Exception {
        SimulatedCabinet cabinet = cabinet("it-jam-c1", G_JAM, 6);
        cabinet.jam("1"); // the smallest free compartment: the one an S deposit gets first
        SimulatedKiosk kiosk = kiosk(G_JAM, "127.0.0.1");
        SessionResult session = signIn(kiosk, "ZTO-0001");

        DepositResult deposit = kiosk.deposit(session, waybill("ZT"), Size.S, "13700001111", consent(true),
                Declared.NONE);

        assertThat(deposit.ok()).as("deposit: %s", deposit.reply()).isTrue();
        assertThat(deposit.skipped()).containsExactly(new DepositResult.Skipped("1", "jammed"));
        assertThat(deposit.compartment()).isNotEqualTo("1");
        assertThat(deposit.unlock()).isEqualTo("opened");
        assertThat(cabinet.compartment("1").doorClosed()).as("the jammed door stayed shut").isTrue();
        assertThat(parcel(deposit.parcelId()).compartment()).isEqualTo(deposit.compartment());
        assertThat(compartment(G_JAM, "1").state()).isEqualTo(CompartmentState.FAULT);
        assertThat(compartment(G_JAM, "1").parcelId()).isNull();
        Alarm jammed = alarm(AlarmType.DOOR_JAMMED, G_JAM, "it-jam-c1", "1")
                .orElseThrow(() -> new AssertionError("no door_jammed alarm in " + alarms().open()));
        assertThat(jammed.active()).isTrue();
        assertThat(jammed.acknowledged()).isFalse();
        putInAndClose(cabinet, deposit);

        Alarm acknowledged = alarms().acknowledge(jammed.alarmId(), "operator:it-tech");
        assertThat(acknowledged.acknowledged()).isTrue();
        assertThat(acknowledged.acknowledgedBy()).isEqualTo("operator:it-tech");
        assertThat(acknowledged.active()).as("acknowledged, not cleared: the door is still jammed").isTrue();
        Alarm stored = alarmById(jammed.alarmId()).orElseThrow();
        assertThat(stored.acknowledgedBy()).isEqualTo("operator:it-tech");
        assertThat(stored.acknowledgedAt()).isCloseTo(acknowledged.acknowledgedAt(), within(1, ChronoUnit.MILLIS));
        Alarm again = alarms().acknowledge(jammed.alarmId(), "operator:someone-else");
        assertThat(again.acknowledgedAt()).as("a second acknowledgement changes nothing")
                .isEqualTo(stored.acknowledgedAt());
        assertThat(again.acknowledgedBy()).isEqualTo("operator:it-tech");
        assertThat(alarmStates(jammed.alarmId())).containsExactly("raised", "acknowledged");
        assertThatThrownBy(() -> alarms().acknowledge(Long.MAX_VALUE, "operator:it-tech"))
                .isInstanceOf(LockerException.class)
                .satisfies(e -> assertThat(((LockerException) e).code()).isEqualTo("not_found"));
        // the jammed compartment is never allocated again
        DepositResult next = kiosk.deposit(session, waybill("ZT"), Size.S, "13700002222", consent(true),
                Declared.NONE);
        assertThat(next.ok()).as("deposit: %s", next.reply()).isTrue();
        assertThat(next.compartment()).isNotEqualTo("1");
        assertThat(next.skipped()).isEmpty();
        putInAndClose(cabinet, next);
    }

    /** R14: a door open for more than 60 s raises door_left_open; closing it clears the alarm. */
    @Test
    public void a_door_left_open_for_more_than_a_minute_raises_an_alarm_that_closing_clears() throws Exception {
        SimulatedCabinet cabinet = cabinet("it-door-c1", G_DOOR, 6);
        SimulatedKiosk kiosk = kiosk(G_DOOR, "127.0.0.1");
        SessionResult session = signIn(kiosk, "YUNDA-0001");
        DepositResult deposit = kiosk.deposit(session, waybill("YD"), Size.S, "13600003333", consent(true),
                Declared.NONE);
        assertThat(deposit.ok()).as("deposit: %s", deposit.reply()).isTrue();
        String label = deposit.compartment();
        Instant opened = clock.now();

        advanceClock(Duration.between(clock.now(), opened.plusSeconds(55)));
        Thread.sleep(ONE_TICK.toMillis());
        assertThat(alarm(AlarmType.DOOR_LEFT_OPEN, G_DOOR, "it-door-c1", label)).as("after 55 s").isEmpty();

        advanceClock(Duration.between(clock.now(), opened.plusSeconds(61)));
        Alarm leftOpen = await("door_left_open", () -> alarm(AlarmType.DOOR_LEFT_OPEN, G_DOOR, "it-door-c1", label)
                .orElse(null));
        assertThat(leftOpen.active()).isTrue();
        assertThat(leftOpen.raisedAt()).isAfter(opened.plusSeconds(55));
        assertThat(alarms().open()).filteredOn(a -> a.type() == AlarmType.DOOR_LEFT_OPEN && G_DOOR.equals(a.groupId()))
                .hasSize(1);
        assertThat(parcel(deposit.parcelId()).state()).as("within the 90 s kiosk hold").isEqualTo(ParcelState.RESERVED);

        putInAndClose(cabinet, deposit);
        Alarm cleared = await("door_left_open cleared", () -> alarmById(leftOpen.alarmId())
                .filter(a -> !a.active()).orElse(null));
        assertThat(cleared.clearedAt()).isAfterOrEqualTo(leftOpen.raisedAt());
        assertThat(parcel(deposit.parcelId()).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(alarmStates(leftOpen.alarmId())).containsExactly("raised", "cleared");
    }

    /** R15, R14: a cabinet silent for 3 heartbeats goes offline with cabinet_offline; back online clears it. */
    @Test
    public void a_silent_cabinet_goes_offline_with_an_alarm_and_comes_back_when_it_is_heard_again() throws Exception {
        SimulatedCabinet cabinet = cabinet("it-offline-c1", G_OFFLINE, 6);
        assertThat(cabinetRow(G_OFFLINE, "it-offline-c1").online()).isTrue();

        cabinet.offline(true);
        advanceClock(Duration.ofSeconds(20)); // two heartbeats missed: not yet
        Thread.sleep(ONE_TICK.toMillis());
        assertThat(cabinetRow(G_OFFLINE, "it-offline-c1").online()).as("after 20 s of silence").isTrue();
        assertThat(alarm(AlarmType.CABINET_OFFLINE, G_OFFLINE, "it-offline-c1", null)).isEmpty();

        advanceClock(Duration.ofSeconds(11)); // past 3 × 10 s
        awaitTrue("cabinet offline", () -> !cabinetRow(G_OFFLINE, "it-offline-c1").online());
        Alarm offline = await("cabinet_offline", () -> alarm(AlarmType.CABINET_OFFLINE, G_OFFLINE, "it-offline-c1",
                null).orElse(null));
        assertThat(offline.active()).isTrue();
        assertThat(outboxOfCabinet("it-offline-c1")).extracting(OutboxEvent::type).contains("cabinet.offline");

        cabinet.offline(false);
        awaitTrue("cabinet online again", () -> cabinetRow(G_OFFLINE, "it-offline-c1").online());
        Alarm cleared = await("cabinet_offline cleared", () -> alarmById(offline.alarmId()).filter(a -> !a.active())
                .orElse(null));
        assertThat(cleared.clearedAt()).isNotNull();
        assertThat(alarm(AlarmType.CABINET_OFFLINE, G_OFFLINE, "it-offline-c1", null)).isEmpty();
        assertThat(outboxOfCabinet("it-offline-c1")).extracting(OutboxEvent::type)
                .containsSubsequence("cabinet.offline", "cabinet.online");
    }

    /** R11: couriers depositing at once on two kiosks never share a compartment, up to a full group. */
    @Test
    public void concurrent_deposits_from_two_kiosks_never_get_the_same_compartment() throws Exception {
        int size = 24;
        SimulatedCabinet cabinet = cabinet("it-race-c1", G_RACE, size);
        SimulatedKiosk kioskA = kiosk(G_RACE, "127.0.0.61");
        SimulatedKiosk kioskB = kiosk(G_RACE, "127.0.0.62");
        SessionResult jt = signIn(kioskA, "JT-0001");
        SessionResult zto = signIn(kioskB, "ZTO-0001");

        int threadsPerKiosk = 3;
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerKiosk);
        CountDownLatch go = new CountDownLatch(1);
        Map<String, String> compartmentOf = new ConcurrentHashMap<>();          // parcelId -> compartment
        List<String> granted = new CopyOnWriteArrayList<>();                     // every compartment handed out
        List<String> unexpected = new CopyOnWriteArrayList<>();
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < 2 * threadsPerKiosk; t++) {
                SimulatedKiosk kiosk = t % 2 == 0 ? kioskA : kioskB;
                SessionResult session = t % 2 == 0 ? jt : zto;
                workers.add(pool.submit(() -> {
                    go.await();
                    while (true) {
                        // every thread asks for S: all of them race for the same smallest free compartment
                        DepositResult d = kiosk.deposit(session, waybill("RC"), Size.S,
                                "135" + String.format("%08d", WAYBILLS.incrementAndGet() % 100_000_000L),
                                consent(true), Declared.NONE);
                        if (d.ok()) {
                            granted.add(d.compartment());
                            compartmentOf.put(d.parcelId(), d.compartment());
                            cabinet.putItem(d.compartment());
                            cabinet.closeDoor(d.compartment());
                        } else if ("full".equals(d.reply().error())) {
                            return null;
                        } else {
                            unexpected.add(d.reply().toString());
                            return null;
                        }
                    }
                }));
            }
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).as("answers other than 2.01 or full").isEmpty();
        assertThat(granted).as("compartments handed out").doesNotHaveDuplicates().hasSize(size);
        assertThat(cabinet.awaitAllAcked(DEADLINE)).as("every door event stored").isTrue();

        List<Parcel> inLocker = await("all deposits completed", () -> {
            List<Parcel> parcels = queries().parcels(G_RACE, List.of(ParcelState.DEPOSITED, ParcelState.RESERVED),
                    1000);
            return parcels.size() == size && parcels.stream().allMatch(p -> p.state() == ParcelState.DEPOSITED)
                    ? parcels : null;
        });
        assertThat(inLocker).extracting(Parcel::compartment).doesNotHaveDuplicates();
        assertThat(inLocker).allSatisfy(p -> assertThat(p.compartment()).isEqualTo(compartmentOf.get(p.parcelId())));
        assertThat(inLocker).extracting(Parcel::companyCode).contains("JT", "ZTO");
        List<Compartment> compartments = queries().compartments(G_RACE);
        assertThat(compartments).hasSize(size)
                .allSatisfy(c -> assertThat(c.state()).isEqualTo(CompartmentState.OCCUPIED));
        assertThat(compartments).extracting(Compartment::parcelId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(compartmentOf.keySet());
    }

    /**
     * A company configuration that first arrives without its code (a file picked up mid-creation) is not taken, and
     * is taken as soon as its full content arrives: nothing waits for a restart.
     */
    @Test
    public void a_company_configuration_completed_later_is_taken_when_it_is_complete() throws Exception {
        org.osgi.service.cm.Configuration company = configAdmin.getFactoryConfiguration("org.lockergate.core.company",
                "itest-late", "?");
        company.update(new java.util.Hashtable<>(Map.of("name", "迟到快递")));
        Thread.sleep(500); // give SCR the chance to (wrongly) bind the incomplete entry
        assertThat(queries().companies()).extracting(c -> c.name()).doesNotContain("迟到快递");

        company.update(new java.util.Hashtable<>(Map.of("code", "LATE", "name", "迟到快递",
                "fundingSharePercent", 0)));
        awaitTrue("company LATE", () -> queries().companies().stream().anyMatch(c -> c.code().equals("LATE")));
        company.delete();
    }

    /** §4 CoAP: malformed and oversized payloads are refused with 4.00/4.13 naming the field; the gateway goes on. */
    @Test
    public void malformed_and_oversized_payloads_are_refused_and_the_gateway_keeps_answering() throws Exception {
        SimulatedCabinet cabinet = cabinet("it-junk-c1", G_JUNK, 6);
        SimulatedKiosk kiosk = kiosk(G_JUNK, "127.0.0.1");
        long ackedBefore = cabinet.lastAcked();

        GarbageResult garbage = cabinet.garbage();
        assertThat(garbage.invalidJson()).as("a body that is not JSON").isNotNull();
        assertThat(garbage.invalidJson().toString()).isEqualTo("4.00");
        assertThat(garbage.oversized()).as("a 16 KiB body").isNotNull();
        assertThat(garbage.oversized().toString()).isIn("4.00", "4.13");
        assertThat(garbage.oversizedBytes()).isGreaterThan(16 * 1024);

        SessionResult session = signIn(kiosk, "YUNDA-0001");
        DepositResult badPhone = kiosk.deposit(session, waybill("YD"), Size.S, "12345", consent(true), Declared.NONE);
        assertBadRequest(badPhone.reply(), "phone");
        DepositResult noDeclaration = kiosk.deposit(session, waybill("YD"), Size.S, "13500004444", consent(true), null);
        assertBadRequest(noDeclaration.reply(), "declared");
        DepositResult badWaybill = kiosk.deposit(session, "YD 1234", Size.S, "13500004444", consent(true),
                Declared.NONE);
        assertBadRequest(badWaybill.reply(), "waybill");
        Response notJson = rawPost("/groups/" + G_JUNK + "/deposits", "{\"session\":\"" + session.session() + "\",");
        assertThat(notJson).as("raw deposit with a broken body").isNotNull();
        assertThat(notJson.getCode().toString()).isEqualTo("4.00");
        assertThat(queries().parcels(G_JUNK, List.of(), 100)).as("nothing stored from refused requests").isEmpty();

        // the gateway keeps answering: the cabinet's events and heartbeats, and a correct deposit to the end
        int heartbeats = cabinet.heartbeats();
        awaitTrue("heartbeats go on", () -> cabinet.heartbeats() > heartbeats + 2);
        DepositResult good = kiosk.deposit(session, waybill("YD"), Size.S, "13500004444", consent(true), Declared.NONE);
        assertThat(good.ok()).as("deposit after the garbage: %s", good.reply()).isTrue();
        PickupNotice notice = putInAndClose(cabinet, good);
        assertThat(cabinet.lastAcked()).isGreaterThan(ackedBefore);
        assertThat(cabinet.rejectedEvents()).isZero();
        assertThat(kiosk.state().ok()).isTrue();
        PickupResult pickup = kiosk.pickup(notice.code(), "4444");
        assertThat(pickup.ok()).as("pickup: %s", pickup.reply()).isTrue();
        takeOutAndClose(cabinet, good.compartment());
        await("parcel PICKED_UP", () -> parcelIn(good.parcelId(), ParcelState.PICKED_UP));
    }

    // =========================================================================================== devices

    private String gatewayUri() {
        return "coap://127.0.0.1:" + coapPort;
    }

    /** A registered, online simulated cabinet with {@code compartments} stock compartments labelled 1…n. */
    private SimulatedCabinet cabinet(String cabinetId, String groupId, int compartments) throws InterruptedException {
        SimulatedCabinet cabinet = SimulatedCabinet.builder()
                .cabinetId(cabinetId).groupId(groupId)
                .vendor("it-sim").model("IT-" + compartments).firmware("1.0.0")
                .compartments(CompartmentSpec.stock(compartments))
                .gateway(gatewayUri())
                .clock(clock.asClock())
                .ackTimeout(Duration.ofMillis(100))
                .requestTimeout(Duration.ofSeconds(3))
                .heartbeatOverride(HEARTBEAT)
                .retry(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
        devices.add(cabinet);
        cabinets.add(cabinet);
        cabinet.start();
        assertThat(cabinet.awaitRegistered(DEADLINE)).as("%s registered", cabinetId).isTrue();
        awaitTrue(cabinetId + " online", () -> queries().cabinets(groupId).stream()
                .anyMatch(c -> c.cabinetId().equals(cabinetId) && c.online()));
        return cabinet;
    }

    /** A kiosk of the group sending from its own loopback address (its keypad, for the lockout). */
    private SimulatedKiosk kiosk(String groupId, String address) {
        SimulatedKiosk kiosk = SimulatedKiosk.builder()
                .kioskId("it-" + groupId + "-" + address).groupId(groupId)
                .gateway(gatewayUri())
                .bind(new InetSocketAddress(address, 0))
                .ackTimeout(Duration.ofMillis(200))
                .requestTimeout(Duration.ofSeconds(20))
                .build();
        devices.add(kiosk);
        kiosk.start();
        return kiosk;
    }

    private static SessionResult signIn(SimulatedKiosk kiosk, String courierId) throws InterruptedException {
        SessionResult session = kiosk.signIn(courierId, PIN);
        assertThat(session.ok()).as("sign-in of %s: %s", courierId, session.reply()).isTrue();
        return session;
    }

    /** The courier puts the parcel in and closes the door; returns the recipient's notification. */
    private PickupNotice putInAndClose(SimulatedCabinet cabinet, DepositResult deposit) throws InterruptedException {
        cabinet.putItem(deposit.compartment());
        cabinet.closeDoor(deposit.compartment());
        assertThat(cabinet.awaitAcked(cabinet.lastSeq(), DEADLINE)).as("door events stored").isTrue();
        return notices.await(deposit.parcelId(), DEADLINE)
                .orElseThrow(() -> new AssertionError("no notification for " + deposit.parcelId() + " in "
                        + notices.file()));
    }

    /** The resident takes the parcel out and closes the door. */
    private static void takeOutAndClose(SimulatedCabinet cabinet, String label) throws InterruptedException {
        cabinet.takeItem(label);
        cabinet.closeDoor(label);
        assertThat(cabinet.awaitAcked(cabinet.lastSeq(), DEADLINE)).as("door events stored").isTrue();
    }

    private static Consent consent(boolean feeTermsAccepted) {
        return new Consent("app", "C-" + WAYBILLS.incrementAndGet(), OffsetDateTime.now(clock.asClock()),
                feeTermsAccepted);
    }

    private static String waybill(String prefix) {
        return prefix + String.format("%010d", WAYBILLS.incrementAndGet());
    }

    /** A well-formed code that is not {@code code} (each scenario's group holds one pickable parcel at a time). */
    private static String wrong(String code, int n) {
        return String.format("%08d", (Long.parseLong(code) + 1 + n) % 100_000_000L);
    }

    /**
     * Moves the gateway clock forward in steps shorter than the offline threshold; after each step every live
     * cabinet of the scenario has had a heartbeat stored at the new time (the second answered heartbeat after the
     * step was sent after it).
     */
    private void advanceClock(Duration total) throws InterruptedException {
        Duration left = total.isNegative() ? Duration.ZERO : total;
        while (!left.isZero()) {
            Duration step = left.compareTo(CLOCK_STEP) > 0 ? CLOCK_STEP : left;
            Map<SimulatedCabinet, Integer> before = new HashMap<>();
            for (SimulatedCabinet cabinet : cabinets) {
                if (cabinet.isRunning() && cabinet.isRegistered() && !cabinet.isOffline()) {
                    before.put(cabinet, cabinet.heartbeats());
                }
            }
            clock.advance(step);
            for (Map.Entry<SimulatedCabinet, Integer> entry : before.entrySet()) {
                awaitTrue(entry.getKey().cabinetId() + " heartbeat after the clock moved",
                        () -> entry.getKey().heartbeats() >= entry.getValue() + 2);
            }
            left = left.minus(step);
        }
    }

    /** POSTs a raw body (content-format JSON) from a fresh endpoint; null when no answer came. */
    private Response rawPost(String path, String body) throws InterruptedException {
        CoapConfig.register();
        UdpConfig.register();
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.ACK_TIMEOUT, 200L, TimeUnit.MILLISECONDS);
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
        try {
            endpoint.start();
            Request request = Request.newPost();
            request.setURI(gatewayUri() + path);
            request.setPayload(body.getBytes(StandardCharsets.UTF_8));
            request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
            endpoint.sendRequest(request);
            Response response = request.waitForResponse(DEADLINE.toMillis());
            if (response == null) {
                request.cancel();
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            endpoint.destroy();
        }
    }

    // =========================================================================================== assertions

    private static void assertWrongCode(PickupResult result, int attemptsLeft) {
        assertThat(result.reply().codeText()).as("%s", result.reply()).isEqualTo("4.03");
        assertThat(result.reply().error()).as("%s", result.reply()).isEqualTo("wrong_code");
        assertThat(result.reply().attemptsLeft()).as("attemptsLeft in %s", result.reply()).isEqualTo(attemptsLeft);
    }

    /** {@code locked} with {@code lockedUntil} = the attempt's time + {@code lock} (the attempt was in between). */
    private static void assertLocked(PickupResult result, Instant before, Instant after, Duration lock) {
        assertThat(result.reply().codeText()).as("%s", result.reply()).isEqualTo("4.29");
        assertThat(result.reply().error()).as("%s", result.reply()).isEqualTo("locked");
        assertThat(result.reply().attemptsLeft()).as("attemptsLeft in %s", result.reply()).isZero();
        assertThat(result.reply().lockedUntil()).as("lockedUntil in %s", result.reply()).isNotNull();
        assertThat(result.reply().lockedUntil().toInstant()).as("lockedUntil in %s", result.reply())
                .isBetween(before.plus(lock).minusMillis(1), after.plus(lock).plusMillis(1));
    }

    private static void assertLockedUntil(PickupResult result, Instant until) {
        assertThat(result.reply().codeText()).as("%s", result.reply()).isEqualTo("4.29");
        assertThat(result.reply().error()).as("%s", result.reply()).isEqualTo("locked");
        assertThat(result.reply().lockedUntil()).as("lockedUntil in %s", result.reply()).isNotNull();
        // the same lock end; the answer that set a parcel lock has the clock's nanoseconds, later answers the stored
        // value (H2 TIMESTAMP, microseconds, rounded): compared at the millisecond resolution of the kiosk API
        assertThat(result.reply().lockedUntil().toInstant()).as("lockedUntil in %s", result.reply())
                .isCloseTo(until, within(1, ChronoUnit.MILLIS));
    }

    private static void assertBadRequest(KioskReply reply, String field) {
        assertThat(reply.codeText()).as("%s", reply).isEqualTo("4.00");
        assertThat(reply.error()).as("%s", reply).isEqualTo("bad_request");
        assertThat(reply.text("field")).as("field in %s", reply).isEqualTo(field);
    }

    // =========================================================================================== the gateway's state

    private LockerQueries queries() {
        return required(LockerQueries.class);
    }

    private AlarmService alarms() {
        return required(AlarmService.class);
    }

    private Parcel parcel(String parcelId) {
        return queries().parcel(parcelId).orElseThrow(() -> new AssertionError("no parcel " + parcelId));
    }

    private Parcel parcelIn(String parcelId, ParcelState state) {
        return queries().parcel(parcelId).filter(p -> p.state() == state).orElse(null);
    }

    private Compartment compartment(String groupId, String label) {
        return queries().compartments(groupId).stream().filter(c -> c.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no compartment " + groupId + "/" + label));
    }

    private Cabinet cabinetRow(String groupId, String cabinetId) {
        return queries().cabinets(groupId).stream().filter(c -> c.cabinetId().equals(cabinetId)).findFirst()
                .orElseThrow(() -> new AssertionError("no cabinet " + cabinetId + " in " + groupId));
    }

    /** The open (active, or cleared and not acknowledged) alarm of that type and subject. */
    private Optional<Alarm> alarm(AlarmType type, String groupId, String cabinetId, String compartment) {
        return alarms().open().stream().filter(a -> a.type() == type && Objects.equals(a.groupId(), groupId)
                && Objects.equals(a.cabinetId(), cabinetId) && Objects.equals(a.compartment(), compartment)
                && a.active()).findFirst();
    }

    private Optional<Alarm> alarmById(long alarmId) {
        return alarms().open().stream().filter(a -> a.alarmId() == alarmId).findFirst();
    }

    /** The states of an alarm's rows on the outbox's ALARMS stream, in order. */
    private List<String> alarmStates(long alarmId) {
        return queries().outbox(1_000_000).stream().filter(e -> e.stream() == OutboxEvent.Stream.ALARMS)
                .map(LockerIT::data).filter(d -> d.path("alarmId").asLong() == alarmId)
                .map(d -> d.path("state").asText()).toList();
    }

    private List<OutboxEvent> outboxOf(String parcelId) {
        return queries().outbox(1_000_000).stream().filter(e -> parcelId.equals(data(e).path("parcelId").asText(null)))
                .toList();
    }

    private List<OutboxEvent> outboxOfCabinet(String cabinetId) {
        return queries().outbox(1_000_000).stream().filter(e -> e.stream() == OutboxEvent.Stream.EVENTS)
                .filter(e -> cabinetId.equals(data(e).path("cabinetId").asText(null))).toList();
    }

    private static OutboxEvent only(List<OutboxEvent> events, String type) {
        List<OutboxEvent> matching = events.stream().filter(e -> e.type().equals(type)).toList();
        assertThat(matching).as("outbox rows of type %s", type).hasSize(1);
        return matching.get(0);
    }

    private static JsonNode data(OutboxEvent event) {
        try {
            return JSON.readTree(event.data());
        } catch (IOException e) {
            throw new AssertionError("outbox data of " + event.type() + " is not JSON: " + event.data(), e);
        }
    }

    // =========================================================================================== OSGi and polling

    private <T> T service(Class<T> type) {
        return Services.service(context, type);
    }

    private <T> T required(Class<T> type) {
        return Services.required(context, type);
    }

    private List<ServiceReference<?>> references(String type, String filter) {
        return Services.references(context, type, filter);
    }

    /** The plain CoAP port the transport bound (port 0 = ephemeral), from its {@code CoapService} registration. */
    private Integer boundCoapPort() {
        for (ServiceReference<?> reference : references(null, "(lockergate.coap.port=*)")) {
            Object port = reference.getProperty("lockergate.coap.port");
            if (port instanceof Integer p && p > 0) {
                return p;
            }
        }
        return null;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        Services.awaitTrue(what, DEADLINE, condition);
    }

    /** Polls until the supplier gives a value (not null) or the deadline passes; fails naming what it waited for. */
    private static <T> T await(String what, Supplier<T> value) throws InterruptedException {
        return Services.await(what, DEADLINE, value);
    }
}
