package org.lockergate.demo.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lockergate.api.locker.CourierSession;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Declaration;
import org.lockergate.api.model.SizeClass;
import org.lockergate.devices.coap.NotificationLogTailer;
import org.lockergate.devices.coap.PickupNotice;
import org.lockergate.devices.lockboards.Cu48Simulator;
import org.lockergate.devices.lockboards.KerongSimulator;
import org.lockergate.devices.lockboards.LockBoard;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's lock-board group (only with {@code --demo}, configuration {@code conf/demo/org.lockergate.demo.lockboards.config}):
 * a third group whose cabinets are a CU48 Modbus TCP board and a Kerong KR-CU16 board, simulated in-process on
 * ephemeral loopback ports and configured through ConfigurationAdmin exactly as an integrator would configure real
 * ones (factory PIDs {@code org.lockergate.vendor.cu48.cabinet} and {@code org.lockergate.vendor.kerong.cabinet}),
 * with a slow courier-and-resident loop through the kiosk service so both vendors show live data. Kept apart from
 * {@link DemoCabinets}: the CoAP traffic generator only plays people in front of CoAP cabinets.
 */
@Component(configurationPid = DemoLockBoards.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = DemoLockBoards.Config.class)
public class DemoLockBoards {

    static final String PID = "org.lockergate.demo.lockboards";
    private static final Logger LOG = LoggerFactory.getLogger(DemoLockBoards.class);

    @ObjectClassDefinition(name = "LockerGate demo lock boards",
            description = "A demo group with simulated CU48 and Kerong lock boards (demo only)")
    public @interface Config {
        @AttributeDefinition(description = "The group created for the lock-board cabinets")
        String groupId() default "g3";

        @AttributeDefinition(description = "Its name")
        String name() default "\u5e78\u798f\u91cc\u5c0f\u533a 3 \u53f7\u67dc\u7ec4";

        @AttributeDefinition(description = "The courier who deposits there (PIN below)")
        String courier() default "YUNDA-0001";

        @AttributeDefinition(description = "The demo couriers' PIN")
        String pin() default "123456";

        @AttributeDefinition(description = "Deposits per minute in the group")
        double depositsPerMinute() default 3;
    }

