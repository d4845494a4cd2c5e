package org.lockergate.vendor.cu48.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.SizeClass;
import org.lockergate.transport.modbus.ModbusBus;
import org.lockergate.transport.modbus.ModbusClient;
import org.lockergate.transport.modbus.ModbusOptions;
import org.lockergate.vendor.lockboard.internal.Baselines;
import org.lockergate.vendor.lockboard.internal.BoardCabinet;
import org.lockergate.vendor.lockboard.internal.CabinetPlan;
import org.lockergate.vendor.lockboard.internal.CabinetRegistry;
import org.lockergate.vendor.lockboard.internal.CompartmentMap;
import org.lockergate.vendor.lockboard.internal.PollSettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CU48 cabinet per factory configuration ({@value Cu48CabinetConfig#FACTORY_PID}): opens its Modbus endpoint,
 * polls its boards and attaches it to the core at the first answer. Deactivated (configuration deleted or changed,
 * bundle stopped or updated, core or transport gone) it detaches the cabinet, which the core then shows offline with
 * its state kept; activated again it attaches with a new boot and reports only what changed meanwhile.
 */
@Component(configurationPid = Cu48CabinetConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = Cu48CabinetConfig.class, factory = true)
public final class Cu48CabinetComponent {

    static final String STOPPING = "vendor bundle stopping";
    private static final Logger LOG = LoggerFactory.getLogger(Cu48CabinetComponent.class);

    @Reference
    CabinetHost host;

    @Reference
    ModbusClient modbus;

    @Reference
    CabinetRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerQueries queries;

    private BoardCabinet cabinet;

    @Activate
    void activate(Cu48CabinetConfig config) {
        BoardCabinet created = create(config, host, modbus, plan -> Baselines.of(queries, plan));
        try {
            registry.add(created);
        } catch (IllegalStateException e) {
            created.close("duplicate configuration");
            throw e;
        }
        cabinet = created;
        cabinet.start();
    }

    @Deactivate
    void deactivate() {
        if (cabinet != null) {
            registry.remove(cabinet);
            cabinet.close(STOPPING);
            LOG.info("CU48 柜子 {} 已断开 / CU48 cabinet {} detached", cabinet.cabinetId(), cabinet.cabinetId());
        }
    }

    /** Builds the cabinet from its configuration (validated: a bad one fails activation with a clear message). */
    static BoardCabinet create(Cu48CabinetConfig config, CabinetHost host, ModbusClient modbus,
            java.util.function.Function<CabinetPlan, java.util.Map<String, org.lockergate.vendor.lockboard.internal.Sensors>> baseline) {
        CabinetPlan plan = plan(config);
        ModbusOptions options = ModbusOptions.DEFAULTS.withTimeout(Duration.ofMillis(config.timeoutMs()))
                .withRetries(config.retries());
        PollSettings settings = new PollSettings(Duration.ofMillis(config.pollIntervalMs()),
                config.offlineAfterMissedPolls(), Duration.ofSeconds(config.openWindowSeconds()),
                Duration.ofMillis(config.verifyIntervalMs()));
        ModbusBus bus = modbus.open(required(config.host(), "host"), config.port(), options);
        return new BoardCabinet(plan, new Cu48Io(bus), host, baseline, settings);
    }

    static CabinetPlan plan(Cu48CabinetConfig config) {
        List<Integer> boards = Arrays.stream(config.boards() == null ? new int[0] : config.boards()).boxed()
                .distinct().toList();
        if (boards.isEmpty() || boards.stream().anyMatch(b -> b < 1 || b > 247)) {
            throw new IllegalArgumentException("boards: 1-247, at least one: " + boards);
        }
        return new CabinetPlan(required(config.cabinetId(), "cabinetId"), required(config.groupId(), "groupId"),
                Cu48VendorComponent.VENDOR, required(config.model(), "model"), boards,
                CompartmentMap.parse(config.compartments(), boards, Cu48Io.CHANNELS,
                        SizeClass.parse(config.defaultSize())));
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value.strip();
    }
}
