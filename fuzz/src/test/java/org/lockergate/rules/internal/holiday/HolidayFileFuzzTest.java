package org.lockergate.rules.internal.holiday;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.LocalDate;
import org.lockergate.rules.internal.ConfigException;

/**
 * Holiday arrangement files (the State Council's yearly notice, as the operator types it): any text gives
 * arrangements or a {@link ConfigException} naming the line; a parsed file answers for every day of its years.
 */
class HolidayFileFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void arrangements(byte[] input) {
        String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        try {
            Arrangements parsed = Arrangements.parse("holidayFile", text);
            HolidayCalendar calendar = new HolidayCalendar(HolidayCalendar.Mode.STATUTORY, parsed);
            for (LocalDate day = LocalDate.of(2025, 1, 1); day.isBefore(LocalDate.of(2025, 2, 15));
                    day = day.plusDays(1)) {
                calendar.isOff(day);
            }
            assertThat(calendar.list(2025)).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
