package org.lockergate.api.spi;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Drives one cabinet's locks. Implemented by vendor bundles; the core never talks to a cabinet another way.
 * State lives in the core's store, not in the driver, so a driver can be replaced at any time.
 */
@ConsumerType
public interface CabinetDriver {

    /**
     * Pulses a compartment's lock and watches its door sensor (R13: pulse default 400 ms, window 10 s).
     *
     * @param compartment the door label
     * @param pulse how long to energise the lock
     * @return the outcome; completes exceptionally (e.g. {@link java.util.concurrent.TimeoutException}) when the
     *     cabinet did not answer — the core then treats the compartment as not opened
     */
    CompletionStage<UnlockOutcome> unlock(String compartment, Duration pulse);
}
