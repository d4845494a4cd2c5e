package org.lockergate.api.locker;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The core's handle for one attached cabinet, held by the vendor bundle that attached it. */
@ProviderType
public interface CabinetLink {

    /**
     * Stores events durably (fsynced) and acts on them (deposit completion, pickups, alarms). Events already
     * stored for this boot are ignored, so a vendor may resend after a lost answer.
     *
     * @param boot the cabinet's boot counter
     * @return the highest sequence number of this boot now stored
     */
    long report(long boot, List<CabinetEvent> events) throws LockerException;

    /** The cabinet is alive (CoAP registration refresh, successful poll). */
    void heartbeat();

    /** The cabinet is gone (deregistered, unreachable, vendor stopping): it goes offline; its state is kept. */
    void detach(String reason);
}
