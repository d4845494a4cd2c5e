package org.lockergate.rules.internal.holiday;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed or missing holiday file is refused naming the field, and the calendar in force stays. */
class HolidayServiceTest {

    static final String GOOD_2027 = "source 2027 测试用通知（仅测试）https://example.invalid/2027\n"
            + "2027-02-05..2027-02-11 off 春节 | Spring Festival\n";

    @Test
    void aMalformedArrangementFileIsRefusedAndThePreviousCalendarStays(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("holidays.txt");
        Files.writeString(file, GOOD_2027, StandardCharsets.UTF_8);
        HolidayService service = new HolidayService();
        service.configure(config("arrangement", file.toString()));
        HolidayCalendar good = service.calendar();
        assertThat(good.isOff(LocalDate.of(2027, 2, 11))).isTrue();

        Files.writeString(file, GOOD_2027 + "2027-13-01 off 不存在 | no such day\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> HolidayService.build(config("arrangement", file.toString())))
                .hasMessageContaining("arrangementFile").hasMessageContaining("3");
        service.configure(config("arrangement", file.toString()));
        assertThat(service.calendar()).isSameAs(good);

        Files.writeString(file, "2027-02-05 off 春节 | Spring Festival\n", StandardCharsets.UTF_8); // no source
        service.configure(config("arrangement", file.toString()));
        assertThat(service.calendar()).isSameAs(good);

        service.configure(config("arrangement", dir.resolve("missing.txt").toString()));
        assertThat(service.calendar()).isSameAs(good);
        assertThatThrownBy(() -> HolidayService.build(config("arrangement", dir.resolve("missing.txt").toString())))
                .hasMessageContaining("Configuration field arrangementFile refused");

        service.configure(config("weekly", ""));
        assertThat(service.calendar()).isSameAs(good);
        assertThatThrownBy(() -> HolidayService.build(config("weekly", ""))).hasMessageContaining("mode");
    }

    static HolidayService.Config config(String mode, String file) {
        return new HolidayService.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HolidayService.Config.class;
            }

            @Override
            public String mode() {
                return mode;
            }

            @Override
            public boolean builtInArrangements() {
                return true;
            }

            @Override
            public String arrangementFile() {
                return file;
            }

            @Override
            public String[] arrangement() {
                return new String[0];
            }
        };
    }
}
