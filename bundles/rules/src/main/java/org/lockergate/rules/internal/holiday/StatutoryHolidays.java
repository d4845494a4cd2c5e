package org.lockergate.rules.internal.holiday;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The days off for all citizens (全体公民放假的节日) of 《全国年节及纪念日放假办法》, computed for any year.
 *
 * <p>From 2025 on — 国务院关于修改〈全国年节及纪念日放假办法〉的决定, 国务院令第795号, published 2024-11-10, in force
 * 2025-01-01 (https://www.gov.cn/zhengce/content/202411/content_6986380.htm; State Council Gazette
 * https://www.gov.cn/gongbao/2024/issue_11726/202411/content_6989774.html), Article 2 reads:
 * <pre>
 * （一）元旦，放假1天（1月1日）；
 * （二）春节，放假4天（农历除夕、正月初一至初三）；
 * （三）清明节，放假1天（农历清明当日）；
 * （四）劳动节，放假2天（5月1日、2日）；
 * （五）端午节，放假1天（农历端午当日）；
 * （六）中秋节，放假1天（农历中秋当日）；
 * （七）国庆节，放假3天（10月1日至3日）。
 * </pre>
 * Up to 2024 the 2013 text (国务院令第644号, in force 2014-01-01) applied, which differs only in 春节 3 days (农历正月初一、
 * 初二、初三) and 劳动节 1 day (5月1日): years before 2025 use it, so old parcels and disputes are computed under the
 * law of their time.
 *
 * <p>Only the law's own days: Article 6 (a statutory day falling on a weekend is compensated on a workday) and the
 * bridging arrangement (调休) are decided every year by the State Council's notice — they come from
 * {@link Arrangements} data, never guessed here.
 */
public final class StatutoryHolidays {

    /** The first year of the 2024 revision. */
    public static final int REVISION_2024_FROM = 2025;

    private StatutoryHolidays() {
    }

    public static List<Holiday> of(int year) {
        boolean rev2024 = year >= REVISION_2024_FROM;
        List<Holiday> days = new ArrayList<>();
        days.add(day(LocalDate.of(year, 1, 1), "元旦", "New Year's Day"));
        LocalDate springFestival = LunarDates.newYear(year);
        if (rev2024) {
            days.add(day(springFestival.minusDays(1), "春节（除夕）", "Spring Festival (New Year's Eve)"));
        }
        days.add(day(springFestival, "春节（正月初一）", "Spring Festival (1st day)"));
        days.add(day(springFestival.plusDays(1), "春节（正月初二）", "Spring Festival (2nd day)"));
        days.add(day(springFestival.plusDays(2), "春节（正月初三）", "Spring Festival (3rd day)"));
        days.add(day(SolarTerms.qingming(year), "清明节", "Qingming Festival"));
        days.add(day(LocalDate.of(year, 5, 1), "劳动节", "Labour Day"));
        if (rev2024) {
            days.add(day(LocalDate.of(year, 5, 2), "劳动节", "Labour Day"));
        }
        days.add(day(LunarDates.of(year, 5, 5), "端午节", "Dragon Boat Festival"));
        days.add(day(LunarDates.of(year, 8, 15), "中秋节", "Mid-Autumn Festival"));
        for (int d = 1; d <= 3; d++) {
            days.add(day(LocalDate.of(year, 10, d), "国庆节", "National Day"));
        }
        days.sort((a, b) -> a.date().compareTo(b.date()));
        return List.copyOf(days);
    }

    private static Holiday day(LocalDate date, String zh, String en) {
        return new Holiday(date, zh, en, Holiday.Kind.STATUTORY);
    }
}
