package org.lockergate.api.locker;

import java.util.List;

/**
 * What a vendor bundle tells the core about a cabinet when it attaches it (from a CoAP registration, or from the
 * vendor's configuration for lock-board cabinets).
 *
 * @param cabinetId unique in the gateway
 * @param groupId the group it belongs to (must be configured, or is created from the descriptor in demo mode)
 * @param vendor the vendor id
 * @param model model name
 * @param firmware firmware version
 * @param boot the cabinet's boot counter (event sequence numbers restart with each boot)
 * @param compartments its compartments
 */
public record CabinetDescriptor(String cabinetId, String groupId, String vendor, String model, String firmware,
        long boot, List<CompartmentSpec> compartments) {

    public CabinetDescriptor {
        compartments = List.copyOf(compartments);
    }
}
