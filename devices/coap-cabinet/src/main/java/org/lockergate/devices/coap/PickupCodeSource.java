package org.lockergate.devices.coap;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where a simulated resident learns a parcel's pickup code. The code goes from the gateway to the recipient, never
 * back to the courier's kiosk; in the demo it is read from the development notifications log
 * ({@link NotificationLogTailer}), in tests it may come from a fake gateway.
 */
@FunctionalInterface
public interface PickupCodeSource {

    /**
     * The latest notice for this parcel, waiting for it up to {@code timeout}; empty when none came.
     */
    Optional<PickupNotice> await(String parcelId, Duration timeout) throws InterruptedException;

    /** A source backed by a (concurrent) map from parcel id to notice that someone else fills; it does not wait. */
    static PickupCodeSource of(Map<String, PickupNotice> notices) {
        return (parcelId, timeout) -> Optional.ofNullable(notices.get(parcelId));
    }
}
