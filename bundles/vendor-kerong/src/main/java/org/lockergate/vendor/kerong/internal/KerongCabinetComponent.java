package org.lockergate.vendor.kerong.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.SizeClass;
import org.lockergate.vendor.lockboard.internal.Baselines;
import org.lockergate.vendor.lockboard.internal.BoardCabinet;
import org.lockergate.vendor.lockboard.internal.CabinetPlan;
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
 * One Kerong cabinet per factory configuration ({@value KerongCabinetConfig#FACTORY_PID}); the same life cycle as
 * the CU48 cabinets: attach at the first answer, detach on deactivation (the core keeps the state), re-attach with a
 * new boot.
 */
@Component(configurationPid = KerongCabinetConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = KerongCabinetConfig.class, factory = true)
public final class KerongCabinetComponent {

    static final String STOPPING = "vendor bundle stopping";
    private static final Logger LOG = LoggerFactory.getLogger(KerongCabinetComponent.class);

    @Reference
    CabinetHost host;

    @Reference
    KerongVendorComponent vendor;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerQueries queries;

    private BoardCabinet cabinet;

    @Activate
    void activate(KerongCabinetConfig config) {
        CabinetPlan plan = plan(config);
        KerongBus.Options options = new KerongBus.Options(Duration.ofMillis(config.timeoutMs()), config.retries(), 64,
                Duration.ofMillis(250), Duration.ofSeconds(10));
        PollSettings settings = new PollSettings(Duration.ofMillis(config.pollIntervalMs()),
                config.offlineAfterMissedPolls(), Duration.ofSeconds(config.openWindowSeconds()),
                Duration.ofMillis(config.verifyIntervalMs()));
        KerongIo io = vendor.buses().open(required(config.host(), "host"), config.port(), options);
        cabinet = new BoardCabinet(plan, io, host, p -> Baselines.of(queries, p), settings);
        try {
            vendor.add(cabinet);
        } catch (IllegalStateException e) {
            io.close();
            throw e;
        }
        cabinet.start();
    }

    @Deactivate
    void deactivate() {
        if (cabinet != null) {
            vendor.remove(cabinet);
            cabinet.close(STOPPING);
            LOG.info("Kerong 柜子 {} 已断开 / Kerong cabinet {} detached", cabinet.cabinetId(), cabinet.cabinetId());
        }
    }

    static CabinetPlan plan(KerongCabinetConfig config) {
        List<Integer> boards = Arrays.stream(config.boards() == null ? new int[0] : config.boards()).boxed()
                .distinct().toList();
        if (boards.isEmpty() || boards.stream().anyMatch(b -> b < 1 || b > 16)) {
            throw new IllegalArgumentException("boards: 1-16 (DIP address + 1), at least one: " + boards);
        }
        return new CabinetPlan(required(config.cabinetId(), "cabinetId"), required(config.groupId(), "groupId"),
                KerongVendorComponent.VENDOR, required(config.model(), "model"), boards,
                CompartmentMap.parse(config.compartments(), boards, KerongIo.CHANNELS,
                        SizeClass.parse(config.defaultSize())));
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value.strip();
    }
}
