package org.lockergate.api.spi;

import java.util.Set;
import org.lockergate.api.model.SizeClass;

/**
 * What a deposit needs.
 *
 * @param groupId the group
 * @param companyCode the courier company whose quota it draws on
 * @param size the size the parcel needs
 * @param preferLow the recipient asked for a low compartment
 * @param excluded labels to skip (e.g. one that just jammed)
 */
public record AllocationRequest(String groupId, String companyCode, SizeClass size, boolean preferLow,
        Set<String> excluded) {

    public AllocationRequest {
        excluded = Set.copyOf(excluded);
    }
}
