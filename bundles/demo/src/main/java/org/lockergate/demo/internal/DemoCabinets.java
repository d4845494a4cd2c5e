package org.lockergate.demo.internal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lockergate.devices.coap.CompartmentSpec;
import org.lockergate.devices.coap.NotificationLogTailer;
import org.lockergate.devices.coap.SimulatedCabinet;
import org.lockergate.devices.coap.SimulatedKiosk;
import org.lockergate.devices.coap.TrafficGenerator;
import org.lockergate.transport.coap.CoapService;
import org.osgi.framework.BundleContext;
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
 * The demo's cabinets and traffic (only with {@code --demo}: its configuration lives in {@code conf/demo/}). Each
 * group gets simulated CoAP cabinets that register with this gateway over real UDP on loopback, a simulated kiosk,
 * and a traffic generator that signs couriers in, deposits, and picks up with the codes the development notifier
 * writes — so every surface shows live data within a minute. One compartment of the last group is jammed to show
 * the alarm path.
 */
@Component(configurationPid = DemoCabinets.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = DemoCabinets.Config.class)
public class DemoCabinets {

    static final String PID = "org.lockergate.demo";
    private static final Logger LOG = LoggerFactory.getLogger(DemoCabinets.class);

    @ObjectClassDefinition(name = "LockerGate demo", description = "Simulated cabinets and traffic (demo only)")
    public @interface Config {
        @AttributeDefinition(description = "Groups to simulate (configured in the core: org.lockergate.core.group)")
        String[] groups() default {"g1", "g2"};

        @AttributeDefinition(description = "Cabinets per group")
        int cabinetsPerGroup() default 2;

        @AttributeDefinition(description = "Compartments per cabinet")
        int compartmentsPerCabinet() default 24;

        @AttributeDefinition(description = "Courier id per group, in the order of groups (PIN below)")
        String[] couriers() default {"JT-0001", "ZTO-0001"};

        @AttributeDefinition(description = "The demo couriers' PIN")
        String pin() default "123456";

        @AttributeDefinition(description = "Deposits per minute per group")
        double depositsPerMinute() default 6;

        @AttributeDefinition(description = "Share of pickups that first try a wrong code")
        double wrongCodeRate() default 0.15;

        @AttributeDefinition(description = "Share of parcels left in the locker (they go overdue)")
        double longStayRate() default 0.2;
    }

    private final List<AutoCloseable> running = new ArrayList<>();

    @Activate
    public DemoCabinets(Config config, BundleContext context, @Reference CoapService coap) {
        InetSocketAddress gatewayAddress = coap.localAddress(false)
                .orElseThrow(() -> new IllegalStateException("演示需要 CoAP 端口 / The demo needs the plain CoAP endpoint"));
        String gateway = "coap://127.0.0.1:" + gatewayAddress.getPort();
        String data = context.getProperty("lockergate.data");
        Path notifications = Path.of(data == null ? "data" : data, "logs", "notifications.log");
        NotificationLogTailer codes = new NotificationLogTailer(notifications).start();
        running.add(codes);
        Random random = new Random(2026);
        String[] groups = config.groups();
        for (int g = 0; g < groups.length; g++) {
            String group = groups[g];
            List<SimulatedCabinet> cabinets = new ArrayList<>();
            for (int c = 1; c <= config.cabinetsPerGroup(); c++) {
                SimulatedCabinet cabinet = SimulatedCabinet.builder()
                        .cabinetId(group + "-c" + c)
                        .groupId(group)
                        .vendor("lockergate-sim")
                        .model(c == 1 ? "SIM-MASTER-24" : "SIM-SLAVE-24")
                        .firmware("1.0.0")
                        .boot(1 + random.nextInt(50))
                        .compartments(labelled(config.compartmentsPerCabinet(), (c - 1) * config.compartmentsPerCabinet()))
                        .gateway(gateway)
                        .build();
                cabinet.start();
                running.add(cabinet);
                cabinets.add(cabinet);
            }
            if (g == groups.length - 1 && !cabinets.isEmpty()) {
                String jammed = cabinets.get(0).compartmentSpecs().get(0).label();
                cabinets.get(0).jam(jammed);
                LOG.info("演示：{} 的格口 {} 被设为卡住，用来展示告警 / Demo: compartment {} of {} is jammed to show the alarm path",
                        group, jammed, jammed, group);
            }
            SimulatedKiosk kiosk = SimulatedKiosk.builder().kioskId(group + "-kiosk").groupId(group).gateway(gateway)
                    .build();
            kiosk.start();
            running.add(kiosk);
            String courier = config.couriers()[g % config.couriers().length];
            TrafficGenerator traffic = TrafficGenerator.builder()
                    .kiosk(kiosk)
                    .cabinets(cabinets)
                    .codes(codes)
                    .courier(courier, config.pin())
                    .depositsPerMinute(config.depositsPerMinute())
                    .wrongCodeRate(config.wrongCodeRate())
                    .longStayRate(config.longStayRate())
                    .pickupDelay(Duration.ofSeconds(5), Duration.ofSeconds(40))
                    .seed(random.nextLong())
                    .build();
            traffic.start();
            running.add(traffic);
            LOG.info("演示柜组 {} 已启动：{} 个柜子，快递员 {} / Demo group {} started: {} cabinets, courier {}", group,
                    cabinets.size(), courier, group, cabinets.size(), courier);
        }
    }

    /** Stock compartments with door labels continuing across the group's cabinets (1–24, 25–48, …). */
    static List<CompartmentSpec> labelled(int count, int offset) {
        List<CompartmentSpec> specs = new ArrayList<>();
        for (CompartmentSpec spec : CompartmentSpec.stock(count)) {
            specs.add(new CompartmentSpec(Integer.toString(Integer.parseInt(spec.label()) + offset), spec.size(),
                    spec.board(), spec.channel()));
        }
        return specs;
    }

    @Deactivate
    void stop() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warn("Demo: stopping {} failed: {}", running.get(i), e.toString());
            }
        }
        running.clear();
    }
}
