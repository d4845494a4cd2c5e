package org.lockergate.rules.internal.holiday;

import java.time.LocalDate;

/**
 * One day of a holiday calendar.
 *
 * @param date the day (in the community's zone)
 * @param zh its name in Chinese, e.g. 春节（除夕）
 * @param en its name in English
 * @param kind where it comes from
 */
public record Holiday(LocalDate date, String zh, String en, Kind kind) {

    public enum Kind {
        /** A day off by law (《全国年节及纪念日放假办法》), computed. */
        STATUTORY,
        /** A day off in the published State Council arrangement (includes the statutory days and bridging days). */
        ARRANGED_OFF,
        /** A make-up workday in the published arrangement (调休上班): counted like any other day. */
        ARRANGED_WORK
    }

    /** Whether the day is not counted towards the free period. */
    public boolean off() {
        return kind != Kind.ARRANGED_WORK;
    }
}
