package org.lockergate.api.locker;

import org.lockergate.api.spi.UnlockOutcome;
import org.osgi.annotation.versioning.ProviderType;

/** What staff do to compartments. Every call is audited with who and why. */
@ProviderType
public interface MaintenanceService {

    /**
     * Opens a compartment for staff (technician role; a reason is required).
     *
     * @param actor e.g. {@code operator:alice}
     */
    UnlockOutcome open(String groupId, String compartment, String actor, String reason) throws LockerException;

    /** Takes a compartment out of service; its parcel (if any) stays and can still be picked up. */
    void disable(String groupId, String compartment, String actor, String reason) throws LockerException;

    /** Puts a DISABLED or FAULT compartment back into service. */
    void enable(String groupId, String compartment, String actor, String reason) throws LockerException;
}