    private final List<Configuration> created = new ArrayList<>();
    private final ScheduledExecutorService people = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "LockerGate-demo-lockboards");
        t.setDaemon(true);
        return t;
    });
    private final Random random = new Random(2027);
    private final KioskService kiosk;
    private final LockerQueries queries;
    private final Config config;
    private final Cu48Simulator cu48;
    private final KerongSimulator kerong;
    private final NotificationLogTailer codes;
    private CourierSession session;

    @Activate
    public DemoLockBoards(Config config, BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference KioskService kiosk, @Reference LockerQueries queries) throws IOException {
        this.config = config;
        this.kiosk = kiosk;
        this.queries = queries;
        String group = config.groupId();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        cu48 = Cu48Simulator.start(loopback, 0, 1);
        kerong = KerongSimulator.start(loopback, 0, 0);
        try {
            Dictionary<String, Object> g = new Hashtable<>();
            g.put("groupId", group);
            g.put("name", config.name());
            g.put("community", "\u5e78\u798f\u91cc\u5c0f\u533a");
            g.put("address", "\u5c71\u4e1c\u7701\u6dc4\u535a\u5e02\u6c82\u6e90\u53bf\u5e78\u798f\u8def 15 \u53f7");
            g.put("latitude", "36.189");
            g.put("longitude", "118.176");
            g.put("postalFilingNumber", "DEMO-YZ-0003");
            g.put("propertyContact", "0533-3200001");
            g.put("emergencyContact", "0533-3200002");
            g.put("stationName", "\u5e78\u798f\u91cc\u5feb\u9012\u9a7f\u7ad9");
            configure(configAdmin, "org.lockergate.core.group", "demo-" + group, g);

            Dictionary<String, Object> c = new Hashtable<>();
            c.put("cabinetId", group + "-cu48");
            c.put("groupId", group);
            c.put("host", loopback.getHostAddress());
            c.put("port", cu48.port());
            c.put("boards", new int[] {1});
            // small parcels go to the CU48 board, medium and large ones to the Kerong board: both stay busy
            c.put("compartments", new String[] {"1:1-48=A01:S"});
            configure(configAdmin, "org.lockergate.vendor.cu48.cabinet", "demo-" + group + "-cu48", c);

            Dictionary<String, Object> k = new Hashtable<>();
            k.put("cabinetId", group + "-kerong");
            k.put("groupId", group);
            k.put("host", loopback.getHostAddress());
            k.put("port", kerong.port());
            k.put("boards", new int[] {1});
            k.put("compartments", new String[] {"1:1-12=K01:M", "1:13-16=K13:L"});
            configure(configAdmin, "org.lockergate.vendor.kerong.cabinet", "demo-" + group + "-kerong", k);
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
        String data = context.getProperty("lockergate.data");
        codes = new NotificationLogTailer(Path.of(data == null ? "data" : data, "logs", "notifications.log")).start();
        long every = Math.max(5_000, (long) (60_000 / Math.max(0.1, config.depositsPerMinute())));
        people.scheduleWithFixedDelay(this::deposit, 10_000, every, TimeUnit.MILLISECONDS);
        LOG.info("演示柜组 {}：CU48 锁控板 {}，科荣锁控板 {} / Demo group {}: CU48 board on {}, Kerong board on {}", group,
                cu48.endpoint(), kerong.endpoint(), group, cu48.endpoint(), kerong.endpoint());
    }

    private void configure(ConfigurationAdmin configAdmin, String factoryPid, String name,
            Dictionary<String, Object> properties) throws IOException {
        Configuration configuration = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
        configuration.update(properties);
        created.add(configuration);
    }

    /** A courier deposits; the item goes in and the door closes; a resident comes 20–60 s later. */
    private void deposit() {
        String group = config.groupId();
        try {
            if (session == null) {
                session = kiosk.signIn(group, config.courier(), config.pin().toCharArray());
            }
            int r = random.nextInt(100); // the typical stock: S 69 %, M 23 %, L 8 % (R10)
            SizeClass size = r < 69 ? SizeClass.S : r < 92 ? SizeClass.M : SizeClass.L;
            String waybill = "YD" + String.format("%010d", Math.abs(random.nextLong()) % 10_000_000_000L);
            DepositResult result = kiosk.deposit(group, new DepositRequest(session.session(), waybill, size,
                    "1390000" + String.format("%04d", random.nextInt(10_000)), new Consent("app",
                            "DEMO-" + waybill, Instant.now(), true), Declaration.NONE, false));
            LockBoard board = board(result.cabinetId(), result.compartment());
            int channel = channel(result.compartment());
            LOG.info("演示柜组 {}：快递员存入包裹 {}（{}，{}/{}，{}）— demo group {}: courier deposited parcel {} ({}, {}/{}, {})",
                    group, result.parcelId(), size, result.cabinetId(), result.compartment(), result.unlock(), group,
                    result.parcelId(), size, result.cabinetId(), result.compartment(), result.unlock());
            people.schedule(() -> {
                board.item(channel, true);
                board.door(channel, true);
            }, 2, TimeUnit.SECONDS);
            people.schedule(() -> pickup(result.parcelId(), board, channel), 20 + random.nextInt(40),
                    TimeUnit.SECONDS);
        } catch (LockerException e) {
            if ("no_session".equals(e.code())) {
                session = null;
            }
            LOG.info("演示柜组 {} 存件被拒 / Demo group {} deposit refused: {}", group, group, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("演示柜组 {} 存件失败 / Demo group {} deposit failed: {}", group, group, e.toString());
        }
    }

    private void pickup(String parcelId, LockBoard board, int channel) {
        PickupNotice notice = codes.notices().get(parcelId);
        if (notice == null) {
            LOG.info("演示：包裹 {} 还没有取件码 / Demo: no code for parcel {} yet", parcelId, parcelId);
            return;
        }
        try {
            PickupResult result = kiosk.pickup(config.groupId(), notice.code(), null, "demo-lockboards");
            people.schedule(() -> {
                board.item(channel, false);
                board.door(channel, true);
            }, 2, TimeUnit.SECONDS);
            LOG.info("演示柜组 {}：居民取走包裹 {}（{}/{}）— demo group {}: resident picked up parcel {} ({}/{})",
                    config.groupId(), result.parcelId(), result.cabinetId(), result.compartment(), config.groupId(),
                    result.parcelId(), result.cabinetId(), result.compartment());
        } catch (LockerException e) {
            LOG.info("演示柜组 {} 取件被拒 / Demo group {} pickup refused: {}", config.groupId(), config.groupId(),
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("演示取件失败 / Demo pickup failed: {}", e.toString());
        }
    }

    private LockBoard board(String cabinetId, String label) {
        Compartment compartment = compartment(label);
        return cabinetId.endsWith("-cu48") ? cu48.board(compartment.board()) : kerong.board(compartment.board() - 1);
    }

    private int channel(String label) {
        return compartment(label).channel();
    }

    private Compartment compartment(String label) {
        return queries.compartments(config.groupId()).stream().filter(c -> c.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no compartment " + label));
    }

    @Deactivate
    void stop() {
        people.shutdownNow();
        for (Configuration configuration : created) {
            if (!configuration.getFactoryPid().equals("org.lockergate.core.group")) {
                try {
                    configuration.delete(); // the cabinets detach; the group and its records stay
                } catch (IOException | RuntimeException e) {
                    LOG.debug("demo configuration {}: {}", configuration.getPid(), e.toString());
                }
            }
        }
        created.clear();
        if (codes != null) {
            codes.close();
        }
        if (cu48 != null) {
            cu48.close();
        }
        if (kerong != null) {
            kerong.close();
        }
    }
}
