package org.lockergate.vendor.lockboard.internal;

import java.util.List;
import org.lockergate.api.locker.CompartmentSpec;

/**
 * What a cabinet is, from its factory configuration.
 *
 * @param cabinetId unique in the gateway
 * @param groupId its group
 * @param vendor the {@code lockergate.vendor} id
 * @param model model name
 * @param boards the boards polled (descriptor numbering)
 * @param compartments label, size, board, channel of each compartment
 */
public record CabinetPlan(String cabinetId, String groupId, String vendor, String model, List<Integer> boards,
        List<CompartmentSpec> compartments) {

    public CabinetPlan {
        boards = List.copyOf(boards);
        compartments = List.copyOf(compartments);
    }
}
