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
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Declaration;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.report.CapacityReports;
import org.lockergate.api.report.GroupCapacity;
import org.lockergate.api.spi.AllocationPolicy;
import org.lockergate.api.spi.CabinetDriverFactory;
import org.lockergate.api.spi.FeePolicy;
import org.lockergate.devices.lockboards.Cu48Simulator;
import org.lockergate.devices.lockboards.LockBoard;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthContributor;
import org.lockergate.health.HealthStatus;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 4: the rules bundle is stopped, started and updated in a real Felix (features framework, web, locker, rules,
 * vendor-cu48; a CU48 Modbus TCP simulator on loopback) while a courier keeps depositing: every deposit succeeds
 * (the core falls back to its built-in policies while the rules bundle is away), a reservation made before the stop
 * completes after it, every parcel stays DEPOSITED in its own compartment, and afterwards the rules' policies
 * (service ranking 100) are in force again — the fee quote states the counted time, which only the rules' policy
 * does. Then capacity planning: a turned-away deposit is recorded, reported and sent to the outbox, and a refused
 * capacity configuration is visible in the health until a valid one replaces it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RulesHotSwapIT {

    static final List<String> FEATURES = List.of("framework", "web", "locker", "rules", "vendor-cu48");
    static final String RULES_BSN = "org.lockergate.rules";
    static final String GROUP = "g1";
    static final String CABINET = "g1-cu48";
    static final int UNIT = 1;
    static final String PIN = "123456";
    static final Duration DEADLINE = Duration.ofSeconds(10);
    static final String RULES_RANKING = "(service.ranking=100)";

    private static final AtomicLong WAYBILLS = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L);

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @org.ops4j.pax.exam.Configuration
    public Option[] configuration() throws IOException {
        Path work = Files.createTempDirectory("lockergate-ruleshotswapit");
        Path home = Distribution.home();
        Path data = Files.createDirectories(work.resolve("data"));
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        try (Stream<Path> demo = Files.list(home.resolve("conf/demo"))) {
            for (Path file : demo.toList()) {
                if (file.getFileName().toString().startsWith("org.lockergate.core.")) {
                    Files.copy(file, deploy.resolve(file.getFileName().toString()));
                }
            }
        }
        List<Option> options = new ArrayList<>(Distribution.frameworkOptions(FEATURES, home.resolve("features"),
                home.resolve("system"), data, deploy, Distribution.freePort()));
        options.add(bundle(Distribution.lockBoardsSimulatorJar().toUri().toString()).startLevel(10).start(true));
        return options.toArray(new Option[0]);
    }

    @Test
    public void deposits_go_on_while_the_rules_bundle_is_stopped_started_and_updated() throws Exception {
        awaitTrue("the core's services", () -> service(LockerQueries.class) != null
                && service(KioskService.class) != null);
        awaitTrue("the cu48 driver factory", () -> !references(CabinetDriverFactory.class.getName(),
                "(" + CabinetDriverFactory.VENDOR + "=cu48)").isEmpty());
        awaitTrue("the demo couriers", () -> references("org.lockergate.core.internal.registry.CourierEntry", null)
                .size() >= 3);
        awaitTrue("group " + GROUP, () -> queries().group(GROUP).isPresent());
        awaitTrue("the rules' policies", this::rulesInForce);
        Cu48Simulator simulator = Cu48Simulator.start(0, UNIT);
        try {
            simulator.board(UNIT).openDelay(Duration.ofMillis(20));
            org.osgi.service.cm.Configuration config = configAdmin.getFactoryConfiguration(
                    "org.lockergate.vendor.cu48.cabinet", CABINET, "?");
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("cabinetId", CABINET);
            properties.put("groupId", GROUP);
            properties.put("host", "127.0.0.1");
            properties.put("port", simulator.port());
            properties.put("boards", new int[] {UNIT});
            properties.put("compartments", new String[] {UNIT + ":1-48=A01:M"});
            config.update(properties);
            awaitTrue("cabinet online", () -> queries().cabinets(GROUP).stream()
                    .anyMatch(c -> c.cabinetId().equals(CABINET) && c.online()));
            run(simulator.board(UNIT));
        } finally {
            simulator.close();
        }
    }

    private void run(LockBoard board) throws Exception {
        Bundle rules = Arrays.stream(context.getBundles()).filter(b -> RULES_BSN.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no bundle " + RULES_BSN));

        // a reservation made under the rules' allocation, its door still open while the bundle stops
        DepositResult open = deposit();
        rules.stop();
        assertThat(rules.getState()).isEqualTo(Bundle.RESOLVED);
        awaitTrue("the core's built-ins in force", () -> !rulesInForce());
        closeWithItem(board, open);

        // a courier keeps depositing while the bundle is started, updated and stopped again
        List<String> deposited = new CopyOnWriteArrayList<>(List.of(open.parcelId()));
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        Thread courier = new Thread(() -> {
            try {
                for (int i = 0; i < 24; i++) {
                    DepositResult d = deposit();
                    closeWithItem(board, d);
                    deposited.add(d.parcelId());
                    done.incrementAndGet();
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "courier");
        courier.start();
        List<String> swaps = new ArrayList<>();
        for (String step : List.of("start", "update", "stop", "start", "update")) {
            int before = done.get();
            awaitTrue("two more deposits before " + step, () -> done.get() >= before + 2 || !courier.isAlive());
            switch (step) {
                case "start" -> rules.start();
                case "update" -> rules.update();
                default -> rules.stop();
            }
            swaps.add(step + " after " + done.get() + " deposits");
        }
        courier.join(Duration.ofSeconds(120).toMillis());
        System.out.printf("[RulesHotSwapIT] %s; %d deposits in all%n", swaps, deposited.size());
        assertThat(failures).as("every deposit went through").isEmpty();
        assertThat(deposited).hasSize(25);

        // every parcel kept: DEPOSITED, in its own compartment
        Set<String> labels = new HashSet<>();
        for (String id : deposited) {
            Parcel p = queries().parcel(id).orElseThrow(() -> new AssertionError("lost parcel " + id));
            assertThat(p.state()).as(id).isEqualTo(ParcelState.DEPOSITED);
            assertThat(labels.add(p.compartment())).as("one parcel per compartment: %s", p.compartment()).isTrue();
            Compartment c = compartment(p.compartment());
            assertThat(c.state()).isEqualTo(CompartmentState.OCCUPIED);
            assertThat(c.parcelId()).isEqualTo(id);
        }
        // the rules are back in force: ranking 100, and the fee quote states the counted time (built-in: null)
        assertThat(rules.getState()).isEqualTo(Bundle.ACTIVE);
        awaitTrue("the rules' policies again", this::rulesInForce);
        Parcel first = queries().parcel(open.parcelId()).orElseThrow();
        Fee fee = required(FeePolicy.class).quote(first, first.depositedAt().plus(Duration.ofHours(1)));
        assertThat(fee.counted()).isEqualTo(Duration.ofHours(1));
        assertThat(fee.feeFen()).isZero();

        capacityPlanning();
    }

    /**
     * The group has only M compartments: an L deposit is turned away (recorded by the core), the rules' capacity
     * report counts it and recommends an L compartment, sends the report to the outbox, and a refused capacity
     * configuration shows in the health check naming its field until a valid one replaces it.
     */
    private void capacityPlanning() throws Exception {
        try {
            kiosk().deposit(GROUP, new DepositRequest(session.session(), "JT" + WAYBILLS.incrementAndGet(),
                    SizeClass.L, "13800001234", new Consent("app", "C-L", Instant.now(), true), Declaration.NONE,
                    false));
            throw new AssertionError("no L compartment in " + GROUP);
        } catch (org.lockergate.api.locker.LockerException e) {
            assertThat(e.code()).isEqualTo("full");
        }
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        CapacityReports capacity = required(CapacityReports.class);
        GroupCapacity report = capacity.capacity(today.minusDays(1), today.plusDays(1), GROUP).get(0);
        GroupCapacity.SizeLine m = report.sizes().get(SizeClass.M.ordinal());
        GroupCapacity.SizeLine l = report.sizes().get(SizeClass.L.ordinal());
        System.out.printf("[RulesHotSwapIT] capacity M %s; L %s%n", m, l);
        assertThat(m.compartments()).isEqualTo(48);
        assertThat(m.deposits()).isGreaterThanOrEqualTo(25);
        assertThat(l.compartments()).isZero();
        assertThat(l.turnedAwayFull()).isEqualTo(1);
        assertThat(l.recommendedExtra()).isEqualTo(1);
        long seq = capacity.publish(today.minusDays(1), today.plusDays(1), "itest");
        assertThat(queries().outbox(100_000)).anySatisfy(e -> {
            assertThat(e.seq()).isEqualTo(seq);
            assertThat(e.type()).isEqualTo("capacity.report");
            assertThat(e.data()).contains("\"groupId\":\"" + GROUP + "\"", "\"turnedAwayFull\":1");
        });

        org.osgi.service.cm.Configuration config = configAdmin.getConfiguration("org.lockergate.rules.capacity", "?");
        Dictionary<String, Object> bad = new Hashtable<>();
        bad.put("maxFullPermille", 5000);
        config.update(bad);
        awaitTrue("the refusal in the health check", () -> rulesHealth()
                .filter(c -> c.status() == HealthStatus.DOWN && c.message().contains("maxFullPermille")).isPresent());
        Dictionary<String, Object> good = new Hashtable<>();
        good.put("maxFullPermille", 50);
        config.update(good);
        awaitTrue("the health check up again", () -> rulesHealth().filter(c -> c.status() == HealthStatus.UP)
                .isPresent());
        assertThat(capacity.capacity(today, today, GROUP).get(0).targetPermille()).isEqualTo(50);
    }

    private java.util.Optional<HealthCheck> rulesHealth() {
        for (ServiceReference<?> ref : references(HealthContributor.class.getName(), null)) {
            Object service = context.getService(ref);
            try {
                if (service instanceof HealthContributor contributor) {
                    HealthCheck check = contributor.check();
                    if (check.name().equals("rules.config")) {
                        return java.util.Optional.of(check);
                    }
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return java.util.Optional.empty();
    }

    private boolean rulesInForce() {
        return !references(AllocationPolicy.class.getName(), RULES_RANKING).isEmpty()
                && !references(FeePolicy.class.getName(), RULES_RANKING).isEmpty();
    }

    /** Signed in once: sign-ins are limited to 6 per minute per courier (R9). */
    private volatile CourierSession session;

    private DepositResult deposit() throws Exception {
        if (session == null) {
            session = kiosk().signIn(GROUP, "JT-0001", PIN.toCharArray());
        }
        String waybill = "JT" + String.format("%010d", WAYBILLS.incrementAndGet());
        DepositResult deposit = kiosk().deposit(GROUP, new DepositRequest(session.session(), waybill, SizeClass.M,
                "13800001234", new Consent("app", "C-" + WAYBILLS.incrementAndGet(), Instant.now(), true),
                Declaration.NONE, false));
        assertThat(deposit.unlock()).as("%s", deposit).isEqualTo("opened");
        return deposit;
    }

    private void closeWithItem(LockBoard board, DepositResult deposit) throws Exception {
        int channel = compartment(deposit.compartment()).channel();
        board.item(channel, true);
        board.door(channel, true);
        await("parcel DEPOSITED", () -> queries().parcel(deposit.parcelId())
                .filter(p -> p.state() == ParcelState.DEPOSITED).orElse(null));
    }

    private KioskService kiosk() {
        return required(KioskService.class);
    }

    private LockerQueries queries() {
        return required(LockerQueries.class);
    }

    private Compartment compartment(String label) {
        return queries().compartments(GROUP).stream().filter(c -> c.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no compartment " + label));
    }

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
