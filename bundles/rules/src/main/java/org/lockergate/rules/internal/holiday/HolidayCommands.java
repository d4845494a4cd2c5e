package org.lockergate.rules.internal.holiday;

import java.time.LocalDate;
import java.time.Year;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands {@code holidays:list [year]} and {@code holidays:check <date>}. Registered as a plain object with
 * the {@code osgi.command.*} properties, so the bundle needs no Gogo import.
 */
@Component(service = HolidayCommands.class, property = {"osgi.command.scope=holidays",
    "osgi.command.function=list", "osgi.command.function=check"})
public class HolidayCommands {

    @Reference
    HolidayService holidays;

    public HolidayCommands() {
    }

    HolidayCommands(HolidayService holidays) {
        this.holidays = holidays;
    }

    /** This year's holidays. */
    public String list() {
        return list(Year.now(java.time.ZoneId.of("Asia/Shanghai")).getValue());
    }

    public String list(int year) {
        HolidayCalendar cal = holidays.calendar();
        StringBuilder out = new StringBuilder();
        out.append(year).append(" 年节假日（").append(cal.mode() == HolidayCalendar.Mode.STATUTORY ? "法定节假日"
                : "法定节假日 + 国务院放假安排").append("） / Holidays of ").append(year).append(" (")
                .append(cal.mode().name().toLowerCase()).append(")\n");
        out.append(String.format("%-12s %-4s %-18s %s%n", "日期/date", "星期", "类别/kind", "名称/name"));
        List<Holiday> days = cal.list(year);
        for (Holiday h : days) {
            out.append(String.format("%-12s %-4s %-18s %s / %s%n", h.date(), "一二三四五六日".charAt(
                    h.date().getDayOfWeek().getValue() - 1), kind(h.kind()), h.zh(), h.en()));
        }
        long off = days.stream().filter(Holiday::off).map(Holiday::date).distinct().count();
        out.append("不计时的天数 / days not counted: ").append(off).append('\n');
        if (SolarTerms.qingmingNearMidnight(year)) {
            out.append("注意：计算的清明时刻距午夜不足 ").append(SolarTerms.UNCERTAIN_MINUTES).append(" 分钟，请核对 / Note: the "
                    + "computed Qingming moment is within ").append(SolarTerms.UNCERTAIN_MINUTES)
                    .append(" min of midnight, please verify\n");
        }
        Arrangements.Notice notice = cal.arrangements().notices().get(year);
        if (cal.mode() == HolidayCalendar.Mode.ARRANGEMENT) {
            out.append(notice == null ? "未载入该年的国务院放假安排，仅按法定节假日 / No published arrangement loaded for this "
                    + "year: statutory days only\n" : "出处 / source: " + notice.source() + "\n");
        }
        return out.toString();
    }

    /** Whether a date's time is counted. */
    public String check(String date) {
        LocalDate d = LocalDate.parse(date.trim());
        HolidayCalendar cal = holidays.calendar();
        List<Holiday> named = cal.list(d.getYear()).stream().filter(h -> h.date().equals(d)).toList();
        String names = named.isEmpty() ? "" : " — " + String.join("、", named.stream().map(Holiday::zh).toList())
                + " / " + String.join(", ", named.stream().map(Holiday::en).toList());
        return d + (cal.isOff(d) ? " 节假日，不计时 / holiday, not counted" : " 计时 / counted") + names;
    }

    private static String kind(Holiday.Kind kind) {
        return switch (kind) {
            case STATUTORY -> "法定/statutory";
            case ARRANGED_OFF -> "放假/arranged off";
            case ARRANGED_WORK -> "调休上班/workday";
        };
    }
}
