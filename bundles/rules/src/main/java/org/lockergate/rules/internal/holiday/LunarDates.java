package org.lockergate.rules.internal.holiday;

import com.ibm.icu.util.ChineseCalendar;
import java.time.LocalDate;

/**
 * Gregorian dates of Chinese lunar dates: ICU4J's {@link ChineseCalendar} (China standard time, UTC+8) for the month
 * structure, {@link NewMoons} for the day a month begins (ICU 77.1 is a day off for 春节 2027 and 2030). Thread-safe.
 */
public final class LunarDates {

    /** ICU's extended year of the lunar year that begins in Gregorian year {@code y} is {@code y + 2637}. */
    private static final int EXTENDED_YEAR_OFFSET = 2637;
    /** Julian day number of 1970-01-01. */
    private static final int EPOCH_JULIAN_DAY = 2440588;

    private LunarDates() {
    }

    /**
     * The Gregorian date of lunar month {@code month} (1–12, not the leap month) day {@code day} of the lunar year
     * whose first day (正月初一) falls in Gregorian year {@code gregorianYear}.
     */
    public static LocalDate of(int gregorianYear, int month, int day) {
        LocalDate icuFirst = icu(gregorianYear, month, 1);
        // ICU decides which lunation is this month; the accurate new moon decides its first day (see NewMoons)
        LocalDate first = NewMoons.dateNear(icuFirst);
        LocalDate nextFirst = NewMoons.dateNear(first.plusDays(29));
        if (day < 1 || first.plusDays(day - 1L).isAfter(nextFirst.minusDays(1))) {
            throw new IllegalArgumentException("no lunar date " + month + "/" + day + " in " + gregorianYear);
        }
        return first.plusDays(day - 1L);
    }

    /** What ICU's ChineseCalendar alone says. */
    static LocalDate icu(int gregorianYear, int month, int day) {
        ChineseCalendar cal = new ChineseCalendar();
        cal.clear();
        cal.set(ChineseCalendar.EXTENDED_YEAR, gregorianYear + EXTENDED_YEAR_OFFSET);
        cal.set(ChineseCalendar.MONTH, month - 1);
        cal.set(ChineseCalendar.IS_LEAP_MONTH, 0);
        cal.set(ChineseCalendar.DAY_OF_MONTH, day);
        int julianDay = cal.get(ChineseCalendar.JULIAN_DAY);
        LocalDate date = LocalDate.ofEpochDay(julianDay - EPOCH_JULIAN_DAY);
        // ICU normalises an out-of-range day (e.g. day 30 of a 29-day month) into the next month: refuse that.
        ChineseCalendar check = new ChineseCalendar();
        check.clear();
        check.set(ChineseCalendar.JULIAN_DAY, julianDay);
        if (check.get(ChineseCalendar.MONTH) != month - 1 || check.get(ChineseCalendar.DAY_OF_MONTH) != day
                || check.get(ChineseCalendar.IS_LEAP_MONTH) != 0) {
            throw new IllegalArgumentException("no lunar date " + month + "/" + day + " in " + gregorianYear);
        }
        return date;
    }

    /** 正月初一 (Chinese New Year) in Gregorian year {@code year}. */
    public static LocalDate newYear(int year) {
        return of(year, 1, 1);
    }

    /** 农历除夕: the last day of the twelfth month, i.e. the day before 正月初一 (the 29th or the 30th). */
    public static LocalDate newYearsEve(int year) {
        return newYear(year).minusDays(1);
    }
}
