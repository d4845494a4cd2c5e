package org.lockergate.api.report;

import java.time.LocalDate;
import java.util.List;
import org.lockergate.api.model.SizeClass;

/**
 * Capacity planning of one group over a range of days: how much of each size was used hour by hour, how many
 * deposits were turned away (full group, quota) and where they went, and how many compartments of each size to add
 * or move here so that full-group events stay under the configured share.
 *
 * @param groupId the group
 * @param from first day, inclusive (community zone)
 * @param to last day, inclusive
 * @param targetPermille the configured highest share of full-group events, per mille of deposit attempts
 * @param sizes one line per size class
 * @param hours the utilisation profile by hour of day (0–23) per size class, over the range
 * @param overflow where the turned-away deposits were sent: another group's id, or {@code station}
 * @since 1.1
 */
public record GroupCapacity(String groupId, LocalDate from, LocalDate to, int targetPermille, List<SizeLine> sizes,
        List<HourLine> hours, List<Overflow> overflow) {

    public GroupCapacity {
        sizes = List.copyOf(sizes);
        hours = List.copyOf(hours);
        overflow = List.copyOf(overflow);
    }

    /**
     * One size class of the group.
     *
     * @param size the size
     * @param compartments compartments of the size now (any state)
     * @param deposits deposits of the size reserved in the range
     * @param turnedAwayFull deposits of the size turned away because no compartment fitted
     * @param turnedAwayQuota deposits of the size refused by a quota pool while compartments were free
     * @param fullPermille full-group events per mille of deposit attempts (deposits + turned away full)
     * @param peakNeed the most compartments needed at once in any hour (occupied plus turned away still waiting)
     * @param compartmentSeconds compartment time used in the range
     * @param recommendedExtra compartments more this size needs so that full events stay under the target
     * @param moveIn of those, how many can come from other groups' spare compartments of the size (see moves)
     * @param add of those, how many to add (recommendedExtra − moveIn)
     * @param spare compartments of the size never needed here, even at the busiest hour (candidates to move away)
     * @param moves the groups to move compartments from, with counts
     */
    public record SizeLine(SizeClass size, int compartments, int deposits, int turnedAwayFull, int turnedAwayQuota,
            int fullPermille, int peakNeed, long compartmentSeconds, int recommendedExtra, int moveIn, int add,
            int spare, List<Move> moves) {

        public SizeLine {
            moves = List.copyOf(moves);
        }
    }

    /**
     * A move of compartments of one size from another group into this one.
     *
     * @param fromGroupId the group with spare compartments
     * @param count how many
     */
    public record Move(String fromGroupId, int count) {
    }

    /**
     * Utilisation of one size in one hour of the day, summed over the range's days.
     *
     * @param hour 0–23 (community zone)
     * @param size the size
     * @param compartmentSeconds compartment time occupied in that hour over all days of the range
     * @param averageOccupied compartments occupied in that hour on average, in thousandths
     * @param peakOccupied the most compartments occupied at once in that hour on any day
     * @param turnedAway deposits turned away (full) in that hour over the range
     */
    public record HourLine(int hour, SizeClass size, long compartmentSeconds, int averageOccupied, int peakOccupied,
            int turnedAway) {
    }

    /**
     * Turned-away deposits sent elsewhere.
     *
     * @param to another group's id, or {@code station} for the group's service station, or {@code none}
     * @param full how many because the group was full
     * @param quota how many because of a quota pool
     */
    public record Overflow(String to, int full, int quota) {
    }
}
