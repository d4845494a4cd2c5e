package org.lockergate.rules.internal.fee;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.lockergate.api.model.Fee;
import org.lockergate.rules.internal.Texts;
import org.lockergate.rules.internal.holiday.HolidayCalendar;

/**
 * R5, exactly: counted time = time since the door closed minus holiday time; overdue = counted time − free period;
 * fee = ⌈overdue / period⌉ × rate, capped; a pickup exactly at the end of the free period is free; integer fen.
 * Holidays are whole calendar days in the community's zone. Pure and thread-safe.
 */
public final class FeeCalculator {

    /** Refuse to walk more than this many days (a broken calendar or an absurd free period). */
    static final int MAX_DAYS = 20_000;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;
    private final HolidayCalendar holidays;

    public FeeCalculator(ZoneId zone, HolidayCalendar holidays) {
        this.zone = zone;
        this.holidays = holidays;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * The fee of a parcel deposited at {@code depositedAt} and picked up at {@code at}.
     *
     * @param feeTermsAccepted no fee at all when false (R5)
     * @param plan the recipient's member plan, or null
     */
    public Fee quote(FeeRule rule, Instant depositedAt, Instant at, boolean feeTermsAccepted, String plan) {
        boolean skipHolidays = rule.holidaysNotCounted();
        Duration free = rule.freeFor(plan);
        Instant freeUntil = freeUntil(depositedAt, free, skipHolidays);
        String planText = free.equals(rule.free()) || plan == null ? "" : "会员方案 " + plan + "：";
        String planTextEn = free.equals(rule.free()) || plan == null ? "" : "member plan " + plan + ": ";
        Duration stored = at.isAfter(depositedAt) ? Duration.between(depositedAt, at) : Duration.ZERO;
        Duration counted = skipHolidays ? counted(depositedAt, at) : stored;
        if (!feeTermsAccepted) {
            return Fee.free(freeUntil, counted, "未接受收费条款，不收取超时费 / Fee terms not accepted: no overdue fee");
        }
        Duration notCounted = stored.minus(counted);
        String times = "存放 " + Texts.hours(stored) + (notCounted.isZero() ? "" : "，其中节假日 " + Texts.hours(notCounted)
                + " 不计") + "，计费时长 " + Texts.hours(counted);
        String timesEn = "stored " + Texts.hours(stored) + (notCounted.isZero() ? "" : ", of which "
                + Texts.hours(notCounted) + " holiday time not counted") + ", counted " + Texts.hours(counted);
        String until = TIME.format(freeUntil.atZone(zone));
        if (counted.compareTo(free) <= 0) {
            String text = planText + rule.describeZh(free) + "；免费至 " + until + "。" + times + "，未超时，免费 / "
                    + planTextEn + rule.describeEn(free) + "; free until " + until + ". " + cap(timesEn)
                    + ": not overdue, no fee";
            return Fee.free(freeUntil, counted, text);
        }
        Duration overdue = counted.minus(free);
        long periodNanos = rule.period().toNanos();
        long overdueNanos = overdue.toNanos();
        long periods = overdueNanos / periodNanos + (overdueNanos % periodNanos == 0 ? 0 : 1);
        long uncapped = periods > Long.MAX_VALUE / Math.max(1, rule.rateFen()) ? Long.MAX_VALUE
                : periods * rule.rateFen();
        boolean capped = uncapped > rule.capFen();
        long fee = capped ? rule.capFen() : uncapped;
        String text = times + "，免费 " + Texts.span(free) + "（至 " + until + "），超时 " + Texts.hours(overdue) + "，" + periods
                + " 个计费周期 × " + Texts.yuan(rule.rateFen()) + (capped ? "，封顶 " : " = ") + Texts.yuan(fee) + " / "
                + cap(timesEn) + "; free " + Texts.span(free) + " (until " + until + "); overdue " + Texts.hours(overdue)
                + ": " + periods + " started " + Texts.span(rule.period()) + " period(s) × " + Texts.yuan(rule.rateFen())
                + (capped ? ", capped at " : " = ") + Texts.yuan(fee);
        return new Fee(fee, freeUntil, overdue, (int) Math.min(Integer.MAX_VALUE, periods), capped, planText + text,
                counted);
    }

    /** Time in [from, to) that falls on counted (non-holiday) days. */
    public Duration counted(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        Duration total = Duration.ZERO;
        Instant t = from;
        int days = 0;
        while (t.isBefore(to)) {
            LocalDate d = t.atZone(zone).toLocalDate();
            Instant dayEnd = d.plusDays(1).atStartOfDay(zone).toInstant();
            Instant segEnd = dayEnd.isBefore(to) ? dayEnd : to;
            if (!holidays.isOff(d)) {
                total = total.plus(Duration.between(t, segEnd));
            }
            t = segEnd;
            if (++days > MAX_DAYS) {
                throw new IllegalStateException("span too long: " + from + " .. " + to);
            }
        }
        return total;
    }

    /**
     * The end of the free period: the last instant at which the counted time is still at most {@code free}. When the
     * counted time reaches the free period just as a holiday begins, the free period ends when the holiday does (the
     * fee is zero throughout the holiday, so the resident is told the later time).
     */
    public Instant freeUntil(Instant from, Duration free, boolean skipHolidays) {
        if (!skipHolidays) {
            return from.plus(free);
        }
        Instant t = from;
        Duration remaining = free;
        for (int days = 0; days <= MAX_DAYS; days++) {
            LocalDate d = t.atZone(zone).toLocalDate();
            Instant dayEnd = d.plusDays(1).atStartOfDay(zone).toInstant();
            if (holidays.isOff(d)) {
                t = dayEnd;
                continue;
            }
            if (remaining.isZero()) {
                return t;
            }
            Duration seg = Duration.between(t, dayEnd);
            if (remaining.compareTo(seg) < 0) {
                return t.plus(remaining);
            }
            remaining = remaining.minus(seg);
            t = dayEnd;
        }
        throw new IllegalStateException("free period does not end within " + MAX_DAYS + " days");
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
