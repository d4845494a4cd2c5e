package org.lockergate.devices.coap;

import java.time.Duration;

/** Hears what happens to a {@link SimulatedCabinet}; called on the cabinet's threads, so return quickly. */
public interface CabinetListener {

    /** The gateway unlocked (or tried to unlock) a compartment. */
    default void unlocked(String label, UnlockOutcome outcome) {
    }

    /** The cabinet registered ({@code rd/…} location) and will send a heartbeat this often. */
    default void registered(String location, Duration heartbeat) {
    }

    /** The gateway acknowledged the events of {@code boot} up to {@code acked}. */
    default void acknowledged(int boot, long acked) {
    }
}
