package org.lockergate.api.maintenance;

import java.util.List;
import org.lockergate.api.locker.LockerException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Scheduled inspection and cleaning rounds per group. Schedules are configured per group through ConfigAdmin
 * (factory PID {@code org.lockergate.core.round}); each schedule has one pending round at a time, due at a time
 * computed with the gateway clock; a round not completed by its due time plus the grace is overdue and stays
 * pending (missed rounds do not pile up). Completing a round is one durable transaction with its outbox event
 * {@code inspection.completed} and an audit row with the user; the next round is then scheduled.
 */
@ProviderType
public interface InspectionService {

    /**
     * Pending rounds (and, with {@code includeCompleted}, the last completed ones), by due time.
     *
     * @param groupId one group, or {@code null} for all
     */
    List<InspectionRound> rounds(String groupId, boolean includeCompleted, int limit);

    /** Pending rounds that are overdue now. */
    List<InspectionRound> overdue();

    /**
     * Completes a pending round.
     *
     * @param ticked the checklist items done; every item must be one of the round's checklist
     * @throws LockerException {@code not_found}, {@code conflict} when already completed, {@code bad_request} for an
     *         item not on the checklist or an empty list
     */
    InspectionRound complete(long roundId, String actor, List<String> ticked, String note) throws LockerException;
}
