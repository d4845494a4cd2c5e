package org.lockergate.core.internal.state;

import static org.lockergate.api.model.ParcelState.CANCELLED;
import static org.lockergate.api.model.ParcelState.DEPOSITED;
import static org.lockergate.api.model.ParcelState.HELD;
import static org.lockergate.api.model.ParcelState.OVERDUE;
import static org.lockergate.api.model.ParcelState.PICKED_UP;
import static org.lockergate.api.model.ParcelState.RECALLED;
import static org.lockergate.api.model.ParcelState.RECALL_DUE;
import static org.lockergate.api.model.ParcelState.REJECTED;
import static org.lockergate.api.model.ParcelState.RESERVED;
import static org.lockergate.api.model.ParcelState.RETURNED;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.lockergate.api.model.ParcelState;

/**
 * The parcel state machine (DESIGN.md §2): RESERVED → DEPOSITED → OVERDUE → RECALL_DUE → HELD → RECALLED; from
 * DEPOSITED, OVERDUE or RECALL_DUE: PICKED_UP or REJECTED (then RETURNED); RESERVED → CANCELLED. A parcel whose
 * timers were missed (gateway off) may skip forward (DEPOSITED → RECALL_DUE or HELD); recall by the courier is
 * possible from RECALL_DUE and HELD.
 */
public final class ParcelMachine {

    private static final Map<ParcelState, Set<ParcelState>> ALLOWED = new EnumMap<>(ParcelState.class);

    static {
        ALLOWED.put(RESERVED, EnumSet.of(DEPOSITED, CANCELLED));
        ALLOWED.put(DEPOSITED, EnumSet.of(OVERDUE, RECALL_DUE, HELD, PICKED_UP, REJECTED));
        ALLOWED.put(OVERDUE, EnumSet.of(RECALL_DUE, HELD, PICKED_UP, REJECTED));
        ALLOWED.put(RECALL_DUE, EnumSet.of(HELD, RECALLED, PICKED_UP, REJECTED));
        ALLOWED.put(HELD, EnumSet.of(RECALLED));
        ALLOWED.put(REJECTED, EnumSet.of(RETURNED));
        ALLOWED.put(RECALLED, EnumSet.noneOf(ParcelState.class));
        ALLOWED.put(PICKED_UP, EnumSet.noneOf(ParcelState.class));
        ALLOWED.put(RETURNED, EnumSet.noneOf(ParcelState.class));
        ALLOWED.put(CANCELLED, EnumSet.noneOf(ParcelState.class));
    }

    private ParcelMachine() {
    }

    public static boolean allowed(ParcelState from, ParcelState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** @throws IllegalStateException for a transition the machine does not have */
    public static void check(ParcelState from, ParcelState to) {
        if (!allowed(from, to)) {
            throw new IllegalStateException("parcel cannot go from " + from + " to " + to);
        }
    }
}
