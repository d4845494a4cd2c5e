package org.lockergate.core.internal;

import org.lockergate.api.locker.LockerException;

/** Operations of the core that are not (yet) in the API: for the shell. */
public interface CoreAdmin {

    /** Redirects the in-locker parcels of a cabinet now (R22); returns how many got a {@code parcel.redirected}. */
    int redirect(String cabinetId) throws LockerException;
}
