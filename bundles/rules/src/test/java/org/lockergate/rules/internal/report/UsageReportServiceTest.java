package org.lockergate.rules.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.report.CostSharing;
import org.lockergate.api.report.UsageRow;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.rules.internal.fee.RulesFeePolicyTest;

class UsageReportServiceTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final Instant NOW = at("2025-03-31T12:00");

    final List<Parcel> parcels = new ArrayList<>();
    final LockerQueries queries = new LockerQueries() {
        @Override
        public List<CabinetGroup> groups() {
            return List.of();
        }

        @Override
        public Optional<CabinetGroup> group(String groupId) {
            return Optional.empty();
        }

        @Override
        public List<Cabinet> cabinets(String groupId) {
            return List.of();
        }

        @Override
        public List<Compartment> compartments(String groupId) {
            return List.of();
        }

        @Override
        public List<Parcel> parcels(String groupId, List<ParcelState> states, int limit) {
            return parcels.stream().filter(p -> groupId == null || groupId.equals(p.groupId())).toList();
        }

        @Override
        public Optional<Parcel> parcel(String parcelId) {
            return Optional.empty();
        }

        @Override
        public List<AuditEntry> audit(Instant from, int limit) {
            return List.of();
        }

        @Override
        public List<OutboxEvent> outbox(int limit) {
            return List.of();
        }
    };
    final GatewayClock clock = new GatewayClock() {
        @Override
        public Instant now() {
            return NOW;
        }

        @Override
        public ZoneId zone() {
            return SHANGHAI;
        }
    };
    final UsageReportService service = new UsageReportService(queries, RulesFeePolicyTest.defaultPolicy(clock), clock,
            Map.of("JT", 40, "ZTO", 35, "YUNDA", 25));

    static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant();
    }

    void parcel(String id, String group, String company, SizeClass size, String deposited, String closed,
            ParcelState state, long fee) {
        parcels.add(new Parcel(id, group, "c1", id, size, "W" + id, company, company + "-1", "138******34", state,
                new Consent("app", "C-" + id, at(deposited), true), at(deposited), at(deposited),
                closed == null ? null : at(closed), fee, false));
    }

    @Test
    void aDaysRowCountsDepositsPickupsDwellOverdueCompartmentTimeFeesAndTariffs() {
        parcel("1", "g1", "ZTO", SizeClass.S, "2025-03-03T10:00", "2025-03-03T18:00", ParcelState.PICKED_UP, 0);
        // picked up 1 s after its 24 h free period: overdue, ¥0.50
        parcel("2", "g1", "ZTO", SizeClass.M, "2025-03-03T20:00", "2025-03-04T20:00:01", ParcelState.PICKED_UP, 50);
        parcel("3", "g1", "JT", SizeClass.L, "2025-03-03T23:00", null, ParcelState.DEPOSITED, 0);

        List<UsageRow> rows = service.usage(LocalDate.of(2025, 3, 3), LocalDate.of(2025, 3, 4), null, null);

        UsageRow zto3 = row(rows, "2025-03-03", "ZTO");
        assertThat(zto3.deposits()).isEqualTo(2);
        assertThat(zto3.depositsS()).isEqualTo(1);
        assertThat(zto3.depositsM()).isEqualTo(1);
        assertThat(zto3.tariffFen()).isEqualTo(30 + 40);
        assertThat(zto3.pickups()).isEqualTo(1);
        assertThat(zto3.dwellSeconds()).isEqualTo(8 * 3600);
        assertThat(zto3.overduePickups()).isZero();
        assertThat(zto3.compartmentSeconds()).isEqualTo(8 * 3600 + 4 * 3600); // parcel 1, and parcel 2 until midnight
        UsageRow zto4 = row(rows, "2025-03-04", "ZTO");
        assertThat(zto4.deposits()).isZero();
        assertThat(zto4.pickups()).isEqualTo(1);
        assertThat(zto4.overduePickups()).isEqualTo(1);
        assertThat(zto4.overduePermille()).isEqualTo(1000);
        assertThat(zto4.averageDwellSeconds()).isEqualTo(24 * 3600 + 1);
        assertThat(zto4.feeFen()).isEqualTo(50);
        assertThat(zto4.compartmentSeconds()).isEqualTo(20 * 3600 + 1);
        UsageRow jt4 = row(rows, "2025-03-04", "JT"); // still in the locker: the whole day
        assertThat(jt4.compartmentSeconds()).isEqualTo(24 * 3600);
        assertThat(row(rows, "2025-03-03", "JT").tariffFen()).isEqualTo(50);
        assertThat(service.usage(LocalDate.of(2025, 3, 3), LocalDate.of(2025, 3, 4), null, "JT"))
                .extracting(UsageRow::company).containsOnly("JT");
    }

    @Test
    void fundingCompaniesDepositFreeWhenConfigured() {
        parcel("1", "g1", "ZTO", SizeClass.S, "2025-03-03T10:00", null, ParcelState.DEPOSITED, 0);
        parcel("2", "g1", "SF", SizeClass.L, "2025-03-03T10:00", null, ParcelState.DEPOSITED, 0);
        assertThat(service.apply(config(new String[] {"S=30", "M=40", "L=50"}, true, new String[0], "Asia/Shanghai")))
                .isTrue();
        List<UsageRow> rows = service.usage(LocalDate.of(2025, 3, 3), LocalDate.of(2025, 3, 3), null, null);
        assertThat(row(rows, "2025-03-03", "ZTO").tariffFen()).isZero();
        assertThat(row(rows, "2025-03-03", "SF").tariffFen()).isEqualTo(50);
    }

    @Test
    void theMonthsCostsAreSplitByFundingShareAndByUseEachSummingExactly() {
        service.apply(config(new String[] {"S=30", "M=40", "L=50"}, false, new String[] {"g1=100001", "*=5000"},
                "Asia/Shanghai"));
        // ZTO 2 days of compartment time, JT 1 day; YUNDA funds but used nothing
        parcel("1", "g1", "ZTO", SizeClass.S, "2025-03-03T00:00", "2025-03-05T00:00", ParcelState.PICKED_UP, 0);
        parcel("2", "g1", "JT", SizeClass.S, "2025-03-10T00:00", "2025-03-11T00:00", ParcelState.PICKED_UP, 0);

        List<CostSharing> reports = service.costSharing(YearMonth.of(2025, 3), null);

        assertThat(reports).hasSize(1);
        CostSharing g1 = reports.get(0);
        assertThat(g1.runningCostFen()).isEqualTo(100_001);
        assertThat(g1.shares()).extracting(CostSharing.CostShare::company).containsExactly("JT", "YUNDA", "ZTO");
        assertThat(g1.shares()).extracting(CostSharing.CostShare::byFundingFen).containsExactly(40_001L, 25_000L,
                35_000L);
        assertThat(g1.shares()).extracting(CostSharing.CostShare::byUseFen).containsExactly(33_334L, 0L, 66_667L);
        assertThat(g1.shares()).extracting(CostSharing.CostShare::usePermille).containsExactly(333, 0, 666);
        assertThat(g1.shares()).extracting(CostSharing.CostShare::balanceFen).containsExactly(33_334L - 40_001L,
                -25_000L, 66_667L - 35_000L);
        assertThat(g1.shares().stream().mapToLong(CostSharing.CostShare::byUseFen).sum()).isEqualTo(100_001);
        assertThat(service.costSharing(YearMonth.of(2025, 3), "g9").get(0).runningCostFen()).isEqualTo(5000);
    }

    @Test
    void theSplitSumsExactlyForAnyWeights() {
        long[] parts = UsageCalculator.split(100, new long[] {1, 1, 1});
        assertThat(parts).containsExactly(34, 33, 33);
        assertThat(UsageCalculator.split(7, new long[] {0, 0})).containsExactly(0, 0);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 1000; i++) {
            long total = random.nextInt(10_000_000);
            long[] weights = random.longs(1 + random.nextInt(6), 0, 3_000_000_000L).toArray();
            long sum = java.util.Arrays.stream(UsageCalculator.split(total, weights)).sum();
            assertThat(sum).isEqualTo(java.util.Arrays.stream(weights).sum() == 0 ? 0 : total);
        }
    }

    @Test
    void badTariffConfigurationIsRefusedNamingTheFieldAndThePreviousStays() {
        assertThat(service.apply(config(new String[] {"S=-1", "M=40", "L=50"}, false, new String[0],
                "Asia/Shanghai"))).isFalse();
        assertThat(service.apply(config(new String[] {"S=30", "M=40"}, false, new String[0], "Asia/Shanghai")))
                .isFalse();
        assertThat(service.apply(config(new String[] {"S=30", "M=40", "XL=60"}, false, new String[0],
                "Asia/Shanghai"))).isFalse();
        assertThat(service.apply(config(new String[] {"S=30", "M=40", "L=50"}, false, new String[] {"g1=-5"},
                "Asia/Shanghai"))).isFalse();
        assertThat(service.tariffs()).isEqualTo(Tariffs.DEFAULT);
        assertThatThrownBy(() -> Tariffs.parse(config(new String[] {"S=-1", "M=40", "L=50"}, false, new String[0],
                "Asia/Shanghai"))).hasMessageContaining("Configuration field tariffFen refused");
        assertThatThrownBy(() -> Tariffs.parse(config(new String[] {"S=30", "M=40", "L=50"}, false,
                new String[] {"g1=-5"}, "Asia/Shanghai"))).hasMessageContaining("runningCostFen");
        assertThatThrownBy(() -> service.usage(LocalDate.of(2025, 3, 3), LocalDate.of(2025, 3, 2), null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static UsageRow row(List<UsageRow> rows, String day, String company) {
        return rows.stream().filter(r -> r.day().equals(LocalDate.parse(day)) && r.company().equals(company))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + day + " " + company + " in " + rows));
    }

    static UsageReportService.Config config(String[] tariffs, boolean fundingFree, String[] costs, String zone) {
        return new UsageReportService.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return UsageReportService.Config.class;
            }

            @Override
            public String[] tariffFen() {
                return tariffs;
            }

            @Override
            public boolean fundingCompaniesFree() {
                return fundingFree;
            }

            @Override
            public String[] runningCostFen() {
                return costs;
            }

            @Override
            public String zone() {
                return zone;
            }
        };
    }
}
