package org.lockergate.rules.internal.holiday;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.lockergate.rules.internal.ConfigException;
import org.junit.jupiter.api.Test;

class ArrangementsTest {

    @Test
    void theShippedDataHasTheCitedNoticesOf2025And2026Only() {
        Arrangements data = Arrangements.builtIn();
        assertThat(data.notices()).containsOnlyKeys(2025, 2026);
        assertThat(data.notices().get(2025).source()).contains("国办发明电〔2024〕12号").contains("gov.cn");
        assertThat(data.notices().get(2026).source()).contains("国办发明电〔2025〕7号").contains("gov.cn");
        // 2025 Spring Festival 1/28–2/4 = 8 days, National Day + Mid-Autumn 10/1–10/8 = 8 days
        assertThat(data.offDays()).contains(LocalDate.of(2025, 1, 28), LocalDate.of(2025, 2, 4),
                LocalDate.of(2025, 10, 8), LocalDate.of(2026, 2, 23), LocalDate.of(2026, 9, 27))
                .doesNotContain(LocalDate.of(2025, 1, 26), LocalDate.of(2025, 2, 5), LocalDate.of(2026, 10, 10));
        assertThat(data.offDays().stream().filter(d -> d.getYear() == 2025)).hasSize(28);
        assertThat(data.offDays().stream().filter(d -> d.getYear() == 2026)).hasSize(33);
    }

    @Test
    void everyStatutoryDayOfAPublishedYearIsADayOffInItsArrangement() {
        Arrangements data = Arrangements.builtIn();
        for (int year : new int[] {2025, 2026}) {
            for (Holiday h : StatutoryHolidays.of(year)) {
                assertThat(data.offDays()).as("%s %s", h.date(), h.zh()).contains(h.date());
            }
        }
    }

    @Test
    void arrangementModeAddsBridgingDaysButStatutoryModeDoesNot() {
        LocalDate bridging = LocalDate.of(2025, 2, 3); // 正月初六, off by the 2025 notice only
        assertThat(new HolidayCalendar(HolidayCalendar.Mode.ARRANGEMENT, Arrangements.builtIn()).isOff(bridging))
                .isTrue();
        assertThat(HolidayCalendar.STATUTORY.isOff(bridging)).isFalse();
        assertThat(HolidayCalendar.STATUTORY.isOff(LocalDate.of(2025, 1, 28))).isTrue();
        LocalDate makeUp = LocalDate.of(2025, 1, 26);
        assertThat(new HolidayCalendar(HolidayCalendar.Mode.ARRANGEMENT, Arrangements.builtIn()).isOff(makeUp))
                .isFalse();
    }

    @Test
    void anOperatorsYearReplacesTheShippedYear() {
        Arrangements mine = Arrangements.parse("arrangement", """
                source 2026 test notice
                2026-03-02 off 测试 | test
                """);
        Arrangements merged = Arrangements.builtIn().with(mine);
        assertThat(merged.notices().get(2026).days()).hasSize(1);
        assertThat(merged.notices().get(2025).days()).isNotEmpty();
    }

    @Test
    void dataWithoutACitedSourceIsRefused() {
        assertThatThrownBy(() -> Arrangements.parse("arrangementFile", "2027-01-01 off 元旦\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("arrangementFile")
                .hasMessageContaining("line 1");
    }

    @Test
    void malformedLinesAreRefusedWithTheirLineNumber() {
        assertThatThrownBy(() -> Arrangements.parse("arrangementFile", "source 2027 x\n\n2027-02-30 off x\n"))
                .hasMessageContaining("line 3").hasMessageContaining("2027-02-30");
        assertThatThrownBy(() -> Arrangements.parse("arrangementFile", "source 2027 x\n2027-02-01 holiday\n"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> Arrangements.parse("arrangementFile", "source 2027 x\n2027-02-05..2027-02-01 off\n"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> Arrangements.parse("a", "source 2027 x\n2027-02-01 off\n2027-02-01 work\n"))
                .hasMessageContaining("2027-02-01");
    }

    @Test
    void theShellListsAYearAndChecksADay() {
        HolidayCommands commands = new HolidayCommands(new HolidayService(new HolidayCalendar(
                HolidayCalendar.Mode.ARRANGEMENT, Arrangements.builtIn())));
        String list = commands.list(2025);
        assertThat(list).contains("2025-01-28").contains("春节（除夕）").contains("调休上班").contains("国办发明电〔2024〕12号");
        assertThat(commands.list(2027)).contains("No published arrangement loaded");
        assertThat(commands.check("2025-10-06")).contains("holiday").contains("中秋节");
        assertThat(commands.check("2025-10-11")).contains("counted");
    }
}
