package org.lockergate.api.report;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Usage statistics and cost sharing (R12), computed from the parcels in the store. */
@ProviderType
public interface UsageReports {

    /**
     * One row per day, group and courier company with any activity, days in the community's zone, ordered by day,
     * group and company.
     *
     * @param from first day, inclusive
     * @param to last day, inclusive (at most 366 days after {@code from})
     * @param groupId a group, or null for all
     * @param company a company code, or null for all
     * @throws IllegalArgumentException when the range is empty or too long
     */
    List<UsageRow> usage(LocalDate from, LocalDate to, String groupId, String company);

    /**
     * The month's running costs of each group split among the courier companies by funding share and by actual use
     * (compartment-hours), side by side.
     *
     * @param groupId a group, or null for every group
     */
    List<CostSharing> costSharing(YearMonth month, String groupId);
}
