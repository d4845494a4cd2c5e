package org.lockergate.rules.internal.holiday;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ibm.icu.impl.CalendarAstronomer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatutoryHolidaysTest {

    /** Published dates (Chinese New Year, Qingming, Dragon Boat, Mid-Autumn) for 2024–2030. */
    @ParameterizedTest(name = "{0}: 春节 {1}, 清明 {2}, 端午 {3}, 中秋 {4}")
    @CsvSource({
        "2024, 2024-02-10, 2024-04-04, 2024-06-10, 2024-09-17",
        "2025, 2025-01-29, 2025-04-04, 2025-05-31, 2025-10-06",
        "2026, 2026-02-17, 2026-04-05, 2026-06-19, 2026-09-25",
        "2027, 2027-02-06, 2027-04-05, 2027-06-09, 2027-09-15",
        "2028, 2028-01-26, 2028-04-04, 2028-05-28, 2028-10-03",
        "2029, 2029-02-13, 2029-04-04, 2029-06-16, 2029-09-22",
        "2030, 2030-02-03, 2030-04-05, 2030-06-05, 2030-09-12" })
    void lunarAndSolarTermDatesMatchThePublishedOnes(int year, LocalDate newYear, LocalDate qingming,
            LocalDate dragonBoat, LocalDate midAutumn) {
        assertThat(LunarDates.newYear(year)).isEqualTo(newYear);
        assertThat(LunarDates.newYearsEve(year)).isEqualTo(newYear.minusDays(1));
        assertThat(SolarTerms.qingming(year)).isEqualTo(qingming);
        assertThat(LunarDates.of(year, 5, 5)).isEqualTo(dragonBoat);
        assertThat(LunarDates.of(year, 8, 15)).isEqualTo(midAutumn);
    }

    @Test
    void from2025TheLawGivesThirteenDaysWithNewYearsEveAndMayTheSecond() {
        List<LocalDate> days = StatutoryHolidays.of(2026).stream().map(Holiday::date).toList();
        assertThat(days).containsExactly(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 16), LocalDate.of(2026, 2, 17),
                LocalDate.of(2026, 2, 18), LocalDate.of(2026, 2, 19), LocalDate.of(2026, 4, 5), LocalDate.of(2026, 5, 1),
                LocalDate.of(2026, 5, 2), LocalDate.of(2026, 6, 19), LocalDate.of(2026, 9, 25),
                LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2), LocalDate.of(2026, 10, 3));
    }

    @Test
    void upTo2024TheOldTextAppliesWithElevenDays() {
        List<LocalDate> days = StatutoryHolidays.of(2024).stream().map(Holiday::date).toList();
        assertThat(days).hasSize(11).doesNotContain(LocalDate.of(2024, 2, 9), LocalDate.of(2024, 5, 2))
                .contains(LocalDate.of(2024, 2, 10), LocalDate.of(2024, 2, 12), LocalDate.of(2024, 5, 1));
    }

    @Test
    void newYearsEveIsTheTwentyNinthWhenTheTwelfthMonthIsShort() {
        // 2026: the notice calls 2026-02-15 腊月二十八, so the eve (2026-02-16) is the 29th
        assertThat(LunarDates.newYearsEve(2026)).isEqualTo(LocalDate.of(2026, 2, 16));
        assertThatThrownBy(() -> LunarDates.of(2026 - 1, 12, 30)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statutoryDaysAreComputedForAnyYear() {
        for (int year = 1950; year <= 2150; year++) {
            List<Holiday> days = StatutoryHolidays.of(year);
            assertThat(days).hasSize(year >= 2025 ? 13 : 11);
            LocalDate cny = LunarDates.newYear(year);
            assertThat(cny).isBetween(LocalDate.of(year, 1, 21), LocalDate.of(year, 2, 20));
            assertThat(SolarTerms.qingming(year)).isBetween(LocalDate.of(year, 4, 3), LocalDate.of(year, 4, 6));
        }
    }

    @Test
    void icuAloneIsADayOffForSpringFestival2027And2030AndTheNewMoonCorrectsIt() {
        assertThat(LunarDates.icu(2027, 1, 1)).isEqualTo(LocalDate.of(2027, 2, 7));
        assertThat(LunarDates.icu(2030, 1, 1)).isEqualTo(LocalDate.of(2030, 2, 2));
        assertThat(LunarDates.newYear(2027)).isEqualTo(LocalDate.of(2027, 2, 6));
        assertThat(LunarDates.newYear(2030)).isEqualTo(LocalDate.of(2030, 2, 3));
    }

    /** Where the corrected dates differ from ICU, the new moon is close to Beijing midnight (ICU's known weakness). */
    @Test
    void correctedMonthStartsDifferFromIcuOnlyForNearMidnightNewMoons() {
        int differences = 0;
        for (int year = 1950; year <= 2150; year++) {
            for (int month : new int[] {1, 5, 8}) {
                LocalDate icu = LunarDates.icu(year, month, 1);
                LocalDate ours = LunarDates.of(year, month, 1);
                if (!icu.equals(ours)) {
                    differences++;
                    var t = NewMoons.instantNear(icu).atOffset(ZoneOffset.ofHours(8)).toLocalTime();
                    int minutes = t.getHour() * 60 + t.getMinute();
                    assertThat(Math.min(minutes, 24 * 60 - minutes)).as("%d/%d: %s vs ICU %s", year, month, ours, icu)
                            .isLessThan(60);
                    assertThat(Math.abs(ours.toEpochDay() - icu.toEpochDay())).isEqualTo(1);
                }
            }
        }
        assertThat(differences).isLessThan(20);
    }

    /** ICU's own astronomer (not exported by its bundle, so only usable here) agrees on every Qingming date. */
    @Test
    void qingmingAgreesWithIcuCalendarAstronomerFor1900To2100() {
        for (int year = 1900; year <= 2100; year++) {
            Instant ours = SolarTerms.qingmingInstant(year);
            CalendarAstronomer astro = new CalendarAstronomer(LocalDate.of(year, 3, 25).atStartOfDay()
                    .toInstant(ZoneOffset.UTC).toEpochMilli());
            Instant icu = Instant.ofEpochMilli(astro.getSunTime(Math.toRadians(15.0), true));
            assertThat(Math.abs(ours.toEpochMilli() - icu.toEpochMilli())).as("year %d: %s vs %s", year, ours, icu)
                    .isLessThan(20 * 60_000L);
            if (!SolarTerms.qingmingNearMidnight(year)) {
                assertThat(ours.atOffset(ZoneOffset.ofHours(8)).toLocalDate())
                        .isEqualTo(icu.atOffset(ZoneOffset.ofHours(8)).toLocalDate());
            }
        }
    }
}
