package org.lockergate.rules.internal.fee;

import java.time.Duration;
import java.util.Map;
import org.lockergate.rules.internal.ConfigException;
import org.lockergate.rules.internal.Texts;

/**
 * The numbers of R5 in force for parcels deposited from some moment on (a parcel keeps the rule it was deposited
 * under).
 *
 * @param free the free period (holiday time not counted)
 * @param period the charging period: every started one costs {@code rateFen}
 * @param rateFen fen per started period
 * @param capFen the most one parcel pays
 * @param holidaysNotCounted whether holiday time is left out of the counted time (R4; true by default)
 * @param planFreeDays member plan id → free days (replaces the free period when longer)
 */
public record FeeRule(Duration free, Duration period, long rateFen, long capFen, boolean holidaysNotCounted,
        Map<String, Integer> planFreeDays) {

    public static final FeeRule DEFAULT = new FeeRule(Duration.ofHours(24), Duration.ofHours(12), 50, 300, true,
            Map.of());

    public FeeRule {
        planFreeDays = Map.copyOf(planFreeDays);
        if (free.isNegative()) {
            throw new ConfigException("freeHours", "不能为负数", "must not be negative");
        }
        if (period.isNegative() || period.isZero()) {
            throw new ConfigException("periodHours", "必须至少 1 小时", "must be at least 1 hour");
        }
        if (rateFen < 0) {
            throw new ConfigException("rateFen", "不能为负数：" + rateFen, "must not be negative: " + rateFen);
        }
        if (capFen < 0) {
            throw new ConfigException("capFen", "不能为负数：" + capFen, "must not be negative: " + capFen);
        }
        if (capFen < rateFen) {
            throw new ConfigException("capFen", "封顶 " + Texts.yuan(capFen) + " 低于一个计费周期的费用 "
                    + Texts.yuan(rateFen), "the cap " + Texts.yuan(capFen) + " is below one period's fee "
                    + Texts.yuan(rateFen));
        }
    }

    /** The free period for a member plan (or the default one when the plan is unknown or shorter). */
    public Duration freeFor(String plan) {
        Integer days = plan == null ? null : planFreeDays.get(plan);
        if (days == null) {
            return free;
        }
        Duration planFree = Duration.ofDays(days);
        return planFree.compareTo(free) > 0 ? planFree : free;
    }

    /** The rule in words (zh / en), for the notification and the explanation. */
    public String describe(Duration freePeriod) {
        return describeZh(freePeriod) + " / " + describeEn(freePeriod);
    }

    public String describeZh(Duration freePeriod) {
        return "免费保管 " + Texts.span(freePeriod) + (holidaysNotCounted ? "（节假日不计）" : "") + "，之后每 "
                + Texts.span(period) + " " + Texts.yuan(rateFen) + "，最高 " + Texts.yuan(capFen);
    }

    public String describeEn(Duration freePeriod) {
        return "Free for " + Texts.span(freePeriod) + (holidaysNotCounted ? " (holidays not counted)" : "")
                + ", then " + Texts.yuan(rateFen) + " per started " + Texts.span(period) + ", at most "
                + Texts.yuan(capFen);
    }
}
