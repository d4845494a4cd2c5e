package org.lockergate.vendor.coap.internal;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapService;

/**
 * The cabinet side of the LockerGate CoAP protocol without OSGi: the registration table, the four handlers and the
 * observers' notifications. {@link CoapVendorComponent} registers the handlers as services; tests register them on
 * a transport of their own.
 */
final class CoapVendor {

    /** The {@code lockergate.vendor} of this bundle, and the vendor of the cabinets it attaches. */
    static final String VENDOR = "coap";

    /** Why every link is detached when the bundle stops. */
    static final String STOPPING = "vendor bundle stopping";

    /** A handler with the service properties it is registered with. */
    record Route(CoapHandler handler, String path, String methods, boolean observable) {

        Map<String, Object> properties() {
            return observable
                    ? Map.of(CoapHandler.PATH, path, CoapHandler.METHODS, methods.split(","),
                            CoapHandler.OBSERVABLE, Boolean.TRUE)
                    : Map.of(CoapHandler.PATH, path, CoapHandler.METHODS, methods.split(","));
        }
    }

    private final Registrations registrations;
    private final CoapService coap;
    private final List<Route> routes;
    private volatile Settings settings;

    /**
     * @param hasKey whether a cabinet id has a DTLS key
     * @param zone the zone error times are written in
     * @param nanos the monotonic clock of registration lifetimes
     */
    CoapVendor(CabinetHost host, LockerQueries queries, CoapService coap, Predicate<String> hasKey,
            Supplier<ZoneId> zone, Settings settings, LongSupplier nanos) {
        this.coap = coap;
        this.settings = settings;
        this.registrations = new Registrations(nanos);
        Predicate<String> keyed = id -> this.settings.dtlsRequiredWithKey() && hasKey.test(id);
        Supplier<Settings> current = () -> this.settings;
        this.routes = List.of(
                new Route(new RegisterHandler(host, registrations, coap, keyed, zone, current), "/rd", "POST", false),
                new Route(new RegistrationHandler(registrations, keyed), "/rd/{regId}", "POST,DELETE", false),
                new Route(new EventsHandler(registrations, keyed, zone, current), "/cabinets/{cabinetId}/events",
                        "POST", false),
                new Route(new CabinetStateHandler(registrations, queries), CabinetStateHandler.PATH, "GET", true));
    }

    List<Route> routes() {
        return routes;
    }

    void update(Settings settings) {
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    Registrations registrations() {
        return registrations;
    }

    List<String> cabinetIds() {
        return registrations.cabinetIds();
    }

    /** A compartment of the cabinet changed: its state's observers are told. */
    void changed(String cabinetId) {
        coap.changed(CabinetStateHandler.path(cabinetId));
    }

    /** Removes and detaches registrations whose lifetime is over. */
    void sweep() {
        registrations.sweep();
    }

    /** Detaches every cabinet ({@value #STOPPING}); registrations arriving later are refused. */
    void close() {
        registrations.close(STOPPING);
    }
}
