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
 * @param counted the counted time (stored time minus holiday time), or {@code null} when the policy does not say
 *     (since 1.1)
 */
public record Fee(long feeFen, Instant freeUntil, Duration overdue, int periods, boolean capped, String explanation,
        Duration counted) {

    /** A quote that does not state the counted time (the 1.0 shape). */
    public Fee(long feeFen, Instant freeUntil, Duration overdue, int periods, boolean capped, String explanation) {
        this(feeFen, freeUntil, overdue, periods, capped, explanation, null);
    }

    public static Fee free(Instant freeUntil, String explanation) {
        return new Fee(0, freeUntil, Duration.ZERO, 0, false, explanation, null);
    }

    /** No fee, with the counted time so far (since 1.1). */
    public static Fee free(Instant freeUntil, Duration counted, String explanation) {
        return new Fee(0, freeUntil, Duration.ZERO, 0, false, explanation, counted);
    }
}
