package org.lockergate.core.internal.state;

import static org.lockergate.api.model.CompartmentState.DISABLED;
import static org.lockergate.api.model.CompartmentState.FAULT;
import static org.lockergate.api.model.CompartmentState.FREE;
import static org.lockergate.api.model.CompartmentState.OCCUPIED;
import static org.lockergate.api.model.CompartmentState.OPENING;
import static org.lockergate.api.model.CompartmentState.RESERVED;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.lockergate.api.model.CompartmentState;

/**
 * The compartment state machine (DESIGN.md §2).
 * <ul>
 * <li>FREE → RESERVED (deposit), OPENING (staff open), DISABLED, FAULT</li>
 * <li>RESERVED → OCCUPIED (door closed with the item), FREE (cancelled, expired, moved on), FAULT (jammed)</li>
 * <li>OPENING → FREE (picked up, staff open of an empty one), OCCUPIED (item still in, rejected, staff open),
 * FAULT (jammed), DISABLED (pickup from a disabled compartment ends)</li>
 * <li>OCCUPIED → OPENING (pickup, staff open), DISABLED, FAULT</li>
 * <li>FAULT → FREE or OCCUPIED (enabled), OPENING (staff open), DISABLED</li>
 * <li>DISABLED → FREE or OCCUPIED (enabled), OPENING (pickup or staff open)</li>
 * </ul>
 */
public final class CompartmentMachine {

    private static final Map<CompartmentState, Set<CompartmentState>> ALLOWED = new EnumMap<>(CompartmentState.class);

    static {
        ALLOWED.put(FREE, EnumSet.of(RESERVED, OPENING, DISABLED, FAULT));
        ALLOWED.put(RESERVED, EnumSet.of(OCCUPIED, FREE, FAULT));
        ALLOWED.put(OPENING, EnumSet.of(FREE, OCCUPIED, FAULT, DISABLED));
        ALLOWED.put(OCCUPIED, EnumSet.of(OPENING, DISABLED, FAULT));
        ALLOWED.put(FAULT, EnumSet.of(FREE, OCCUPIED, OPENING, DISABLED));
        ALLOWED.put(DISABLED, EnumSet.of(FREE, OCCUPIED, OPENING));
    }

    private CompartmentMachine() {
    }

    public static boolean allowed(CompartmentState from, CompartmentState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** @throws IllegalStateException for a transition the machine does not have */
    public static void check(CompartmentState from, CompartmentState to) {
        if (!allowed(from, to)) {
            throw new IllegalStateException("compartment cannot go from " + from + " to " + to);
        }
    }
}
