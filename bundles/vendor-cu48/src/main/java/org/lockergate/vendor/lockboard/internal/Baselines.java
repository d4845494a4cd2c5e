package org.lockergate.vendor.lockboard.internal;

import java.util.HashMap;
import java.util.Map;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Compartment;

/** The core's stored sensors of a cabinet's compartments, the starting point of change detection after an attach. */
public final class Baselines {

    private Baselines() {
    }

    /** From the core's queries; empty (everything reported once) without them. */
    public static Map<String, Sensors> of(LockerQueries queries, CabinetPlan plan) {
        Map<String, Sensors> out = new HashMap<>();
        if (queries == null) {
            return out;
        }
        for (Compartment c : queries.compartments(plan.groupId())) {
            if (plan.cabinetId().equals(c.cabinetId())) {
                out.put(c.label(), new Sensors(c.doorClosed(), c.itemPresent()));
            }
        }
        return out;
    }
}
