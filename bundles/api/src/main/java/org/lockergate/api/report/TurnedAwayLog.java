package org.lockergate.api.report;

import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The deposits the core turned away because the group was full or the quota refused, as recorded durably at the
 * moment of the {@code full} answer; implemented by the core, read by the capacity report.
 *
 * @since 1.1
 */
@ProviderType
public interface TurnedAwayLog {

    /**
     * Turned-away deposits in {@code [from, to)}, oldest first.
     *
     * @param groupId a group, or null for every group
     */
    List<TurnedAway> turnedAway(String groupId, Instant from, Instant to);
}
