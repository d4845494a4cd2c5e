package org.lockergate.api.locker;

import org.lockergate.api.spi.CabinetDriver;
import org.osgi.annotation.versioning.ProviderType;

/** Where vendor bundles attach the cabinets they drive. Provided by the core. */
@ProviderType
public interface CabinetHost {

    /**
     * Attaches (or re-attaches after a restart or vendor update) a cabinet: the registry is updated from the
     * descriptor, the cabinet goes online, and unlocks for it go through the driver from now on.
     *
     * @throws LockerException {@code unknown_cabinet} or {@code unknown_group} when registration is restricted and
     *     the cabinet or group is not configured; {@code bad_descriptor} when the descriptor is inconsistent
     */
    CabinetLink attach(CabinetDescriptor descriptor, CabinetDriver driver) throws LockerException;
}
