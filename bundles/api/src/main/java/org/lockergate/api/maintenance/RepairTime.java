package org.lockergate.api.maintenance;

/**
 * Mean time to repair of the tickets closed in a period, for one vendor or one group.
 *
 * @param key the vendor ({@code lockergate.vendor}, {@code "-"} for tickets without a cabinet) or the group id
 * @param closedTickets tickets closed in the period
 * @param meanSeconds mean of (closed − opened), whole seconds, rounded down
 * @param maxSeconds the longest of them
 */
public record RepairTime(String key, int closedTickets, long meanSeconds, long maxSeconds) {
}
