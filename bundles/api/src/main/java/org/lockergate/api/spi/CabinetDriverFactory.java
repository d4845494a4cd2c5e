package org.lockergate.api.spi;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A vendor bundle's presence: registered as a service with the property {@value #VENDOR} (e.g. {@code coap},
 * {@code cu48}, {@code kerong}). While it is registered, the vendor's cabinets attach themselves through
 * {@link org.lockergate.api.locker.CabinetHost}; when it goes away (bundle stopped, updated or replaced) the core
 * marks every cabinet of that vendor offline and keeps all state, so pickups answer "temporarily unavailable".
 */
@ConsumerType
public interface CabinetDriverFactory {

    /** Service property naming the vendor. */
    String VENDOR = "lockergate.vendor";

    /** The vendor id, equal to the service property. */
    String vendor();

    /** Ids of the cabinets this vendor bundle drives now, for health and diagnostics. */
    List<String> cabinetIds();
}
