package org.lockergate.api.spi;

import java.time.Instant;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.Parcel;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Computes the overdue fee of a parcel at a moment (R4, R5). No fee when the recipient did not accept the fee
 * terms; holiday time is not counted; integer fen.
 */
@ConsumerType
public interface FeePolicy {

    Fee quote(Parcel parcel, Instant at);

    /**
     * The fee under a named member plan (R1 member plans, e.g. 7 days free) instead of the plan the policy would
     * find for the parcel itself: what the fee quote of the REST API asks. Policies without member plans ignore
     * the plan. A policy that has plans refuses one it does not know with an {@link IllegalArgumentException}.
     *
     * @param memberPlan the plan id, or {@code null} for the parcel's own
     * @since 1.1
     */
    default Fee quote(Parcel parcel, Instant at, String memberPlan) {
        return quote(parcel, at);
    }
}
