package org.lockergate.vendor.cu48.internal;

import java.util.List;
import org.lockergate.api.spi.CabinetDriverFactory;
import org.lockergate.vendor.lockboard.internal.CabinetRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor's presence: a {@link CabinetDriverFactory} with {@code lockergate.vendor=cu48}, and the registry the
 * cabinet components ({@link Cu48CabinetComponent}, one per factory configuration) enter themselves in. While this
 * service is gone (bundle stopped or updated) the core keeps every CU48 cabinet offline with its state.
 */
@Component(service = {CabinetDriverFactory.class, CabinetRegistry.class}, immediate = true,
        property = CabinetDriverFactory.VENDOR + "=" + Cu48VendorComponent.VENDOR)
public final class Cu48VendorComponent extends CabinetRegistry implements CabinetDriverFactory {

    static final String VENDOR = "cu48";
    private static final Logger LOG = LoggerFactory.getLogger(Cu48VendorComponent.class);

    @Activate
    void activate() {
        LOG.info("CU48 锁控板厂商模块已启动 / CU48 lock board vendor started");
    }

    @Deactivate
    void deactivate() {
        LOG.info("CU48 锁控板厂商模块已停止 / CU48 lock board vendor stopped");
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
