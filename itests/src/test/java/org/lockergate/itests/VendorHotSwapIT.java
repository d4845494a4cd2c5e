package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.net.URISyntaxException;
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
import org.osgi.framework.InvalidSyntaxException;
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
        Path work = Files.createTempDirectory("lockergate-hotswapit");
        Path home = Distribution.home();
        Path data = Files.createDirectories(work.resolve("data"));
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        // the demo's groups, companies, couriers (PIN 123456) and the development notifier
        try (Stream<Path> demo = Files.list(home.resolve("conf/demo"))) {
            for (Path file : demo.toList()) {
                if (file.getFileName().toString().startsWith("org.lockergate.core.")) {
                    Files.copy(file, deploy.resolve(file.getFileName().toString()));
                }
            }
        }
        List<Option> options = new ArrayList<>(Distribution.frameworkOptions(FEATURES, home.resolve("features"),
                home.resolve("system"), data, deploy, Distribution.freePort()));
        // NotificationLogTailer (reads the development notifier's log)
        options.add(bundle(jarIn(home.resolve("system/org/lockergate/org.lockergate.devices.coap")).toUri()
                .toString()).startLevel(10).start(true));
        // the lock board simulators: an OSGi bundle, but not in the distribution's system folder
        options.add(bundle(lockboardsJar().toUri().toString()).startLevel(10).start(true));
        options.add(frameworkProperty("lockergate.coap.port").value("0"));
        options.add(frameworkProperty("lockergate.coaps.port").value("0"));
        return options.toArray(new Option[0]);
    }

    private static Path jarIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().contains("standalone"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no bundle in " + dir));
        }
    }

    /** The lockboards jar on the test class path (a test dependency of itests). */
    private static Path lockboardsJar() {
        try {
            Path jar = Path.of(Cu48Simulator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the lockboards simulator is not a jar here: " + jar
                        + " (mvn -pl devices/lockboards install)");
            }
            return jar;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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
        try {
            PickupResult result = kiosk().pickup(GROUP, code, null, null);
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
        ServiceReference<T> reference = context.getServiceReference(type);
        return reference == null ? null : context.getService(reference);
    }

    private <T> T required(Class<T> type) {
        T service = service(type);
        if (service == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service");
        }
        return service;
    }

    private List<ServiceReference<?>> references(String type, String filter) {
        try {
            ServiceReference<?>[] references = context.getServiceReferences(type, filter);
            return references == null ? List.of() : List.of(references);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
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
        await(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    private static <T> T await(String what, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            T result = value.get();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
