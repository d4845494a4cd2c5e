package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Declaration;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.CabinetDriverFactory;
import org.lockergate.api.spi.Notifier;
import org.lockergate.devices.coap.NotificationLogTailer;
import org.lockergate.devices.coap.PickupNotice;
import org.lockergate.devices.lockboards.Cu48Simulator;
import org.lockergate.devices.lockboards.KerongSimulator;
import org.lockergate.devices.lockboards.LockBoard;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 5, the lock-board vendors in a real Felix (features framework, web, locker, coap, vendor-cu48,
 * vendor-kerong) against the simulators over real TCP on loopback, configured through ConfigurationAdmin factory
 * configurations as an integrator would:
 * <ul>
 * <li>a CU48 cabinet {@code g1-cu48} in group {@code g1} with two boards (unit 1: A01–A48 size M; unit 2: B01–B48
 * size L, so the parcel size picks the board);</li>
 * <li>a Kerong KR-CU16 cabinet {@code g2-kerong} in group {@code g2} with one board (DIP address 0 = board 1,
 * K01–K16 size M).</li>
 * </ul>
 * Covered here (the unit tests cover the engines against the simulators without the core; VendorHotSwapIT the hot
 * swap): door and item events reach the core and drive the parcel life cycle, unlock → verify, a jam → FAULT with a
 * {@code door_jammed} alarm, a dead board while the other board of the cabinet keeps working, garbage on the wire.
 * The gateway's own clock is used; each scenario uses its own compartments, so the order does not matter.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LockBoardsIT {

    static final List<String> FEATURES = List.of("framework", "web", "locker", "coap", "vendor-cu48",
            "vendor-kerong");
    static final String CU48_GROUP = "g1";
    static final String CU48 = "g1-cu48";
    static final String KERONG_GROUP = "g2";
    static final String KERONG = "g2-kerong";
    static final int KERONG_ADDRESS = 0;
    static final String PIN = "123456";
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private static final AtomicLong WAYBILLS = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L + 7);

    private static Cu48Simulator cu48;
    private static KerongSimulator kerong;
    private static NotificationLogTailer notices;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @org.ops4j.pax.exam.Configuration
    public Option[] configuration() throws IOException {
        return Distribution.withLockBoards(FEATURES, "lockergate-lockboardsit");
    }

    @Before
    public void gatewayReady() throws Exception {
        synchronized (LockBoardsIT.class) {
            if (cu48 == null) {
                setUpOnce();
            }
        }
        awaitTrue("both cabinets online", () -> online(CU48_GROUP, CU48) && online(KERONG_GROUP, KERONG));
    }

    private void setUpOnce() throws Exception {
        awaitTrue("the core's services", () -> service(LockerQueries.class) != null
                && service(KioskService.class) != null && service(AlarmService.class) != null);
        // the demo's groups, companies, couriers (PIN 123456) and the development notifier, dropped into deploy/ once
        // the core runs: dropped before the start, fileinstall's creation of a factory configuration could race the
        // core's first activation (seen once under load: a group entry activated without its groupId, never retried)
        Path deploy = Path.of(context.getProperty("lockergate.deploy"));
        try (Stream<Path> demo = Files.list(Distribution.home().resolve("conf/demo"))) {
            for (Path file : demo.toList()) {
                if (file.getFileName().toString().startsWith("org.lockergate.core.")) {
                    Path part = deploy.resolveSibling(file.getFileName() + ".part"); // not in deploy/
                    Files.copy(file, part);
                    Files.move(part, deploy.resolve(file.getFileName().toString()),
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        for (String vendor : List.of("cu48", "kerong")) {
            awaitTrue("the " + vendor + " driver factory", () -> !references(CabinetDriverFactory.class.getName(),
                    "(" + CabinetDriverFactory.VENDOR + "=" + vendor + ")").isEmpty());
        }
        awaitTrue("the development notifier", () -> !references(Notifier.class.getName(), null).isEmpty());
        awaitTrue("the demo couriers", () -> references("org.lockergate.core.internal.registry.CourierEntry", null)
                .size() >= 3);
        awaitTrue("groups g1 and g2", () -> queries().group(CU48_GROUP).isPresent()
                && queries().group(KERONG_GROUP).isPresent());

        Cu48Simulator startedCu48 = Cu48Simulator.start(0, 1, 2);
        KerongSimulator startedKerong = KerongSimulator.start(0, KERONG_ADDRESS);

        Dictionary<String, Object> cu48Config = new Hashtable<>();
        cu48Config.put("cabinetId", CU48);
        cu48Config.put("groupId", CU48_GROUP);
        cu48Config.put("host", "127.0.0.1");
        cu48Config.put("port", startedCu48.port());
        cu48Config.put("boards", new int[] {1, 2});
        cu48Config.put("compartments", new String[] {"1:1-48=A01:M", "2:1-48=B01:L"});
        cu48Config.put("openWindowSeconds", 1); // R13 window short, so a jam is seen quickly
        configAdmin.getFactoryConfiguration("org.lockergate.vendor.cu48.cabinet", CU48, "?").update(cu48Config);

        Dictionary<String, Object> kerongConfig = new Hashtable<>();
        kerongConfig.put("cabinetId", KERONG);
        kerongConfig.put("groupId", KERONG_GROUP);
        kerongConfig.put("host", "127.0.0.1");
        kerongConfig.put("port", startedKerong.port());
        kerongConfig.put("boards", new int[] {KERONG_ADDRESS + 1});
        kerongConfig.put("compartments", new String[] {"1:1-16=K01:M"});
        configAdmin.getFactoryConfiguration("org.lockergate.vendor.kerong.cabinet", KERONG, "?")
                .update(kerongConfig);

        Path log = Path.of(context.getProperty("lockergate.data"), "logs", "notifications.log");
        notices = new NotificationLogTailer(log, Duration.ofMillis(25)).start();
        kerong = startedKerong;
        cu48 = startedCu48;
        awaitTrue("both cabinets online", () -> online(CU48_GROUP, CU48) && online(KERONG_GROUP, KERONG));
        assertThat(cabinet(CU48_GROUP, CU48).vendor()).isEqualTo("cu48");
        assertThat(cabinet(CU48_GROUP, CU48).firmware()).isEqualTo("1.5");
        assertThat(cabinet(KERONG_GROUP, KERONG).vendor()).isEqualTo("kerong");
        assertThat(cabinet(KERONG_GROUP, KERONG).model()).isEqualTo("KR-CU16");
        assertThat(compartments(CU48_GROUP, CU48)).hasSize(96);
        assertThat(compartments(KERONG_GROUP, KERONG)).hasSize(16);
    }

    // =========================================================================================== scenarios

    @Test
    public void kerong_door_and_item_events_reach_the_core_and_unlocks_are_verified_by_the_lock_bits()
            throws Exception {
        Deposited parcel = depositAndClose(KERONG_GROUP, KERONG, SizeClass.M, kerongBoard());
        assertThat(parcel.label).startsWith("K");
        Compartment row = compartment(KERONG_GROUP, parcel.label);
        assertThat(row.doorClosed()).isTrue();
        assertThat(row.itemPresent()).as("the item bit reached the core").isTrue();

        // the door opened by hand and shut again: both edges reach the core's compartment row
        kerongBoard().door(parcel.channel, false);
        await("door open in the core", () -> compartment(KERONG_GROUP, parcel.label).doorClosed() ? null : true);
        kerongBoard().door(parcel.channel, true);
        await("door closed in the core", () -> compartment(KERONG_GROUP, parcel.label).doorClosed() ? true : null);
        assertThat(parcel(parcel.parcelId).state()).as("opening by hand picks nothing up")
                .isEqualTo(ParcelState.DEPOSITED);

        pickUpAndClose(KERONG_GROUP, parcel, kerongBoard());
    }

    @Test
    public void a_jammed_cu48_door_makes_the_compartment_fault_with_a_door_jammed_alarm() throws Exception {
        Deposited parcel = depositAndClose(CU48_GROUP, CU48, SizeClass.M, cu48Board(1));
        int pulses = cu48Board(1).unlocks(parcel.channel);
        Instant from = Instant.now().minusMillis(1);
        cu48Board(1).jam(parcel.channel, true);

        long start = System.nanoTime();
        LockerException jammed = pickupRefused(CU48_GROUP, parcel.code);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(jammed.code()).as("%s", jammed.getMessage()).isEqualTo("door_jammed");
        assertThat(took).as("the 1 s open window, then the answer").isBetween(Duration.ofMillis(900),
                Duration.ofSeconds(5));
        assertThat(cu48Board(1).unlocks(parcel.channel)).as("one pulse, never repeated").isEqualTo(pulses + 1);
        assertThat(cu48Board(1).doorClosed(parcel.channel)).isTrue();

        Compartment row = compartment(CU48_GROUP, parcel.label);
        assertThat(row.state()).isEqualTo(CompartmentState.FAULT);
        assertThat(row.parcelId()).as("the parcel waits for staff").isEqualTo(parcel.parcelId);
        assertThat(parcel(parcel.parcelId).state()).isEqualTo(ParcelState.DEPOSITED);
        Alarm alarm = openAlarm(AlarmType.DOOR_JAMMED, CU48_GROUP, parcel.label)
                .orElseThrow(() -> new AssertionError("no door_jammed alarm in " + alarms().open()));
        assertThat(alarm.cabinetId()).isEqualTo(CU48);
        // the board's own fault bit 0 reached the core as a FAULT event too
        await("the board's fault bit in the audit", () -> audit(from).stream()
                .filter(a -> a.action().equals("cabinet.fault") && "door_jammed".equals(a.detail())).findFirst()
                .orElse(null));
        Thread.sleep(600);
        assertThat(cu48Board(1).unlocks(parcel.channel)).as("still one pulse").isEqualTo(pulses + 1);
        cu48Board(1).jam(parcel.channel, false).clearFaults();
    }

    @Test
    public void a_dead_cu48_board_goes_offline_while_the_other_board_of_the_cabinet_keeps_working()
            throws Exception {
        Deposited large = depositAndClose(CU48_GROUP, CU48, SizeClass.L, cu48Board(2));
        assertThat(large.label).as("size L lives on board 2").startsWith("B");
        int pulses = cu48Board(2).unlocks(large.channel);

        cu48Board(2).fault(LockBoard.Fault.OFFLINE);
        Alarm offline = await("board_offline alarm", () -> openAlarm(AlarmType.BOARD_OFFLINE, CU48_GROUP, null)
                .filter(a -> CU48.equals(a.cabinetId())).orElse(null));
        assertThat(offline.active()).isTrue();
        assertThat(online(CU48_GROUP, CU48)).as("board 1 still answers: the cabinet stays online").isTrue();

        // board 1 keeps working: a whole deposit and pickup while board 2 is dead
        long start = System.nanoTime();
        Deposited medium = depositAndClose(CU48_GROUP, CU48, SizeClass.M, cu48Board(1));
        assertThat(medium.label).startsWith("A");
        pickUpAndClose(CU48_GROUP, medium, cu48Board(1));
        Duration cycle = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("[LockBoardsIT] deposit+pickup on board 1 with board 2 dead: %d ms%n", cycle.toMillis());

        // the parcel on the dead board: refused at once as unavailable, no pulse, nothing changes
        start = System.nanoTime();
        LockerException refused = pickupRefused(CU48_GROUP, large.code);
        assertThat(refused.code()).as("%s", refused.getMessage()).isEqualTo("unavailable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(cu48Board(2).unlocks(large.channel)).isEqualTo(pulses);
        assertThat(parcel(large.parcelId).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(compartment(CU48_GROUP, large.label).state()).isEqualTo(CompartmentState.OCCUPIED);

        // the board comes back: the alarm clears, the same code opens the door once
        cu48Board(2).fault(LockBoard.Fault.NONE);
        await("board_offline cleared", () -> alarms().open().stream()
                .filter(a -> a.alarmId() == offline.alarmId() && !a.active()).findFirst().orElse(null));
        pickUpAndClose(CU48_GROUP, large, cu48Board(2));
    }

    @Test
    public void garbage_on_the_wire_is_skipped_and_both_vendors_keep_working() throws Exception {
        // Kerong: noise and a corrupt frame before every answer; the codec resynchronises on each real frame
        int noiseBefore = kerong.badChecksums();
        kerongBoard().fault(LockBoard.Fault.GARBAGE);
        Deposited viaNoise = depositAndClose(KERONG_GROUP, KERONG, SizeClass.M, kerongBoard());
        pickUpAndClose(KERONG_GROUP, viaNoise, kerongBoard());
        assertThat(online(KERONG_GROUP, KERONG)).isTrue();
        assertThat(kerong.badChecksums()).as("our frames were all well formed").isEqualTo(noiseBefore);
        kerongBoard().fault(LockBoard.Fault.NONE);

        // CU48: answers with a wrong transaction id plus junk; they are refused (never misread as doors), the board
        // goes offline, and once the line is clean again everything works on a fresh connection
        Deposited before = depositAndClose(CU48_GROUP, CU48, SizeClass.M, cu48Board(1));
        Instant from = Instant.now().minusMillis(1);
        int connections = cu48.connectionsAccepted();
        cu48Board(1).fault(LockBoard.Fault.GARBAGE);
        await("board_offline while the answers are garbage", () -> openAlarm(AlarmType.BOARD_OFFLINE, CU48_GROUP,
                null).filter(a -> CU48.equals(a.cabinetId()) && a.active()).orElse(null));
        cu48Board(1).fault(LockBoard.Fault.NONE);
        await("board_offline cleared after the garbage", () -> openAlarm(AlarmType.BOARD_OFFLINE, CU48_GROUP, null)
                .filter(a -> CU48.equals(a.cabinetId()) && a.active()).isEmpty() ? true : null);
        System.out.printf("[LockBoardsIT] CU48 garbage: %d new connection(s) to the simulator%n",
                cu48.connectionsAccepted() - connections);
        // nothing was misread while the line carried garbage
        assertThat(audit(from)).filteredOn(a -> a.action().equals("compartment.forced_open")).isEmpty();
        assertThat(parcel(before.parcelId).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(compartment(CU48_GROUP, before.label).doorClosed()).isTrue();
        pickUpAndClose(CU48_GROUP, before, cu48Board(1));
    }

    // =========================================================================================== steps

    record Deposited(String parcelId, String label, int channel, String code) {
    }

    /** A courier deposits; the door opens on the board; the item goes in and the door closes: DEPOSITED, notified. */
    private Deposited depositAndClose(String groupId, String cabinetId, SizeClass size, LockBoard board)
            throws Exception {
        CourierSession session = kiosk().signIn(groupId, "ZTO-0001", PIN.toCharArray());
        String waybill = "ZT" + String.format("%010d", WAYBILLS.incrementAndGet());
        DepositResult deposit = kiosk().deposit(groupId, new DepositRequest(session.session(), waybill, size,
                "13800005678", new Consent("app", "C-" + WAYBILLS.incrementAndGet(), Instant.now(), true),
                Declaration.NONE, false));
        assertThat(deposit.cabinetId()).isEqualTo(cabinetId);
        assertThat(deposit.unlock()).as("%s", deposit).isEqualTo("opened");
        Compartment row = compartment(groupId, deposit.compartment());
        int channel = row.channel();
        assertThat(board.doorClosed(channel)).as("the unlock reached the board and the door is open").isFalse();
        assertThat(parcel(deposit.parcelId()).state()).isEqualTo(ParcelState.RESERVED);

        board.item(channel, true);
        board.door(channel, true);
        await("parcel DEPOSITED", () -> parcelIn(deposit.parcelId(), ParcelState.DEPOSITED));
        PickupNotice notice = notices.await(deposit.parcelId(), DEADLINE)
                .orElseThrow(() -> new AssertionError("no notification for " + deposit.parcelId()));
        assertThat(notice.compartment()).isEqualTo(deposit.compartment());
        assertThat(compartment(groupId, deposit.compartment()).state()).isEqualTo(CompartmentState.OCCUPIED);
        return new Deposited(deposit.parcelId(), deposit.compartment(), channel, notice.code());
    }

    /** The code opens the door with one pulse; the item is taken and the door closes: PICKED_UP, compartment FREE. */
    private void pickUpAndClose(String groupId, Deposited parcel, LockBoard board) throws Exception {
        int pulses = board.unlocks(parcel.channel);
        PickupResult pickup = kiosk().pickup(groupId, parcel.code, null, "it-" + parcel.parcelId);
        assertThat(pickup.compartment()).isEqualTo(parcel.label);
        assertThat(pickup.unlock()).isEqualTo("opened");
        assertThat(board.doorClosed(parcel.channel)).isFalse();
        assertThat(board.unlocks(parcel.channel)).as("exactly one pulse").isEqualTo(pulses + 1);
        board.item(parcel.channel, false);
        board.door(parcel.channel, true);
        await("parcel PICKED_UP", () -> parcelIn(parcel.parcelId, ParcelState.PICKED_UP));
        await("compartment FREE", () -> compartment(groupId, parcel.label).state() == CompartmentState.FREE
                ? true : null);
    }

    private LockerException pickupRefused(String groupId, String code) {
        try {
            PickupResult result = kiosk().pickup(groupId, code, null, "it-refused-" + code.hashCode());
            throw new AssertionError("pickup answered " + result);
        } catch (LockerException e) {
            return e;
        }
    }

    // =========================================================================================== state

    private LockBoard cu48Board(int unit) {
        return cu48.board(unit);
    }

    private LockBoard kerongBoard() {
        return kerong.board(KERONG_ADDRESS);
    }

    private KioskService kiosk() {
        return required(KioskService.class);
    }

    private LockerQueries queries() {
        return required(LockerQueries.class);
    }

    private AlarmService alarms() {
        return required(AlarmService.class);
    }

    private Optional<Alarm> openAlarm(AlarmType type, String groupId, String label) {
        return alarms().open().stream().filter(a -> a.type() == type && groupId.equals(a.groupId()) && a.active())
                .filter(a -> label == null || label.equals(a.compartment())).findFirst();
    }

    private List<AuditEntry> audit(Instant from) {
        return queries().audit(from, 100_000);
    }

    private boolean online(String groupId, String cabinetId) {
        return queries().cabinets(groupId).stream().anyMatch(c -> c.cabinetId().equals(cabinetId) && c.online());
    }

    private Cabinet cabinet(String groupId, String cabinetId) {
        return queries().cabinets(groupId).stream().filter(c -> c.cabinetId().equals(cabinetId)).findFirst()
                .orElseThrow(() -> new AssertionError("no cabinet " + cabinetId));
    }

    private List<Compartment> compartments(String groupId, String cabinetId) {
        return queries().compartments(groupId).stream().filter(c -> c.cabinetId().equals(cabinetId)).toList();
    }

    private Parcel parcel(String parcelId) {
        return queries().parcel(parcelId).orElseThrow(() -> new AssertionError("no parcel " + parcelId));
    }

    private Parcel parcelIn(String parcelId, ParcelState state) {
        return queries().parcel(parcelId).filter(p -> p.state() == state).orElse(null);
    }

    private Compartment compartment(String groupId, String label) {
        return queries().compartments(groupId).stream().filter(c -> c.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no compartment " + label));
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

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        Services.awaitTrue(what, DEADLINE, condition);
    }

    private static <T> T await(String what, Supplier<T> value) throws InterruptedException {
        return Services.await(what, DEADLINE, value);
    }
}
