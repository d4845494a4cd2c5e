package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.FixMethodOrder;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.PickupResult;
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
import org.lockergate.devices.lockboards.LockBoard;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 5, hot swap of a vendor bundle in a real Felix (features framework, web, locker, coap, vendor-cu48) against
 * the CU48 Modbus TCP simulator over real TCP on loopback: one CU48 cabinet of the demo group {@code g1}, configured
 * through ConfigurationAdmin; a parcel deposited through {@link KioskService}; then the {@code vendor-cu48} bundle is
 * stopped (the cabinet goes offline at once, the parcel stays DEPOSITED, a pickup answers {@code unavailable} and no
 * pulse reaches the board) and started again (the cabinet is back, the same code opens the door once, the parcel
 * ends PICKED_UP). The same with {@code Bundle.update()} from the same jar. The gateway's own clock is used.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class VendorHotSwapIT {

    static final List<String> FEATURES = List.of("framework", "web", "locker", "coap", "vendor-cu48");
    static final String VENDOR_BSN = "org.lockergate.vendor.cu48";
    static final String GROUP = "g1";
    static final String CABINET = "g1-cu48";
    static final int UNIT = 1;
    static final String PIN = "123456";
    static final Duration DEADLINE = Duration.ofSeconds(10);
    /** Asserted bound of the re-attach; DESIGN.md says "within 1 s", which is reported, not asserted. */
    static final Duration REATTACH_LIMIT = Duration.ofSeconds(5);

    private static final AtomicLong WAYBILLS = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L);

    // set up once inside the framework (the probe's copy of the class)
    private static Cu48Simulator simulator;
    private static NotificationLogTailer notices;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @org.ops4j.pax.exam.Configuration
    public Option[] configuration() throws IOException {
        return Distribution.withLockBoards(FEATURES, "lockergate-hotswapit");
    }

    @Before
    public void gatewayReady() throws Exception {
        synchronized (VendorHotSwapIT.class) {
            if (simulator == null) {
                setUpOnce();
            }
        }
        // every scenario starts with the vendor bundle active and the cabinet online
        assertThat(vendorBundle().getState()).isEqualTo(Bundle.ACTIVE);
        awaitTrue("cabinet " + CABINET + " online", () -> cabinetOnline());
    }

    private void setUpOnce() throws Exception {
        awaitTrue("the core's services", () -> service(LockerQueries.class) != null
                && service(KioskService.class) != null);
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
        awaitTrue("the cu48 driver factory", () -> !references(CabinetDriverFactory.class.getName(),
                "(" + CabinetDriverFactory.VENDOR + "=cu48)").isEmpty());
        awaitTrue("the development notifier", () -> !references(Notifier.class.getName(), null).isEmpty());
        awaitTrue("the demo couriers", () -> references("org.lockergate.core.internal.registry.CourierEntry", null)
                .size() >= 3);
        awaitTrue("group " + GROUP, () -> queries().group(GROUP).isPresent());

        Cu48Simulator started = Cu48Simulator.start(0, UNIT);
        started.board(UNIT).openDelay(Duration.ofMillis(50));

        org.osgi.service.cm.Configuration config = configAdmin.getFactoryConfiguration(
                "org.lockergate.vendor.cu48.cabinet", CABINET, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("cabinetId", CABINET);
        properties.put("groupId", GROUP);
        properties.put("host", "127.0.0.1");
        properties.put("port", started.port());
        properties.put("boards", new int[] {UNIT});
        properties.put("compartments", new String[] {UNIT + ":1-48=A01:M"});
        config.update(properties);

        Path log = Path.of(context.getProperty("lockergate.data"), "logs", "notifications.log");
        notices = new NotificationLogTailer(log, Duration.ofMillis(25)).start();
        simulator = started;
        awaitTrue("cabinet " + CABINET + " online", () -> cabinetOnline());
        Cabinet cabinet = cabinetRow();
        assertThat(cabinet.vendor()).isEqualTo("cu48");
        assertThat(cabinet.firmware()).isEqualTo("1.5");
        assertThat(queries().compartments(GROUP).stream().filter(c -> c.cabinetId().equals(CABINET)))
                .hasSize(48);
    }

    // =========================================================================================== scenarios

    @Test
    public void a_stopped_vendor_bundle_keeps_the_parcel_answers_unavailable_and_reattaches_when_started()
            throws Exception {
        Deposited parcel = depositAndClose();

        Bundle vendor = vendorBundle();
        Instant swapFrom = Instant.now().minusMillis(1);
        long stopAt = System.nanoTime();
        vendor.stop();
        Duration stopCall = Duration.ofNanos(System.nanoTime() - stopAt);
        assertThat(vendor.getState()).isEqualTo(Bundle.RESOLVED);
        Duration offlineAfter = awaitWithin("cabinet offline after stop", Duration.ofSeconds(1),
                () -> !cabinetOnline(), stopAt);
        System.out.printf("[VendorHotSwapIT] stop: Bundle.stop() took %d ms, cabinet offline %d ms after the call%n",
                stopCall.toMillis(), offlineAfter.toMillis());

        // the state is kept
        assertThat(parcel(parcel.parcelId).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(compartment(parcel.label).state()).isEqualTo(CompartmentState.OCCUPIED);
        assertThat(compartment(parcel.label).parcelId()).isEqualTo(parcel.parcelId);

        // a pickup answers "temporarily unavailable" and sends no pulse
        int pulses = board().unlocks(parcel.channel);
        LockerException refused = pickupRefused(parcel.code);
        assertThat(refused.code()).as("%s", refused.getMessage()).isEqualTo("unavailable");
        assertThat(refused.kind()).isEqualTo(LockerException.Kind.UNAVAILABLE);
        Thread.sleep(300);
        assertThat(board().unlocks(parcel.channel)).as("no pulse while the vendor bundle is stopped")
                .isEqualTo(pulses);
        assertThat(board().doorClosed(parcel.channel)).isTrue();
        assertThat(parcel(parcel.parcelId).state()).isEqualTo(ParcelState.DEPOSITED);
        // nothing changes over a few poll intervals either
        Thread.sleep(1500);
        assertThat(cabinetOnline()).isFalse();
        assertThat(parcel(parcel.parcelId).state()).isEqualTo(ParcelState.DEPOSITED);

        // started again: re-attached within the limit, the same code opens the door once
        long startAt = System.nanoTime();
        vendor.start();
        Duration reattach = awaitWithin("cabinet online after start", REATTACH_LIMIT, this::cabinetOnline, startAt);
        System.out.printf("[VendorHotSwapIT] start: cabinet back online %d ms after Bundle.start() (DESIGN: 1 s)%n",
                reattach.toMillis());
        assertThat(reattach).isLessThan(REATTACH_LIMIT);

        assertDetachedThenAttached(swapFrom);
        pickUpAndClose(parcel, pulses);
    }

    @Test
    public void an_updated_vendor_bundle_keeps_the_parcel_and_reattaches() throws Exception {
        Deposited parcel = depositAndClose();
        int pulses = board().unlocks(parcel.channel);

        Bundle vendor = vendorBundle();
        long before = vendor.getLastModified();
        Instant swapFrom = Instant.now().minusMillis(1);
        long updateAt = System.nanoTime();
        vendor.update(); // from its location: the same jar
        Duration updateCall = Duration.ofNanos(System.nanoTime() - updateAt);
        assertThat(vendor.getLastModified()).isGreaterThanOrEqualTo(before);
        Duration reattach = awaitWithin("cabinet online after update", REATTACH_LIMIT, this::cabinetOnline,
                updateAt);
        System.out.printf("[VendorHotSwapIT] update: Bundle.update() took %d ms, cabinet online %d ms after the call%n",
                updateCall.toMillis(), reattach.toMillis());
        assertThat(vendor.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(reattach).isLessThan(REATTACH_LIMIT);

        assertThat(parcel(parcel.parcelId).state()).isEqualTo(ParcelState.DEPOSITED);
        assertThat(compartment(parcel.label).state()).isEqualTo(CompartmentState.OCCUPIED);
        assertThat(board().unlocks(parcel.channel)).as("the update sent no pulse").isEqualTo(pulses);
        // the update really went through a detach (not just a cabinet that never looked offline)
        assertDetachedThenAttached(swapFrom);

        pickUpAndClose(parcel, pulses);
    }

    /**
     * The issue's main case: three couriers and their residents keep depositing and picking up (deposit → item in →
     * door closed → code → pickup → item out → door closed) while the vendor bundle is stopped, updated to a newer
     * version, started, and then updated in place (back to the distribution's jar) while active. Nothing is lost:
     * every parcel that went in is picked up with its code, no pulse is repeated (pulses on the board lie between the
     * "opened" answers and those plus the failed commands), every command returns (completed or failed, never hung),
     * pickups while the bundle is stopped answer {@code unavailable}, the cabinet is back within the limit after each
     * swap, and health stays UP throughout.
     */
    @Test
    public void deposits_and_pickups_flow_through_a_stop_update_to_a_newer_version_start_and_live_update()
            throws Exception {
        Deposited held = depositAndClose(); // picked up while the bundle is stopped, then after the restart
        int heldPulses = board().unlocks(held.channel);
        int pulsesBefore = totalPulses();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        HealthWatch health = new HealthWatch(problems);
        List<Lane> lanes = List.of(new Lane("JT-0001", problems), new Lane("ZTO-0001", problems),
                new Lane("YUNDA-0001", problems));
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(health, "hotswap-health"));
        for (Lane lane : lanes) {
            threads.add(new Thread(lane, "hotswap-" + lane.courier));
        }
        threads.forEach(Thread::start);
        try {
            awaitTrue("a few cycles before the swap", () -> cycles(lanes) >= 3);
            Bundle vendor = vendorBundle();
            org.osgi.framework.Version original = vendor.getVersion();
            Instant swapFrom = Instant.now().minusMillis(1);

            // 1. stop: offline at once, pickups answer unavailable, no pulse
            long stopAt = System.nanoTime();
            vendor.stop();
            long stopped = System.nanoTime();
            Duration offline = awaitWithin("cabinet offline after stop", Duration.ofSeconds(1),
                    () -> !cabinetOnline(), stopAt);
            int cyclesAtStop = cycles(lanes);
            // the lanes keep trying meanwhile; the held parcel's resident tries every 200 ms for a second
            int heldRefusals = 0;
            for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; heldRefusals++) {
                LockerException refused = pickupRefused(held.code, "held-" + heldRefusals);
                assertThat(refused.code()).as("%s", refused.getMessage()).isEqualTo("unavailable");
                Thread.sleep(200);
            }
            assertThat(board().unlocks(held.channel)).as("no pulse while stopped").isEqualTo(heldPulses);
            int cyclesWhileStopped = cycles(lanes) - cyclesAtStop;

            // 2. update to a newer version while stopped (a jar with a higher Bundle-Version), 3. start
            org.osgi.framework.Version newer = new org.osgi.framework.Version(original.getMajor(),
                    original.getMinor(), original.getMicro() + 1, "hotswap");
            try (java.io.InputStream jar = withVersion(Path.of(new java.net.URI(vendor.getLocation())), newer)) {
                vendor.update(jar);
            }
            assertThat(vendor.getVersion()).isEqualTo(newer);
            assertThat(vendor.getState()).as("an update leaves a stopped bundle stopped").isNotEqualTo(Bundle.ACTIVE);
            long startAt = System.nanoTime();
            vendor.start();
            long started = System.nanoTime();
            Duration back = awaitWithin("cabinet online after start", REATTACH_LIMIT, this::cabinetOnline, startAt);
            int cyclesAtStart = lanes.stream().mapToInt(l -> l.cycles.get()).sum();
            awaitTrue("cycles after the restart", () -> cycles(lanes) >= cyclesAtStart + 3);
            Duration firstPickup = lanes.stream().map(l -> l.firstOpenAfter(startAt)).filter(d -> d != null)
                    .min(Duration::compareTo).orElseThrow();

            // 4. a live update (the bundle ACTIVE, back to the distribution's jar) under the same load
            long updateAt = System.nanoTime();
            vendor.update();
            Duration backAfterUpdate = awaitWithin("cabinet online after the live update", REATTACH_LIMIT,
                    this::cabinetOnline, updateAt);
            assertThat(vendor.getVersion()).isEqualTo(original);
            assertThat(vendor.getState()).isEqualTo(Bundle.ACTIVE);
            int cyclesAtUpdate = cycles(lanes);
            awaitTrue("cycles after the live update", () -> cycles(lanes) >= cyclesAtUpdate + 3);
            System.out.printf("[VendorHotSwapIT] under load: offline %d ms after stop(); back %d ms after start()"
                    + " (first door opened for the stream %d ms after); back %d ms after a live update();"
                    + " %d cycles completed while stopped%n", offline.toMillis(), back.toMillis(), firstPickup.toMillis(),
                    backAfterUpdate.toMillis(), cyclesWhileStopped);

            // stop the stream: each lane finishes the parcel it holds
            lanes.forEach(Lane::finish);
            for (Thread t : threads.subList(1, threads.size())) {
                t.join(30_000);
                assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
            }
            health.stop();
            threads.get(0).join(5_000);

            // the held parcel: still there, one pulse now
            pickUpAndClose(held, heldPulses);
            assertThat(problems).as("problems seen by the lanes and the health watch").isEmpty();

            // pickups attempted wholly while the bundle was stopped all answered unavailable (and there were some)
            List<String> whileStopped = lanes.stream().flatMap(l -> l.pickupsBetween(stopped, startAt).stream())
                    .toList();
            assertThat(whileStopped).as("the lanes' pickups while stopped").allMatch("unavailable"::equals);

            // nothing lost: every parcel that went in came out with its code; no compartment left busy
            List<String> parcels = lanes.stream().flatMap(l -> l.parcels.stream()).toList();
            assertThat(parcels).as("parcels through the swaps").hasSizeGreaterThanOrEqualTo(6).doesNotHaveDuplicates();
            for (String parcelId : parcels) {
                assertThat(parcel(parcelId).state()).as(parcelId).isEqualTo(ParcelState.PICKED_UP);
                assertThat(notices.await(parcelId, DEADLINE)).as("notification of %s", parcelId).isPresent();
            }
            assertThat(queries().compartments(GROUP)).filteredOn(c -> c.cabinetId().equals(CABINET))
                    .extracting(Compartment::state).containsOnly(CompartmentState.FREE);

            // no double unlock: every pulse the board saw is one command, each answered or failed once
            int opened = lanes.stream().mapToInt(l -> l.openedAnswers.get()).sum() + 1; // + the held parcel
            int failed = lanes.stream().mapToInt(l -> l.failedCommands.get()).sum() + heldRefusals;
            int pulses = totalPulses() - pulsesBefore;
            System.out.printf("[VendorHotSwapIT] under load: %d parcels, %d pulses, %d 'opened' answers, %d failed"
                    + " commands, %d pickups refused while stopped%n", parcels.size(), pulses, opened, failed,
                    whileStopped.size() + heldRefusals);
            assertThat(pulses).isBetween(opened, opened + failed);

            // the core's audit: each swap detached the cabinet once and attached it again
            String target = GROUP + "/" + CABINET;
            List<String> actions = queries().audit(swapFrom, 100_000).stream()
                    .filter(a -> target.equals(a.target())).map(AuditEntry::action)
                    .filter(a -> a.equals("cabinet.offline") || a.equals("cabinet.attached")).toList();
            assertThat(actions).containsExactly("cabinet.offline", "cabinet.attached", "cabinet.offline",
                    "cabinet.attached");
            assertThat(back).isLessThan(REATTACH_LIMIT);
            assertThat(backAfterUpdate).isLessThan(REATTACH_LIMIT);
        } finally {
            lanes.forEach(Lane::finish);
            health.stop();
            for (Thread t : threads) {
                t.join(15_000);
            }
            if (vendorBundle().getState() != Bundle.ACTIVE) {
                vendorBundle().start();
            }
        }
    }

    /** The vendor jar with another Bundle-Version (what a newer release of the same bundle looks like). */
    private static java.io.InputStream withVersion(Path jar, org.osgi.framework.Version version) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(Files.newInputStream(jar))) {
            java.util.jar.Manifest manifest = new java.util.jar.Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version.toString());
            try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(bytes, manifest)) {
                for (java.util.jar.JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return new java.io.ByteArrayInputStream(bytes.toByteArray());
    }

    private int totalPulses() {
        int sum = 0;
        for (int channel = 1; channel <= 48; channel++) {
            sum += board().unlocks(channel);
        }
        return sum;
    }

    private static int cycles(List<Lane> lanes) {
        return lanes.stream().mapToInt(l -> l.cycles.get()).sum();
    }

    /** Samples the gateway's health every 50 ms: it must stay UP whatever the vendor bundle does. */
    private final class HealthWatch implements Runnable {
        private final List<String> problems;
        private volatile boolean running = true;

        HealthWatch(List<String> problems) {
            this.problems = problems;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            while (running) {
                org.lockergate.health.HealthService health = service(org.lockergate.health.HealthService.class);
                if (health == null) {
                    problems.add("no HealthService at " + Instant.now());
                } else {
                    org.lockergate.health.HealthReport report = health.check();
                    if (report.status() != org.lockergate.health.HealthStatus.UP) {
                        problems.add("health " + report.status() + " at " + report.checkedAt() + ": " + report.checks()
                                .stream().filter(c -> c.status() != org.lockergate.health.HealthStatus.UP).toList());
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * One courier and the residents of his parcels, in a loop: deposit (item in, door closed), wait for the code,
     * pick up (item out, door closed). A refused or failed step is retried after a short pause, as people do; what
     * was refused is recorded. Each pickup attempt uses its own keypad id: the R9 rate limit (6 attempts a minute
     * per keypad) is tested in LockerIT, not here.
     */
    private final class Lane implements Runnable {
        final String courier;
        final List<String> problems;
        final List<String> parcels = java.util.Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.atomic.AtomicInteger cycles = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger openedAnswers = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger failedCommands = new java.util.concurrent.atomic.AtomicInteger();
        /** pickup attempts: {startNanos, endNanos, outcome} */
        final List<Object[]> pickups = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Long> opens = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running = true;
        private int attempt;

        Lane(String courier, List<String> problems) {
            this.courier = courier;
            this.problems = problems;
        }

        void finish() {
            running = false;
        }

        Duration firstOpenAfter(long nanos) {
            synchronized (opens) {
                return opens.stream().filter(t -> t > nanos).findFirst()
                        .map(t -> Duration.ofNanos(t - nanos)).orElse(null);
            }
        }

        List<String> pickupsBetween(long from, long to) {
            synchronized (pickups) {
                return pickups.stream().filter(p -> (long) p[0] >= from && (long) p[1] <= to)
                        .map(p -> (String) p[2]).toList();
            }
        }

        @Override
        public void run() {
            try {
                CourierSession session = kiosk().signIn(GROUP, courier, PIN.toCharArray());
                while (running) {
                    Deposited parcel = deposit(session);
                    if (parcel != null) {
                        pickUp(parcel);
                        cycles.incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                problems.add(courier + ": " + e);
            }
        }

        /** Returns the deposited parcel, or null when the deposit was refused (then paused). */
        private Deposited deposit(CourierSession session) throws Exception {
            String waybill = courier.substring(0, 2) + String.format("%010d", WAYBILLS.incrementAndGet());
            DepositResult deposit;
            try {
                deposit = kiosk().deposit(GROUP, new DepositRequest(session.session(), waybill, SizeClass.M,
                        "13800001234", new Consent("app", "C-" + WAYBILLS.incrementAndGet(), Instant.now(), true),
                        Declaration.NONE, false));
            } catch (LockerException e) {
                failedCommands.incrementAndGet();
                expectUnavailable("deposit", e);
                Thread.sleep(100);
                return null;
            }
            if ("opened".equals(deposit.unlock())) {
                openedAnswers.incrementAndGet();
            }
            // a deposit that skipped a compartment whose command failed during the swap: that was a command too
            failedCommands.addAndGet(deposit.skipped().size());
            opens.add(System.nanoTime());
            int channel = compartment(deposit.compartment()).channel();
            if (board().doorClosed(channel)) {
                problems.add(courier + ": deposit " + deposit + " answered " + deposit.unlock() + " but the door is shut");
            }
            parcels.add(deposit.parcelId());
            board().item(channel, true);
            board().door(channel, true);
            PickupNotice notice = notices.await(deposit.parcelId(), Duration.ofSeconds(20)).orElse(null);
            if (notice == null) {
                problems.add(courier + ": no code for " + deposit.parcelId() + " in 20 s");
                running = false;
                return null;
            }
            return new Deposited(deposit.parcelId(), deposit.compartment(), channel, notice.code());
        }

        /** Tries until the door opens (the resident comes back), then takes the item and closes the door. */
        private void pickUp(Deposited parcel) throws Exception {
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                long start = System.nanoTime();
                try {
                    PickupResult pickup = kiosk().pickup(GROUP, parcel.code, null, courier + "#" + (++attempt));
                    pickups.add(new Object[] {start, System.nanoTime(), pickup.unlock()});
                    if ("opened".equals(pickup.unlock())) {
                        openedAnswers.incrementAndGet();
                    }
                    opens.add(System.nanoTime());
                    break;
                } catch (LockerException e) {
                    pickups.add(new Object[] {start, System.nanoTime(), e.code()});
                    failedCommands.incrementAndGet();
                    expectUnavailable("pickup of " + parcel.parcelId, e);
                }
                if (System.nanoTime() > giveUp) {
                    problems.add(courier + ": " + parcel.parcelId + " not picked up within 30 s");
                    running = false;
                    return;
                }
                Thread.sleep(100);
            }
            board().item(parcel.channel, false);
            board().door(parcel.channel, true);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parcelIn(parcel.parcelId, ParcelState.PICKED_UP) == null) {
                if (System.nanoTime() > deadline) {
                    problems.add(courier + ": " + parcel.parcelId + " not PICKED_UP 20 s after the door closed");
                    running = false;
                    return;
                }
                Thread.sleep(10);
            }
        }

        private void expectUnavailable(String what, LockerException e) {
            if (e.kind() != LockerException.Kind.UNAVAILABLE) {
                problems.add(courier + ": " + what + " answered " + e.code() + " (" + e.getMessage() + ")");
            }
        }
    }

    // =========================================================================================== steps

    record Deposited(String parcelId, String label, int channel, String code) {
    }

    /** Courier JT-0001 deposits a parcel; the door opens on the board; the item goes in and the door closes. */
    private Deposited depositAndClose() throws Exception {
        CourierSession session = kiosk().signIn(GROUP, "JT-0001", PIN.toCharArray());
        assertThat(session.companyCode()).isEqualTo("JT");
        String waybill = "JT" + String.format("%010d", WAYBILLS.incrementAndGet());
        DepositResult deposit = kiosk().deposit(GROUP, new DepositRequest(session.session(), waybill, SizeClass.M,
                "13800001234", new Consent("app", "C-" + WAYBILLS.incrementAndGet(), Instant.now(), true),
                Declaration.NONE, false));
        assertThat(deposit.cabinetId()).isEqualTo(CABINET);
        assertThat(deposit.unlock()).as("%s", deposit).isEqualTo("opened");
        assertThat(deposit.skipped()).isEmpty();
        int channel = channel(deposit.compartment());
        assertThat(board().doorClosed(channel)).as("the unlock reached the board").isFalse();
        assertThat(board().unlocks(channel)).isGreaterThanOrEqualTo(1);
        assertThat(parcel(deposit.parcelId()).state()).isEqualTo(ParcelState.RESERVED);

        board().item(channel, true);
        board().door(channel, true);
        await("parcel DEPOSITED", () -> parcelIn(deposit.parcelId(), ParcelState.DEPOSITED));
        PickupNotice notice = notices.await(deposit.parcelId(), DEADLINE)
                .orElseThrow(() -> new AssertionError("no notification for " + deposit.parcelId()));
        assertThat(notice.cabinetId()).isEqualTo(CABINET);
        assertThat(notice.compartment()).isEqualTo(deposit.compartment());
        assertThat(compartment(deposit.compartment()).state()).isEqualTo(CompartmentState.OCCUPIED);
        return new Deposited(deposit.parcelId(), deposit.compartment(), channel, notice.code());
    }

    /** The resident's code opens the door (one pulse), the item is taken, the door closes: PICKED_UP. */
    private void pickUpAndClose(Deposited parcel, int pulsesBefore) throws Exception {
        PickupResult pickup = kiosk().pickup(GROUP, parcel.code, null, null);
        assertThat(pickup.parcelId()).isEqualTo(parcel.parcelId);
        assertThat(pickup.cabinetId()).isEqualTo(CABINET);
        assertThat(pickup.compartment()).isEqualTo(parcel.label);
        assertThat(pickup.unlock()).isEqualTo("opened");
        assertThat(board().doorClosed(parcel.channel)).as("the pickup's unlock reached the board").isFalse();
        assertThat(board().unlocks(parcel.channel)).as("exactly one pulse for the pickup").isEqualTo(pulsesBefore + 1);
        assertThat(parcel(parcel.parcelId).state()).as("picked up only when the door closes")
                .isEqualTo(ParcelState.DEPOSITED);

        board().item(parcel.channel, false);
        board().door(parcel.channel, true);
        Parcel pickedUp = await("parcel PICKED_UP", () -> parcelIn(parcel.parcelId, ParcelState.PICKED_UP));
        assertThat(pickedUp.closedAt()).isNotNull();
        await("compartment FREE", () -> compartment(parcel.label).state() == CompartmentState.FREE ? true : null);
        Thread.sleep(300);
        assertThat(board().unlocks(parcel.channel)).as("never repeated").isEqualTo(pulsesBefore + 1);
    }

    /** The core's audit since {@code from}: the cabinet went offline (bundle stopping), then attached again. */
    private void assertDetachedThenAttached(Instant from) {
        String target = GROUP + "/" + CABINET;
        List<AuditEntry> rows = queries().audit(from, 100_000).stream().filter(a -> target.equals(a.target()))
                .toList();
        assertThat(rows).extracting(AuditEntry::action).containsSubsequence("cabinet.offline", "cabinet.attached");
        assertThat(rows).filteredOn(a -> a.action().equals("cabinet.offline")).hasSize(1)
                .allSatisfy(a -> assertThat(a.detail()).isEqualTo("vendor bundle stopping"));
    }

    private LockerException pickupRefused(String code) {
        return pickupRefused(code, null);
    }

    private LockerException pickupRefused(String code, String keypad) {
        try {
            PickupResult result = kiosk().pickup(GROUP, code, null, keypad);
            throw new AssertionError("pickup with the vendor bundle stopped answered " + result);
        } catch (LockerException e) {
            return e;
        }
    }

    /** The board channel of a compartment, as the core stores it (A01 … A48 on board 1, {@code 1:1-48=A01:M}). */
    private int channel(String label) {
        Compartment compartment = compartment(label);
        assertThat(compartment.cabinetId()).isEqualTo(CABINET);
        assertThat(compartment.board()).isEqualTo(UNIT);
        assertThat(compartment.channel()).isEqualTo(Integer.parseInt(label.substring(1)));
        return compartment.channel();
    }

    // =========================================================================================== state

    private LockBoard board() {
        return simulator.board(UNIT);
    }

    private Bundle vendorBundle() {
        return Arrays.stream(context.getBundles()).filter(b -> VENDOR_BSN.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + VENDOR_BSN));
    }

    private KioskService kiosk() {
        return required(KioskService.class);
    }

    private LockerQueries queries() {
        return required(LockerQueries.class);
    }

    private boolean cabinetOnline() {
        return queries().cabinets(GROUP).stream().anyMatch(c -> c.cabinetId().equals(CABINET) && c.online());
    }

    private Cabinet cabinetRow() {
        return queries().cabinets(GROUP).stream().filter(c -> c.cabinetId().equals(CABINET)).findFirst()
                .orElseThrow(() -> new AssertionError("no cabinet " + CABINET));
    }

    private Parcel parcel(String parcelId) {
        return queries().parcel(parcelId).orElseThrow(() -> new AssertionError("no parcel " + parcelId));
    }

    private Parcel parcelIn(String parcelId, ParcelState state) {
        return queries().parcel(parcelId).filter(p -> p.state() == state).orElse(null);
    }

    private Compartment compartment(String label) {
        return queries().compartments(GROUP).stream().filter(c -> c.label().equals(label)).findFirst()
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

    /** Polls until the condition holds; returns the time since {@code sinceNanos}; fails after {@code limit}. */
    private static Duration awaitWithin(String what, Duration limit, BooleanSupplier condition, long sinceNanos)
            throws InterruptedException {
        while (true) {
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - sinceNanos);
            }
            if (System.nanoTime() - sinceNanos > limit.toNanos()) {
                throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        Services.awaitTrue(what, DEADLINE, condition);
    }

    private static <T> T await(String what, Supplier<T> value) throws InterruptedException {
        return Services.await(what, DEADLINE, value);
    }
}
