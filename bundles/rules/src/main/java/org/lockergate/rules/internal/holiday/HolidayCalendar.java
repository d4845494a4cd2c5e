package org.lockergate.rules.internal.holiday;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which days are not counted (R4). Immutable; statutory days are computed per year on first use and cached.
 *
 * <p>{@link Mode#STATUTORY} (the default): only the law's days. {@link Mode#ARRANGEMENT}: the law's days plus the
 * days off of the published State Council arrangement for the years that have one (bridging days); make-up workdays
 * are ordinary counted days either way (weekends are counted too: the law does not make them holidays).
 */
public final class HolidayCalendar {

    public enum Mode {
        STATUTORY, ARRANGEMENT
    }

    public static final HolidayCalendar STATUTORY = new HolidayCalendar(Mode.STATUTORY, Arrangements.NONE);

    private final Mode mode;
    private final Arrangements arrangements;
    private final Set<LocalDate> arrangedOff;
    private final Map<Integer, Set<LocalDate>> statutory = new ConcurrentHashMap<>();

    public HolidayCalendar(Mode mode, Arrangements arrangements) {
        this.mode = mode;
        this.arrangements = arrangements;
        this.arrangedOff = mode == Mode.ARRANGEMENT ? arrangements.offDays() : Set.of();
    }

    public Mode mode() {
        return mode;
    }

    public Arrangements arrangements() {
        return arrangements;
    }

    /** Whether {@code date} is a holiday (its time is not counted). */
    public boolean isOff(LocalDate date) {
        return arrangedOff.contains(date) || statutory.computeIfAbsent(date.getYear(), y -> Set.copyOf(
                StatutoryHolidays.of(y).stream().map(Holiday::date).toList())).contains(date);
    }

    /** The holidays (and, in arrangement mode, make-up workdays) of a year, by date. */
    public List<Holiday> list(int year) {
        List<Holiday> out = new ArrayList<>(StatutoryHolidays.of(year));
        if (mode == Mode.ARRANGEMENT) {
            for (Arrangements.Notice n : arrangements.notices().values()) {
                n.days().stream().filter(h -> h.date().getYear() == year).forEach(out::add);
            }
        }
        out.sort(Comparator.comparing(Holiday::date).thenComparing(Holiday::kind));
        return out;
    }
}
