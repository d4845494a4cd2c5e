package org.lockergate.rules.internal.report;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.lockergate.api.model.SizeClass;
import org.lockergate.rules.internal.ConfigException;
import org.lockergate.rules.internal.Entries;

/**
 * The validated configuration of R12: courier tariff per size, whether funding companies deposit free, the running
 * costs of each group per month, and the zone of the statistics' days.
 *
 * @param tariffFen fen per deposit by size
 * @param fundingCompaniesFree companies with a funding share pay no tariff
 * @param runningCostFen group id (or {@code *} for every other group) → running costs per month in fen
 * @param zone the zone of the days and months
 */
record Tariffs(Map<SizeClass, Long> tariffFen, boolean fundingCompaniesFree, Map<String, Long> runningCostFen,
        ZoneId zone) {

    static final Tariffs DEFAULT = new Tariffs(Map.of(SizeClass.S, 30L, SizeClass.M, 40L, SizeClass.L, 50L), false,
            Map.of(), ZoneId.of("Asia/Shanghai"));

    Tariffs {
        tariffFen = Map.copyOf(tariffFen);
        runningCostFen = Map.copyOf(runningCostFen);
    }

    /** The tariff of one deposit (size as asked by the courier; M when unknown). */
    long tariff(SizeClass size, boolean fundingCompany) {
        if (fundingCompany && fundingCompaniesFree) {
            return 0;
        }
        return tariffFen.get(size == null ? SizeClass.M : size);
    }

    long runningCost(String groupId) {
        Long cost = runningCostFen.get(groupId);
        return cost != null ? cost : runningCostFen.getOrDefault("*", 0L);
    }

    static Tariffs parse(UsageReportService.Config c) {
        Map<SizeClass, Long> tariffs = new EnumMap<>(SizeClass.class);
        for (Map.Entry<String, Integer> e : Entries.ints("tariffFen", c.tariffFen(), 0, 100_000).entrySet()) {
            SizeClass size;
            try {
                size = SizeClass.valueOf(e.getKey().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException("tariffFen", "未知的尺寸 “" + e.getKey() + "”（应为 S、M、L）", "unknown size '"
                        + e.getKey() + "' (S, M or L)");
            }
            tariffs.put(size, e.getValue().longValue());
        }
        for (SizeClass size : SizeClass.values()) {
            if (!tariffs.containsKey(size)) {
                throw new ConfigException("tariffFen", "缺少尺寸 " + size + " 的资费", "no tariff for size " + size);
            }
        }
        Map<String, Long> costs = new java.util.LinkedHashMap<>();
        Entries.ints("runningCostFen", c.runningCostFen(), 0, Integer.MAX_VALUE)
                .forEach((group, fen) -> costs.put(group, fen.longValue()));
        ZoneId zone;
        try {
            zone = ZoneId.of(c.zone().trim());
        } catch (DateTimeException | NullPointerException e) {
            throw new ConfigException("zone", "未知时区 “" + c.zone() + "”", "unknown zone '" + c.zone() + "'");
        }
        return new Tariffs(tariffs, c.fundingCompaniesFree(), costs, zone);
    }
}
