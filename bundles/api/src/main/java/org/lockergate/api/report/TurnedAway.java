package org.lockergate.api.report;

import java.time.Instant;
import java.util.Objects;
import org.lockergate.api.model.SizeClass;

/**
 * A deposit the gateway turned away because no compartment could be allocated (capacity planning).
 *
 * @param groupId the group that was full
 * @param at when
 * @param size the size the courier asked for
 * @param companyCode the courier's company
 * @param reason {@code full} (no free compartment of the size or larger) or {@code quota} (free ones, but the
 *     company's quota pool refused)
 * @param suggestedGroupId the other group the courier was sent to (overflow), or {@code null}
 * @param suggestedStation true when the courier was sent to the service station instead
 * @since 1.1
 */
public record TurnedAway(String groupId, Instant at, SizeClass size, String companyCode, String reason,
        String suggestedGroupId, boolean suggestedStation) {

    public TurnedAway {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(reason, "reason");
    }

    /** The group had no free compartment that fits (as opposed to a quota refusal). */
    public boolean full() {
        return "full".equals(reason);
    }
}
