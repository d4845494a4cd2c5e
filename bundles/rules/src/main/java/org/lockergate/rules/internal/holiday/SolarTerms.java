package org.lockergate.rules.internal.holiday;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The moment the Sun reaches an apparent ecliptic longitude (the 24 solar terms, 节气), and the Beijing-time date of
 * 清明 (Qingming: apparent longitude 15°).
 *
 * <p>ICU4J computes solar longitude in {@code com.ibm.icu.impl.CalendarAstronomer}, but the ICU4J bundle does not
 * export {@code com.ibm.icu.impl} (its Export-Package is lang, math, number, text, util only), so inside OSGi it
 * cannot be used. This is J. Meeus, <i>Astronomical Algorithms</i> (2nd ed.), ch. 25 "low accuracy" solar
 * coordinates with the aberration and nutation correction (stated accuracy 0.01°, about 15 minutes of time), and
 * the Espenak–Meeus polynomial for ΔT. The unit tests check it against ICU's CalendarAstronomer for 1900–2199 and
 * against the published Qingming dates of 2024–2030. A term within {@link #UNCERTAIN_MINUTES} of Beijing midnight is
 * reported as uncertain ({@link #qingmingNearMidnight}) so an operator can verify it (and the published State Council
 * arrangement, when loaded, is authoritative anyway).
 */
public final class SolarTerms {

    /** How close to midnight a computed term must be to be flagged for checking. */
    public static final int UNCERTAIN_MINUTES = 30;

    private static final double J2000 = 2451545.0;
    private static final double UNIX_EPOCH_JD = 2440587.5;
    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    private SolarTerms() {
    }

    /** Apparent geocentric longitude of the Sun in degrees [0, 360) at Julian Ephemeris Day {@code jde}. */
    static double apparentLongitude(double jde) {
        double t = (jde - J2000) / 36525.0;
        double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
        double m = Math.toRadians(357.52911 + 35999.05029 * t - 0.0001537 * t * t);
        double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * Math.sin(m)
                + (0.019993 - 0.000101 * t) * Math.sin(2 * m) + 0.000289 * Math.sin(3 * m);
        double omega = Math.toRadians(125.04 - 1934.136 * t);
        double lambda = l0 + c - 0.00569 - 0.00478 * Math.sin(omega);
        return normalize(lambda);
    }

    /** The instant (UT) the Sun reaches {@code longitude} degrees, searched around {@code approx}. */
    public static Instant when(double longitude, LocalDate approx) {
        double jd = UNIX_EPOCH_JD + approx.toEpochDay() + 0.5;
        for (int i = 0; i < 50; i++) {
            double diff = normalize(longitude - apparentLongitude(jd) + 180) - 180;
            jd += diff * 365.2422 / 360.0;
            if (Math.abs(diff) < 1e-9) {
                break;
            }
        }
        double jdUt = jd - deltaTSeconds(approx.getYear()) / 86400.0;
        long millis = Math.round((jdUt - UNIX_EPOCH_JD) * 86_400_000.0);
        return Instant.ofEpochMilli(millis);
    }

    /** The instant of 清明 (Qingming) in {@code year}. */
    public static Instant qingmingInstant(int year) {
        return when(15.0, LocalDate.of(year, 4, 5));
    }

    /** The Beijing-time date of 清明 in {@code year} (the regulation's "农历清明当日"). */
    public static LocalDate qingming(int year) {
        return qingmingInstant(year).atOffset(BEIJING).toLocalDate();
    }

    /** Whether the computed Qingming moment lies within {@link #UNCERTAIN_MINUTES} of Beijing midnight. */
    public static boolean qingmingNearMidnight(int year) {
        var t = qingmingInstant(year).atOffset(BEIJING).toLocalTime();
        int minutes = t.getHour() * 60 + t.getMinute();
        return minutes < UNCERTAIN_MINUTES || minutes >= 24 * 60 - UNCERTAIN_MINUTES;
    }

    /** ΔT = TT − UT in seconds (Espenak & Meeus, NASA 2006 polynomials, the ranges around today). */
    static double deltaTSeconds(int year) {
        double y = year + 0.5;
        if (y >= 2005 && y < 2050) {
            double t = y - 2000;
            return 62.92 + 0.32217 * t + 0.005589 * t * t;
        }
        if (y >= 2050 && y < 2150) {
            double u = (y - 1820) / 100;
            return -20 + 32 * u * u - 0.5628 * (2150 - y);
        }
        if (y >= 1986 && y < 2005) {
            double t = y - 2000;
            return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t + 0.000651814 * t * t * t * t
                    + 0.00002373599 * t * t * t * t * t;
        }
        if (y >= 1961 && y < 1986) {
            double t = y - 1975;
            return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
        }
        if (y >= 1941 && y < 1961) {
            double t = y - 1950;
            return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
        }
        if (y >= 1920 && y < 1941) {
            double t = y - 1920;
            return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
        }
        if (y >= 1900 && y < 1920) {
            double t = y - 1900;
            return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t - 0.000197 * t * t * t * t;
        }
        double u = (y - 1820) / 100;
        return -20 + 32 * u * u;
    }

    private static double normalize(double degrees) {
        double d = degrees % 360.0;
        return d < 0 ? d + 360.0 : d;
    }
}
