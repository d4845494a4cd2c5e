package org.lockergate.rules.internal.holiday;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Accurate new moon instants: J. Meeus, <i>Astronomical Algorithms</i> (2nd ed.), ch. 49 (mean phase plus the
 * periodic and planetary-argument corrections; error of the order of a minute in this era).
 *
 * <p>Why: ICU4J's ChineseCalendar finds new moons with a low-accuracy Keplerian model, which puts a new moon close to
 * midnight (China time) on the wrong day. With ICU4J 77.1 this moves 春节 2027 to Feb 7 (it is Feb 6: the new moon is
 * at about 23:56 on Feb 6, Beijing time) and 春节 2030 to Feb 2 (it is Feb 3, new moon just after midnight) — see
 * unicode-org/icu PR #4070 (ICU-23274, "near-midnight New Moon conjunction"). {@link LunarDates} therefore takes the
 * month structure (which lunation is month 1, 5, 8) from ICU and the first day of the month from here.
 */
final class NewMoons {

    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final double UNIX_EPOCH_JD = 2440587.5;

    private NewMoons() {
    }

    /** The Beijing-time date of the new moon nearest to {@code approx} (which must be within ±7 days of one). */
    static LocalDate dateNear(LocalDate approx) {
        return instantNear(approx).atOffset(BEIJING).toLocalDate();
    }

    static Instant instantNear(LocalDate approx) {
        double yearFraction = approx.getYear() + (approx.getDayOfYear() - 0.5) / approx.lengthOfYear();
        double k0 = Math.floor((yearFraction - 2000) * 12.3685);
        Instant best = null;
        long bestDistance = Long.MAX_VALUE;
        long target = approx.atStartOfDay(BEIJING).toInstant().toEpochMilli() + 43_200_000L;
        for (double k = k0 - 1; k <= k0 + 2; k++) {
            double jdUt = jde(k) - SolarTerms.deltaTSeconds(approx.getYear()) / 86400.0;
            Instant t = Instant.ofEpochMilli(Math.round((jdUt - UNIX_EPOCH_JD) * 86_400_000.0));
            long distance = Math.abs(t.toEpochMilli() - target);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = t;
            }
        }
        return best;
    }

    /** Julian Ephemeris Day of the true new moon of lunation {@code k} (k = 0: 2000-01-06). */
    static double jde(double k) {
        double t = k / 1236.85;
        double t2 = t * t;
        double t3 = t2 * t;
        double t4 = t3 * t;
        double jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4;
        double e = 1 - 0.002516 * t - 0.0000074 * t2;
        double m = rad(2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3);
        double mp = rad(201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4);
        double f = rad(160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4);
        double om = rad(124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3);
        double c = -0.40720 * Math.sin(mp)
                + 0.17241 * e * Math.sin(m)
                + 0.01608 * Math.sin(2 * mp)
                + 0.01039 * Math.sin(2 * f)
                + 0.00739 * e * Math.sin(mp - m)
                - 0.00514 * e * Math.sin(mp + m)
                + 0.00208 * e * e * Math.sin(2 * m)
                - 0.00111 * Math.sin(mp - 2 * f)
                - 0.00057 * Math.sin(mp + 2 * f)
                + 0.00056 * e * Math.sin(2 * mp + m)
                - 0.00042 * Math.sin(3 * mp)
                + 0.00042 * e * Math.sin(m + 2 * f)
                + 0.00038 * e * Math.sin(m - 2 * f)
                - 0.00024 * e * Math.sin(2 * mp - m)
                - 0.00017 * Math.sin(om)
                - 0.00007 * Math.sin(mp + 2 * m)
                + 0.00004 * Math.sin(2 * mp - 2 * f)
                + 0.00004 * Math.sin(3 * m)
                + 0.00003 * Math.sin(mp + m - 2 * f)
                + 0.00003 * Math.sin(2 * mp + 2 * f)
                - 0.00003 * Math.sin(mp + m + 2 * f)
                + 0.00003 * Math.sin(mp - m + 2 * f)
                - 0.00002 * Math.sin(mp - m - 2 * f)
                - 0.00002 * Math.sin(3 * mp + m)
                + 0.00002 * Math.sin(4 * mp);
        double[] a = {299.77 + 0.107408 * k - 0.009173 * t2, 251.88 + 0.016321 * k, 251.83 + 26.651886 * k,
            349.42 + 36.412478 * k, 84.66 + 18.206239 * k, 141.74 + 53.303771 * k, 207.14 + 2.453732 * k,
            154.84 + 7.306860 * k, 34.52 + 27.261239 * k, 207.19 + 0.121824 * k, 291.34 + 1.844379 * k,
            161.72 + 24.198154 * k, 239.56 + 25.513099 * k, 331.55 + 3.592518 * k};
        double[] coef = {0.000325, 0.000165, 0.000164, 0.000126, 0.000110, 0.000062, 0.000060, 0.000056, 0.000047,
            0.000042, 0.000040, 0.000037, 0.000035, 0.000023};
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w += coef[i] * Math.sin(rad(a[i]));
        }
        return jde + c + w;
    }

    private static double rad(double degrees) {
        return Math.toRadians(degrees % 360.0);
    }
}
