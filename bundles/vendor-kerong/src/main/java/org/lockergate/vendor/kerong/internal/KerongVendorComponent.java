package org.lockergate.vendor.kerong.internal;

import java.util.List;
import org.lockergate.api.spi.CabinetDriverFactory;
import org.lockergate.vendor.lockboard.internal.CabinetRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor's presence: a {@link CabinetDriverFactory} with {@code lockergate.vendor=kerong}, the registry of its
 * cabinets and the shared buses (one per serial-to-TCP server) the cabinet components open.
 */
@Component(service = {CabinetDriverFactory.class, KerongVendorComponent.class}, immediate = true,
        property = CabinetDriverFactory.VENDOR + "=" + KerongVendorComponent.VENDOR)
public final class KerongVendorComponent extends CabinetRegistry implements CabinetDriverFactory {

    static final String VENDOR = "kerong";
    private static final Logger LOG = LoggerFactory.getLogger(KerongVendorComponent.class);

    private final KerongBuses buses = new KerongBuses();

    @Activate
    void activate() {
        LOG.info("Kerong 锁控板厂商模块已启动 / Kerong lock board vendor started");
    }

    @Deactivate
    void deactivate() {
        buses.close();
        LOG.info("Kerong 锁控板厂商模块已停止 / Kerong lock board vendor stopped");
    }

    KerongBuses buses() {
        return buses;
    }

    @Override
    public String vendor() {
        return VENDOR;
    }

    @Override
    public List<String> cabinetIds() {
        return ids();
    }
}
