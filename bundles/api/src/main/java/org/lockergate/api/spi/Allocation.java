package org.lockergate.api.spi;

import java.util.List;
import org.lockergate.api.model.Compartment;

/**
 * An allocation decision that explains itself (for the audit log and the API).
 *
 * @param candidates compartments to try in order (the core takes the first; on a jam it tries the next); empty
 *     when none fits
 * @param explanation why these, or why none, in words an operator understands
 * @param suggestion when the group is full: where to go instead (another group's id and distance, or the
 *     service station), or {@code null}
 */
public record Allocation(List<Compartment> candidates, String explanation, Suggestion suggestion) {

    public Allocation {
        candidates = List.copyOf(candidates);
    }

    /**
     * Where a courier can go when the group is full.
     *
     * @param groupId another group, or {@code null}
     * @param name its name, or the service station's
     * @param distanceM distance in metres, or -1 when unknown
     * @param station true when it names the service station rather than a group
     */
    public record Suggestion(String groupId, String name, int distanceM, boolean station) {
    }
}
