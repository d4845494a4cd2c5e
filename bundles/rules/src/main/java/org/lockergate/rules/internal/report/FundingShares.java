package org.lockergate.rules.internal.report;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Map;
import java.util.TreeMap;
import org.lockergate.rules.internal.Entries;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The courier companies' funding shares: the allocation's {@code shares} when configured (they already sum to 100),
 * else the {@code fundingSharePercent} of the core's {@code org.lockergate.core.company} configurations.
 */
final class FundingShares {

    private FundingShares() {
    }

    static Map<String, Integer> read(ConfigurationAdmin ca) {
        Map<String, Integer> shares = new TreeMap<>();
        if (ca == null) {
            return shares;
        }
        try {
            Configuration[] allocation = ca.listConfigurations("(service.pid=org.lockergate.rules.allocation)");
            if (allocation != null && allocation.length > 0 && allocation[0].getProperties() != null
                    && allocation[0].getProperties().get("shares") instanceof String[] list && list.length > 0) {
                shares.putAll(Entries.ints("shares", list, 0, 100));
                return shares;
            }
            Configuration[] companies = ca.listConfigurations("(service.factoryPid=org.lockergate.core.company)");
            if (companies != null) {
                for (Configuration c : companies) {
                    Dictionary<String, Object> p = c.getProperties();
                    if (p != null && p.get("code") != null && p.get("fundingSharePercent") instanceof Number n) {
                        shares.put(p.get("code").toString().trim(), n.intValue());
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            return new TreeMap<>(); // unreadable: no funding split rather than a wrong one
        }
        return shares;
    }
}
