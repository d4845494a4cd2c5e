package org.lockergate.api.report;

import java.time.YearMonth;
import java.util.List;

/**
 * One group's running costs of one month split among the courier companies.
 *
 * @param month the month
 * @param groupId the group
 * @param runningCostFen the configured running costs of the group for the month
 * @param compartmentSeconds the compartment time all companies used
 * @param shares one line per company with a funding share or any use, by company code
 */
public record CostSharing(YearMonth month, String groupId, long runningCostFen, long compartmentSeconds,
        List<CostShare> shares) {

    public CostSharing {
        shares = List.copyOf(shares);
    }

    /**
     * @param company the company code
     * @param fundingSharePercent its configured funding share
     * @param deposits its deposits of the month
     * @param compartmentSeconds its compartment time of the month
     * @param usePermille its part of the compartment time used, per mille
     * @param byFundingFen the running costs by funding share (the parts sum to the costs exactly)
     * @param byUseFen the running costs by actual use (the parts sum to the costs exactly)
     * @param balanceFen {@code byUseFen − byFundingFen}: positive when it used more than it funds
     * @param tariffFen its courier tariffs of the month
     */
    public record CostShare(String company, int fundingSharePercent, int deposits, long compartmentSeconds,
            int usePermille, long byFundingFen, long byUseFen, long balanceFen, long tariffFen) {
    }
}
