package org.lockergate.vendor.coap.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.spi.CabinetDriverFactory;
import org.lockergate.api.spi.FirmwareUpdater;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.kiosk.coap.LockerErrors;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapService;
import org.lockergate.transport.coap.PskStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendor bundle's presence: a {@link CabinetDriverFactory} with {@code lockergate.vendor=coap}, the four
 * {@link CoapHandler} services of the cabinet API (registered here, so they share one registration table and go away
 * before the links are detached), the expiry sweep, and the observers' notifications on
 * {@value LockerTopics#COMPARTMENT_CHANGED} and {@value LockerTopics#REGISTRY_CHANGED} (for the event's
 * {@code cabinetId}).
 *
 * <p>On deactivation (bundle stopped or updated, core or transport gone) every link is detached with
 * {@value CoapVendor#STOPPING}, so the core marks the cabinets offline at once; afterwards their heartbeats get 4.04
 * {@code unknown_registration} and they register again. The core keeps all state.
 */
@Component(service = {CabinetDriverFactory.class, EventHandler.class}, configurationPid = VendorConfig.PID,
        immediate = true,
        property = {
            CabinetDriverFactory.VENDOR + "=" + CoapVendor.VENDOR,
            EventConstants.EVENT_TOPIC + "=" + LockerTopics.COMPARTMENT_CHANGED,
            EventConstants.EVENT_TOPIC + "=" + LockerTopics.REGISTRY_CHANGED})
@Designate(ocd = VendorConfig.class)
public final class CoapVendorComponent implements CabinetDriverFactory, EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CoapVendorComponent.class);

    @Reference
    CabinetHost host;

    @Reference
    LockerQueries queries;

    @Reference
    CoapService coap;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PskStore psk;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    private final List<ServiceRegistration<CoapHandler>> handlers = new ArrayList<>();
    private ServiceRegistration<FirmwareUpdater> firmware;
    private CoapVendor vendor;
    private ScheduledExecutorService sweeper;

    @Activate
    void activate(BundleContext context, VendorConfig config) {
        vendor = new CoapVendor(host, queries, coap, this::hasKey, this::zone, Settings.of(config), System::nanoTime);
        sweeper = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "LockerGate-vendor-coap-expiry");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        for (CoapVendor.Route route : vendor.routes()) {
            handlers.add(context.registerService(CoapHandler.class, route.handler(),
                    new Hashtable<>(route.properties())));
        }
        firmware = context.registerService(FirmwareUpdater.class, new CoapFirmwareUpdater(vendor.registrations(), coap),
                new Hashtable<>(java.util.Map.of(CabinetDriverFactory.VENDOR, CoapVendor.VENDOR)));
        LOG.info("CoAP 柜子协议已启动，心跳 {} 秒 / CoAP cabinet protocol started, heartbeat {} s",
                config.heartbeatSeconds(), config.heartbeatSeconds());
    }

    @Modified
    void modified(VendorConfig config) {
        vendor.update(Settings.of(config));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<CoapHandler> registration : handlers) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        handlers.clear();
        if (firmware != null) {
            try {
                firmware.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            firmware = null;
        }
        sweeper.shutdownNow();
        List<String> attached = vendor.cabinetIds();
        vendor.close();
        LOG.info("CoAP 柜子协议已停止，{} 个柜子已断开 / CoAP cabinet protocol stopped, {} cabinets detached: {}",
                attached.size(), attached.size(), attached);
    }

    @Override
    public String vendor() {
        return CoapVendor.VENDOR;
    }

    @Override
    public List<String> cabinetIds() {
        CoapVendor current = vendor;
        return current == null ? List.of() : current.cabinetIds();
    }

    @Override
    public void handleEvent(Event event) {
        CoapVendor current = vendor;
        if (current != null && event.getProperty(LockerTopics.CABINET_ID) instanceof String cabinetId
                && !cabinetId.isEmpty()) {
            current.changed(cabinetId);
        }
    }

    private void sweep() {
        try {
            vendor.sweep();
        } catch (RuntimeException e) {
            LOG.error("CoAP 注册清理失败 / Sweeping expired CoAP registrations failed", e);
        }
    }

    private boolean hasKey(String cabinetId) {
        PskStore store = psk;
        return store != null && store.contains(cabinetId);
    }

    private ZoneId zone() {
        GatewayClock current = clock;
        if (current != null) {
            try {
                return current.zone();
            } catch (RuntimeException e) {
                // going away: fall back
            }
        }
        return LockerErrors.DEFAULT_ZONE;
    }
}
