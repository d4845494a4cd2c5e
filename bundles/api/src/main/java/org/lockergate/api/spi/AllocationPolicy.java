package org.lockergate.api.spi;

import java.util.List;
import org.lockergate.api.model.Compartment;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Chooses compartments for a deposit (R11). The core passes every compartment of the group (any state) so the
 * policy can count quota use; it must only return allocatable ones ({@code FREE}), smallest fitting size first.
 * Must be fast (it runs inside the deposit path) and free of side effects.
 */
@ConsumerType
public interface AllocationPolicy {

    Allocation allocate(AllocationRequest request, List<Compartment> compartments);
}
