package org.lockergate.api.maintenance;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One due (or done) round of a group's inspection or cleaning schedule.
 *
 * @param roundId gateway-assigned id
 * @param scheduleId the configured schedule it belongs to
 * @param groupId the group to walk
 * @param kind inspection or cleaning
 * @param name e.g. "每周巡检 / weekly inspection"
 * @param checklist the items to tick, in order
 * @param dueAt when it is due (computed with the gateway clock)
 * @param overdueAt from when it counts as overdue (due plus the schedule's grace)
 * @param completedAt when done, or {@code null}
 * @param completedBy who did it
 * @param ticked the checklist items ticked on completion
 * @param note what the person noticed
 */
public record InspectionRound(long roundId, String scheduleId, String groupId, RoundKind kind, String name,
        List<String> checklist, Instant dueAt, Instant overdueAt, Instant completedAt, String completedBy,
        List<String> ticked, String note) {

    public InspectionRound {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dueAt, "dueAt");
        checklist = checklist == null ? List.of() : List.copyOf(checklist);
        ticked = ticked == null ? List.of() : List.copyOf(ticked);
    }

    public boolean completed() {
        return completedAt != null;
    }

    /** Not done and past its grace at {@code now}. */
    public boolean overdue(Instant now) {
        return completedAt == null && !now.isBefore(overdueAt);
    }
}
