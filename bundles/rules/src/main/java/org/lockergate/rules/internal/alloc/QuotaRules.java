package org.lockergate.rules.internal.alloc;

import java.util.Map;
import java.util.Set;
import org.lockergate.rules.internal.ConfigException;
import org.lockergate.rules.internal.Entries;

/**
 * The validated allocation configuration.
 *
 * @param shares company code → funding share in percent (sum 100), empty = no quota pools
 * @param sharedPercent the shared part of every size class of a group, in percent
 * @param borrowing whether a company whose part is used up may borrow from the shared part
 * @param borrowLimitPercent how much of the shared part one company may hold by borrowing, in percent
 * @param unknownCompanies what a company without a share may use
 * @param low which compartments are low
 * @param spreadWear rotate through a size's free compartments instead of always taking the first
 */
record QuotaRules(Map<String, Integer> shares, int sharedPercent, boolean borrowing, int borrowLimitPercent,
        Unknown unknownCompanies, LowPositions low, boolean spreadWear) {

    enum Unknown {
        /** May use the shared part (within the borrowing limit). */
        SHARED,
        /** Refused. */
        REFUSE
    }

    static final QuotaRules NO_POOLS = new QuotaRules(Map.of(), 20, true, 100, Unknown.SHARED, LowPositions.NONE,
            true);

    QuotaRules {
        shares = Map.copyOf(shares);
    }

    boolean pools() {
        return !shares.isEmpty();
    }

    /** Refuses shares naming a company the gateway does not know (when it knows any). */
    static QuotaRules checkCompanies(QuotaRules rules, Set<String> known) {
        if (known.isEmpty()) {
            return rules;
        }
        Set<String> sorted = new java.util.TreeSet<>(known);
        for (String company : rules.shares().keySet()) {
            if (!known.contains(company)) {
                throw new ConfigException("shares", "未知的快递公司 “" + company + "”（已配置：" + String.join("、", sorted)
                        + "）", "unknown courier company '" + company + "' (configured: " + String.join(", ", sorted)
                                + ")");
            }
        }
        return rules;
    }

    static QuotaRules parse(QuotaAllocation.Config c) {
        Map<String, Integer> shares = Entries.ints("shares", c.shares(), 0, 100);
        int sum = shares.values().stream().mapToInt(Integer::intValue).sum();
        if (!shares.isEmpty() && sum != 100) {
            throw new ConfigException("shares", "份额之和为 " + sum + "%，应为 100%", "shares sum to " + sum
                    + " %, not 100 %");
        }
        if (c.sharedPercent() < 0 || c.sharedPercent() > 100) {
            throw new ConfigException("sharedPercent", "应在 0…100 之间：" + c.sharedPercent(), "must be within 0…100: "
                    + c.sharedPercent());
        }
        if (c.borrowLimitPercent() < 0 || c.borrowLimitPercent() > 100) {
            throw new ConfigException("borrowLimitPercent", "应在 0…100 之间：" + c.borrowLimitPercent(),
                    "must be within 0…100: " + c.borrowLimitPercent());
        }
        Unknown unknown = switch (c.unknownCompanies() == null ? "" : c.unknownCompanies().trim().toLowerCase()) {
            case "shared", "" -> Unknown.SHARED;
            case "refuse" -> Unknown.REFUSE;
            default -> throw new ConfigException("unknownCompanies", "应为 shared 或 refuse：“" + c.unknownCompanies()
                    + "”", "must be shared or refuse, not '" + c.unknownCompanies() + "'");
        };
        return new QuotaRules(shares, c.sharedPercent(), c.borrowing(), c.borrowLimitPercent(), unknown,
                LowPositions.parse("lowPositions", c.lowPositions()), c.spreadWear());
    }
}
