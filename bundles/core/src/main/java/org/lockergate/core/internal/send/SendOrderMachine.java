package org.lockergate.core.internal.send;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.lockergate.api.model.SendOrderState;

/**
 * The send order state machine (R20): {@code ORDERED → DROPPED → COLLECTED}; {@code ORDERED → CANCELLED} (expired
 * or cancelled by the cloud). A DROPPED order is never cancelled at the gateway: the parcel is in the locker and only
 * its courier company takes it out.
 */
public final class SendOrderMachine {

    private static final Map<SendOrderState, Set<SendOrderState>> ALLOWED = new EnumMap<>(SendOrderState.class);

    static {
        ALLOWED.put(SendOrderState.ORDERED, EnumSet.of(SendOrderState.DROPPED, SendOrderState.CANCELLED));
        ALLOWED.put(SendOrderState.DROPPED, EnumSet.of(SendOrderState.COLLECTED));
        ALLOWED.put(SendOrderState.COLLECTED, EnumSet.noneOf(SendOrderState.class));
        ALLOWED.put(SendOrderState.CANCELLED, EnumSet.noneOf(SendOrderState.class));
    }

    private SendOrderMachine() {
    }

    public static boolean allowed(SendOrderState from, SendOrderState to) {
        return ALLOWED.get(from).contains(to);
    }

    public static boolean terminal(SendOrderState state) {
        return ALLOWED.get(state).isEmpty();
    }

    /** @throws IllegalStateException for a transition the machine does not have */
    public static void check(SendOrderState from, SendOrderState to) {
        if (!allowed(from, to)) {
            throw new IllegalStateException("send order cannot go from " + from + " to " + to);
        }
    }
}
