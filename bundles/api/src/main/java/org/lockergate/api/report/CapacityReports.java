package org.lockergate.api.report;

import java.time.LocalDate;
import java.util.List;
import org.lockergate.api.locker.LockerException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Capacity planning (siting and sizing on real demand): utilisation by hour, deposits turned away because the
 * group was full, overflow to other groups and a recommendation per size; implemented by the rules bundle.
 *
 * @since 1.1
 */
@ProviderType
public interface CapacityReports {

    /**
     * The capacity report of each group (or one) over a range of days.
     *
     * @param from first day, inclusive
     * @param to last day, inclusive (at most 366 days after {@code from})
     * @param groupId a group, or null for every group
     * @throws IllegalArgumentException when the range is empty or too long
     */
    List<GroupCapacity> capacity(LocalDate from, LocalDate to, String groupId);

    /**
     * Sends the report of every group over the range to the cloud as the outbox event {@code capacity.report}.
     *
     * @param actor who asked (for the audit row)
     * @return the outbox sequence number
     */
    long publish(LocalDate from, LocalDate to, String actor) throws LockerException;
}
