package org.lockergate.rules.internal.fee;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.rules.internal.holiday.Arrangements;
import org.lockergate.rules.internal.holiday.HolidayCalendar;
import org.lockergate.rules.internal.holiday.HolidayService;

public class RulesFeePolicyTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    final AtomicReference<Instant> now = new AtomicReference<>(at("2025-03-01T00:00"));
    final GatewayClock clock = new GatewayClock() {
        @Override
        public Instant now() {
            return now.get();
        }

        @Override
        public ZoneId zone() {
            return SHANGHAI;
        }
    };
    final RulesFeePolicy policy = new RulesFeePolicy(new HolidayService(HolidayCalendar.STATUTORY), clock);

    /** The rules' fee policy with the default rule and the statutory holidays, for other packages' tests. */
    public static org.lockergate.api.spi.FeePolicy defaultPolicy(GatewayClock clock) {
        return new RulesFeePolicy(new HolidayService(HolidayCalendar.STATUTORY), clock);
    }

    static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant();
    }

    static Parcel parcel(Instant depositedAt, boolean accepted, String ref) {
        return new Parcel("p1", "g1", "c1", "12", SizeClass.S, "W1", "ZTO", "ZTO-1", "138******34",
                ParcelState.DEPOSITED, new Consent("app", ref, depositedAt, accepted), depositedAt, depositedAt, null, 0,
                false);
    }

    Fee quote(String deposited, String pickedUp) {
        return policy.quote(parcel(at(deposited), true, "C-1"), at(pickedUp));
    }

    /** A working week in March 2025 (no holidays): the exact yuan amounts around every boundary. */
    @ParameterizedTest(name = "picked up {0} → {1} fen, {2} periods")
    @CsvSource({
        "2025-03-04T10:00:00, 0, 0",     // deposited 03-03 10:00: exactly 24 h → free
        "2025-03-04T09:59:59, 0, 0",
        "2025-03-04T10:00:01, 50, 1",    // +1 s → first started period
        "2025-03-04T22:00:00, 50, 1",    // exactly 36 h → still one period
        "2025-03-04T22:00:01, 100, 2",
        "2025-03-06T22:00:00, 250, 5",   // 84 h: 60 h overdue = 5 periods
        "2025-03-06T22:00:01, 300, 6",   // 6 periods = ¥3.00, exactly the cap
        "2025-03-07T10:00:01, 300, 7",   // 7 periods → capped at ¥3.00
        "2025-03-20T10:00:00, 300, 32" })
    void feeAtTheBoundariesOfAWorkingWeek(String pickedUp, long fen, int periods) {
        Fee fee = quote("2025-03-03T10:00:00", pickedUp);
        assertThat(fee.feeFen()).isEqualTo(fen);
        assertThat(fee.periods()).isEqualTo(periods);
        assertThat(fee.capped()).isEqualTo(periods > 6);
        assertThat(fee.freeUntil()).isEqualTo(at("2025-03-04T10:00:00"));
    }

    @Test
    void a2359PickupIsFreeAndA2400PickupIsFreeButOneSecondLaterCosts50Fen() {
        assertThat(quote("2025-03-03T00:00", "2025-03-03T23:59").feeFen()).isZero();
        assertThat(quote("2025-03-03T00:00", "2025-03-04T00:00").feeFen()).isZero();
        assertThat(quote("2025-03-03T00:00:00", "2025-03-04T00:00:01").feeFen()).isEqualTo(50);
    }

    @Test
    void holidayTimeIsNotCountedOverNationalDay() {
        // 2025-09-30 12:00 → 12 h counted on 09-30, 10-01..10-03 holidays, 12 h more on 10-04 → free until 10-04 12:00
        Fee fee = quote("2025-09-30T12:00", "2025-10-04T12:00");
        assertThat(fee.feeFen()).isZero();
        assertThat(fee.freeUntil()).isEqualTo(at("2025-10-04T12:00"));
        Fee later = quote("2025-09-30T12:00", "2025-10-04T12:00:01");
        assertThat(later.feeFen()).isEqualTo(50);
        assertThat(later.explanation()).contains("其中节假日 72h00m 不计").contains("72h00m holiday time not counted");
    }

    @Test
    void aFreePeriodEndingWhenAHolidayBeginsLastsUntilTheHolidayEnds() {
        // 24 h counted exactly at 10-01 00:00; the holiday follows: the resident is free until 10-04 00:00
        Fee fee = quote("2025-09-30T00:00", "2025-10-03T23:59:59");
        assertThat(fee.feeFen()).isZero();
        assertThat(fee.freeUntil()).isEqualTo(at("2025-10-04T00:00"));
        assertThat(quote("2025-09-30T00:00", "2025-10-04T00:00:01").feeFen()).isEqualTo(50);
    }

    @Test
    void aDepositOnAHolidayStartsCountingWhenTheHolidayEnds() {
        // 2026 Spring Festival (statutory): eve 02-16 .. 初三 02-19
        Fee fee = quote("2026-02-17T09:00", "2026-02-21T00:00");
        assertThat(fee.freeUntil()).isEqualTo(at("2026-02-21T00:00"));
        assertThat(fee.feeFen()).isZero();
    }

    @Test
    void theYearBoundaryCountsNewYearsDayAsAHoliday() {
        Fee fee = quote("2025-12-31T08:00", "2026-01-02T08:00");
        assertThat(fee.feeFen()).isZero();
        assertThat(fee.freeUntil()).isEqualTo(at("2026-01-02T08:00"));
        assertThat(quote("2025-12-31T08:00", "2026-01-02T08:00:01").feeFen()).isEqualTo(50);
    }

    @Test
    void theArrangementModeAlsoSkipsBridgingDays() {
        RulesFeePolicy arranged = new RulesFeePolicy(new HolidayService(new HolidayCalendar(
                HolidayCalendar.Mode.ARRANGEMENT, Arrangements.builtIn())), clock);
        // 2025-10-01..10-08 off by the 2025 notice: 09-30 12:00 + 12 h, then 10-09 00:00 + 12 h
        Fee fee = arranged.quote(parcel(at("2025-09-30T12:00"), true, "C-1"), at("2025-10-09T12:00"));
        assertThat(fee.freeUntil()).isEqualTo(at("2025-10-09T12:00"));
        assertThat(fee.feeFen()).isZero();
    }

    @Test
    void noFeeWhenTheRecipientDidNotAcceptTheFeeTerms() {
        Fee fee = policy.quote(parcel(at("2025-03-03T10:00"), false, "C-1"), at("2025-03-20T10:00"));
        assertThat(fee.feeFen()).isZero();
        assertThat(fee.explanation()).contains("Fee terms not accepted");
    }

    @Test
    void aMemberPlanGivesSevenDaysFree() {
        policy.configure(config(24, 12, 50, 300, "Asia/Shanghai", new String[] {"gold=7"},
                new String[] {"C-889=gold"}));
        Fee member = policy.quote(parcel(at("2025-03-03T10:00"), true, "C-889"), at("2025-03-10T10:00"));
        assertThat(member.feeFen()).isZero();
        assertThat(member.freeUntil()).isEqualTo(at("2025-03-10T10:00"));
        assertThat(policy.quote(parcel(at("2025-03-03T10:00"), true, "C-889"), at("2025-03-10T10:00:01")).feeFen())
                .isEqualTo(50);
        assertThat(policy.quote(parcel(at("2025-03-03T10:00"), true, "C-1"), at("2025-03-10T10:00")).feeFen())
                .isEqualTo(300);
    }

    @Test
    void aMemberSyncedFromTheCloudCountsAtTheNextPickupExactlyAsTheQuoteNamingItsPlan() {
        policy.configure(config(24, 12, 50, 300, "Asia/Shanghai", new String[] {"gold=7"}, new String[0]));
        Fee before = policy.quote(parcel(at("2025-03-03T10:00"), true, "C-77"), at("2025-03-06T10:00"));
        assertThat(before.feeFen()).isEqualTo(200);
        // members.sync writes memberRefs into this PID; the pickup path (no plan named) then finds the plan
        policy.configure(config(24, 12, 50, 300, "Asia/Shanghai", new String[] {"gold=7"},
                new String[] {"C-77=gold"}));
        Fee pickup = policy.quote(parcel(at("2025-03-03T10:00"), true, "C-77"), at("2025-03-10T10:00:01"));
        Fee quote = policy.quote(parcel(at("2025-03-03T10:00"), true, null), at("2025-03-10T10:00:01"), "gold");
        assertThat(pickup).isEqualTo(quote);
        assertThat(pickup.feeFen()).isEqualTo(50);
    }

    @Test
    void aQuoteNamingAPlanUsesItAndStatesTheCountedTime() {
        policy.configure(config(24, 12, 50, 300, "Asia/Shanghai", new String[] {"gold=7"}, new String[0]));
        // the REST fee quote names the plan; a pickup finds it from the consent reference: same calculation
        Fee named = policy.quote(parcel(at("2025-09-30T12:00"), true, null), at("2025-10-11T12:00"), "gold");
        // stored 264 h; National Day 10-01..03 and Mid-Autumn 10-06 (96 h) not counted → 168 h = 7 days: free
        assertThat(named.counted()).isEqualTo(Duration.ofHours(168));
        assertThat(named.feeFen()).isZero();
        Fee later = policy.quote(parcel(at("2025-09-30T12:00"), true, null), at("2025-10-11T12:00:01"), "gold");
        assertThat(later.feeFen()).isEqualTo(50);
        assertThat(later.counted()).isEqualTo(Duration.ofHours(168).plusSeconds(1));
        Fee plain = policy.quote(parcel(at("2025-09-30T12:00"), true, null), at("2025-10-11T12:00"));
        assertThat(plain.feeFen()).isEqualTo(300);
        assertThat(plain.capped()).isTrue();
        assertThat(plain.counted()).isEqualTo(Duration.ofHours(168));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> policy.quote(parcel(at("2025-09-30T12:00"),
                true, null), at("2025-10-11T12:00"), "platinum"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("platinum");
        // no fee terms: still free, still says the counted time
        Fee notAccepted = policy.quote(parcel(at("2025-03-03T10:00"), false, null), at("2025-03-05T10:00"), null);
        assertThat(notAccepted.feeFen()).isZero();
        assertThat(notAccepted.counted()).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void aChangedRuleAppliesToParcelsDepositedAfterTheChangeOnly() {
        Instant before = at("2025-02-28T10:00");
        now.set(at("2025-03-01T00:00"));
        policy.configure(config(24, 12, 50, 300, "Asia/Shanghai", new String[0], new String[0]));
        now.set(at("2025-03-02T00:00"));
        policy.configure(config(48, 12, 100, 500, "Asia/Shanghai", new String[0], new String[0]));
        // deposited before the change: 24 h free, ¥0.50
        assertThat(policy.quote(parcel(before, true, "x"), before.plus(Duration.ofHours(25))).feeFen()).isEqualTo(50);
        Instant after = at("2025-03-03T10:00");
        assertThat(policy.quote(parcel(after, true, "x"), after.plus(Duration.ofHours(25))).feeFen()).isZero();
        assertThat(policy.quote(parcel(after, true, "x"), after.plus(Duration.ofHours(49))).feeFen()).isEqualTo(100);
    }

    @Test
    void aRuleHistoryFileSurvivesARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        RuleHistory history = new RuleHistory(dir.resolve("fee-rules.txt"));
        history.enact(FeeRule.DEFAULT, at("2025-03-01T00:00"));
        FeeRule dearer = new FeeRule(Duration.ofHours(12), Duration.ofHours(6), 80, 400, false,
                java.util.Map.of("gold", 7));
        history.enact(dearer, at("2025-03-02T00:00"));
        RuleHistory reloaded = new RuleHistory(dir.resolve("fee-rules.txt"));
        assertThat(reloaded.entries()).isEqualTo(history.entries());
        assertThat(reloaded.at(at("2025-03-01T12:00"))).isEqualTo(FeeRule.DEFAULT);
        assertThat(reloaded.at(at("2025-03-02T12:00"))).isEqualTo(dearer);
    }

    @Test
    void badConfigurationIsRefusedNamingTheFieldAndThePreviousRuleStays() {
        assertThat(policy.configure(config(24, 12, 50, 300, "Asia/Shanghai", new String[0], new String[0]))).isTrue();
        assertThat(policy.configure(config(24, 12, -1, 300, "Asia/Shanghai", new String[0], new String[0]))).isFalse();
        assertThat(policy.configure(config(24, 12, 50, 30, "Asia/Shanghai", new String[0], new String[0]))).isFalse();
        assertThat(policy.configure(config(24, 12, 50, 300, "Mars/Olympus", new String[0], new String[0]))).isFalse();
        assertThat(policy.configure(config(24, 12, 50, 300, "Asia/Shanghai", new String[] {"gold=x"}, new String[0])))
                .isFalse();
        assertThat(policy.configure(config(24, 12, 50, 300, "Asia/Shanghai", new String[0], new String[] {"C=gold"})))
                .isFalse();
        assertThat(policy.settings().rule()).isEqualTo(FeeRule.DEFAULT);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RulesFeePolicy.parse(config(24, 12, 50, 30,
                "Asia/Shanghai", new String[0], new String[0])))).hasMessageContaining("capFen")
                .hasMessageContaining("below one period's fee");
    }

    @Test
    void theDepositQuoteDescribesTheRuleForTheNotification() {
        Fee fee = quote("2025-03-03T10:00", "2025-03-03T10:00");
        assertThat(fee.explanation()).contains("免费保管 24 h（节假日不计）").contains("免费至 2025-03-04 10:00:00")
                .contains("Free for 24 h (holidays not counted)").contains("¥0.50 per started 12 h, at most ¥3.00");
        Fee overdue = quote("2025-03-03T10:00", "2025-03-05T10:00");
        assertThat(overdue.explanation()).contains("超时 24h00m").contains("2 个计费周期 × ¥0.50 = ¥1.00")
                .contains("2 started 12 h period(s) × ¥0.50 = ¥1.00");
        assertThat(overdue.overdue()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aZoneWithDaylightSavingCountsRealElapsedTime() {
        policy.configure(config(24, 12, 50, 300, "Europe/Berlin", new String[0], new String[0]));
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Instant deposited = LocalDateTime.parse("2025-03-29T12:00").atZone(berlin).toInstant();
        Fee fee = policy.quote(parcel(deposited, true, "x"), deposited.plus(Duration.ofHours(24)));
        assertThat(fee.feeFen()).isZero();
        assertThat(fee.freeUntil()).isEqualTo(deposited.plus(Duration.ofHours(24)));
    }

    @Test
    void notYetDepositedIsFree() {
        Parcel reserved = new Parcel("p", "g", "c", "1", SizeClass.S, "w", "ZTO", "z", "m", ParcelState.RESERVED,
                null, at("2025-03-03T10:00"), null, null, 0, false);
        assertThat(policy.quote(reserved, at("2025-03-09T10:00")).feeFen()).isZero();
    }

    static RulesFeePolicy.Config config(int free, int period, long rate, long cap, String zone, String[] plans,
            String[] members) {
        return new RulesFeePolicy.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RulesFeePolicy.Config.class;
            }

            @Override
            public int freeHours() {
                return free;
            }

            @Override
            public int periodHours() {
                return period;
            }

            @Override
            public long rateFen() {
                return rate;
            }

            @Override
            public long capFen() {
                return cap;
            }

            @Override
            public boolean holidaysNotCounted() {
                return true;
            }

            @Override
            public String zone() {
                return zone;
            }

            @Override
            public String[] planFreeDays() {
                return plans;
            }

            @Override
            public String[] memberRefs() {
                return members;
            }
        };
    }
}
