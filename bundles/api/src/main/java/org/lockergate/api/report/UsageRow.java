package org.lockergate.api.report;

import java.time.LocalDate;

/**
 * What one courier company did at one group on one day.
 *
 * @param day the calendar day in the community's zone
 * @param groupId the group
 * @param company the courier company code
 * @param deposits parcels whose door closed that day
 * @param depositsS deposits into S compartments' size class (as asked by the courier)
 * @param depositsM deposits of size M
 * @param depositsL deposits of size L
 * @param pickups parcels picked up by the resident that day
 * @param dwellSeconds total time in the locker of those pickups (door closed to pickup)
 * @param overduePickups those pickups made after the end of their free period
 * @param compartmentSeconds the time that day during which the company's parcels occupied compartments
 * @param feeFen overdue fees of that day's pickups (paid or owed)
 * @param tariffFen the courier tariff of that day's deposits (R12)
 */
public record UsageRow(LocalDate day, String groupId, String company, int deposits, int depositsS, int depositsM,
        int depositsL, int pickups, long dwellSeconds, int overduePickups, long compartmentSeconds, long feeFen,
        long tariffFen) {

    /** Average dwell of the day's pickups, in seconds (0 without pickups). */
    public long averageDwellSeconds() {
        return pickups == 0 ? 0 : dwellSeconds / pickups;
    }

    /** Overdue pickups per mille of pickups (0 without pickups). */
    public int overduePermille() {
        return pickups == 0 ? 0 : (int) (overduePickups * 1000L / pickups);
    }
}
