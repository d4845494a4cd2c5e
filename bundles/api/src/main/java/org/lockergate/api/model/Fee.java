package org.lockergate.api.model;

import java.time.Duration;
import java.time.Instant;

/**
 * An overdue fee quote (R5). Integer fen only.
 *
 * @param feeFen the amount due now, in fen
 * @param freeUntil when the free period ends (holiday time not counted)
 * @param overdue counted time beyond the free period (zero when within it)
 * @param periods started periods charged
 * @param capped whether the cap applied
 * @param explanation how it was computed, for the resident and for disputes
 */
public record Fee(long feeFen, Instant freeUntil, Duration overdue, int periods, boolean capped, String explanation) {

    public static Fee free(Instant freeUntil, String explanation) {
        return new Fee(0, freeUntil, Duration.ZERO, 0, false, explanation);
    }
}
