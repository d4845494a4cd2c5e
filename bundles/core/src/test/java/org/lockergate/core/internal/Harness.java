package org.lockergate.core.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.CompartmentSpec;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Declaration;
import org.lockergate.api.model.GroupInfo;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.Notifier;
import org.lockergate.api.spi.PickupNotification;
import org.lockergate.core.internal.policy.BasicFeePolicy;
import org.lockergate.core.internal.registry.Definitions;

/**
 * A core on a temporary H2 store with a movable clock: groups g1 (幸福里小区 1 号柜组), g2 (≈ 800 m north) and g3
 * (far), companies JT and ZTO with one courier each (PIN 123456, "hashed" by a fake verifier), and cabinet c1 in g1
 * with compartments 1-4 (S), 5-6 (M) and 7 (L) driven by a {@link FakeDriver}.
 */
final class Harness implements AutoCloseable {

    static final Instant START = Instant.parse("2025-03-03T02:00:00Z");
    static final String PIN = "123456";

    final H2Store store;
    final MutableClock clock = new MutableClock(START);
    final List<String> topics = new CopyOnWriteArrayList<>();
    final List<PickupNotification> notified = new CopyOnWriteArrayList<>();
    final Notifier notifier = notified::add;
    final FakeDriver driver = new FakeDriver();
    final Core core;
    final Path dataDir;
    CabinetLink link;
    private long seq;

    Harness(Path dir) throws Exception {
        this(dir, Settings.defaults().withParcelScan(java.time.Duration.ZERO));
    }

    Harness(Path dir, Settings settings) throws Exception {
        store = new H2Store(dir);
        dataDir = dir.resolve("data");
        core = new Core(store, clock, (topic, props) -> topics.add(topic), settings, dataDir, Runnable::run);
        core.policies.fee(new BasicFeePolicy());
        core.sessions.verifier((hash, pin) -> hash.equals("hash:" + new String(pin)));
        core.notifiers.add(notifier);
        core.start();
        core.registry.putGroup(new Definitions.Group("g1", "幸福里小区 1 号柜组", new GroupInfo("幸福里小区",
                "沂源县幸福路 1 号", 36.185, 118.17, "YZ-0001", "0533-1234567", "13900000000"), "幸福里快递驿站"));
        core.registry.putGroup(new Definitions.Group("g2", "幸福里小区 2 号柜组", new GroupInfo("幸福里小区",
                "沂源县幸福路 9 号", 36.1922, 118.17, null, null, null), null));
        core.registry.putGroup(new Definitions.Group("g3", "远处柜组", new GroupInfo(null, null, 36.40, 118.40, null,
                null, null), null));
        core.registry.putCompany(new Definitions.Company("JT", "极兔速递", 40));
        core.registry.putCompany(new Definitions.Company("ZTO", "中通快递", 60));
        core.registry.putCourier(new Definitions.Courier("JT-0001", "JT", "张三", "hash:" + PIN, true));
        core.registry.putCourier(new Definitions.Courier("ZTO-0001", "ZTO", "李四", "hash:" + PIN, true));
        link = attach("c1", "g1", driver, specs("S:1", "S:2", "S:3", "S:4", "M:5", "M:6", "L:7"));
    }

    static List<CompartmentSpec> specs(String... sizeLabels) {
        List<CompartmentSpec> out = new ArrayList<>();
        int channel = 1;
        for (String s : sizeLabels) {
            String[] parts = s.split(":");
            out.add(new CompartmentSpec(parts[1], SizeClass.valueOf(parts[0]), 1, channel++));
        }
        return out;
    }

    CabinetLink attach(String cabinetId, String groupId, FakeDriver driver, List<CompartmentSpec> specs)
            throws LockerException {
        return attach(cabinetId, groupId, driver, specs, 1);
    }

    CabinetLink attach(String cabinetId, String groupId, FakeDriver driver, List<CompartmentSpec> specs, long boot)
            throws LockerException {
        return core.registry.attach(new CabinetDescriptor(cabinetId, groupId, "fake", "F1", "1.0", boot, specs),
                driver);
    }

    /** c1 restarted: it attaches again with {@code boot} (its compartments as before); {@link #link} is the new one. */
    CabinetLink restart(long boot) throws LockerException {
        link = attach("c1", "g1", driver, specs("S:1", "S:2", "S:3", "S:4", "M:5", "M:6", "L:7"), boot);
        return link;
    }

    /** The next seq of c1's boot 1 (as the helpers below number their events). */
    long nextSeq() {
        return ++seq;
    }

    private final Map<String, String> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    /** A signed-in courier's session (one sign-in per courier: PINs are rate limited). */
    String session(String courierId) throws LockerException {
        String session = sessions.get(courierId);
        if (session == null) {
            session = core.kiosk.signIn("g1", courierId, PIN.toCharArray()).session();
            sessions.put(courierId, session);
        }
        return session;
    }

    static DepositRequest request(String session, SizeClass size, String phone, boolean feeTerms) {
        return new DepositRequest(session, "WB" + System.nanoTime(), size, phone,
                new Consent("app", "C-889", START, feeTerms), Declaration.NONE, false);
    }

    DepositResult deposit(SizeClass size, String phone) throws LockerException {
        return core.kiosk.deposit("g1", request(session("JT-0001"), size, phone, true));
    }

    /** Reports events of c1 (boot 1) for one door. */
    long report(CabinetEvent.Type type, String label, boolean value) throws LockerException {
        return link.report(1, List.of(new CabinetEvent(++seq, clock.now(), type, label, value, null)));
    }

    long reportOther(CabinetEvent.Type type, boolean value, String code) throws LockerException {
        return link.report(1, List.of(new CabinetEvent(++seq, clock.now(), type, null, value, code)));
    }

    /** The door closes; the occupancy sensor reports right after it, in the same report. */
    void close(String label, boolean itemPresent) throws LockerException {
        link.report(1, List.of(new CabinetEvent(++seq, clock.now(), CabinetEvent.Type.DOOR, label, true, null),
                new CabinetEvent(++seq, clock.now(), CabinetEvent.Type.OCCUPANCY, label, itemPresent, null)));
    }

    /** A full deposit (door opens, parcel in, door closes); returns the parcel id. */
    String deposited(SizeClass size, String phone) throws LockerException {
        DepositResult result = deposit(size, phone);
        close(result.compartment(), true);
        return result.parcelId();
    }

    String codeOf(String parcelId) {
        return notified.stream().filter(n -> n.parcelId().equals(parcelId)).reduce((a, b) -> b).orElseThrow().code();
    }

    Compartment compartment(String label) {
        return core.queries.compartments("g1").stream().filter(c -> c.label().equals(label)).findFirst()
                .orElseThrow();
    }

    Parcel parcel(String parcelId) {
        return core.queries.parcel(parcelId).orElseThrow();
    }

    List<OutboxEvent> outbox(String type) {
        return core.queries.outbox(100_000).stream().filter(e -> e.type().equals(type)).toList();
    }

    List<Alarm> alarms(AlarmType type) {
        return core.alarms.open().stream().filter(a -> a.type() == type).toList();
    }

    Map<String, Object> data(OutboxEvent event) {
        return org.lockergate.core.internal.events.Json.read(event.data());
    }

    @Override
    public void close() {
        core.timers.stop();
        store.close();
    }
}
