package org.lockergate.rules.internal.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.report.CapacityReports;
import org.lockergate.api.report.CostSharing;
import org.lockergate.api.report.GroupCapacity;
import org.lockergate.api.report.ReportOutbox;
import org.lockergate.api.report.UsageReports;
import org.lockergate.api.report.UsageRow;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.rules.internal.RefusedConfigurations;

/** The reports go to the cloud once per period by the gateway clock, never twice, and late ones catch up. */
class PeriodicReportsTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dir;

    Instant now = at("2026-11-15T10:00");
    final List<String> capacitySent = new ArrayList<>();
    final List<Object[]> outboxed = new ArrayList<>();
    boolean coreUp = true;

    final CapacityReports capacity = new CapacityReports() {
        @Override
        public List<GroupCapacity> capacity(LocalDate from, LocalDate to, String groupId) {
            return List.of();
        }

        @Override
        public long publish(LocalDate from, LocalDate to, String actor) {
            if (!coreUp) {
                throw new IllegalStateException("the locker core is not running");
            }
            capacitySent.add(from + ".." + to + " by " + actor);
            return capacitySent.size();
        }
    };
    final UsageReports usage = new UsageReports() {
        @Override
        public List<UsageRow> usage(LocalDate from, LocalDate to, String groupId, String company) {
            return List.of();
        }

        @Override
        public List<CostSharing> costSharing(YearMonth month, String groupId) {
            return List.of(new CostSharing(month, "g1", 100_001, 3 * 86_400, List.of(
                    new CostSharing.CostShare("JT", 40, 3, 86_400, 333, 40_001, 33_334, -6_667, 90),
                    new CostSharing.CostShare("ZTO", 60, 6, 172_800, 666, 60_000, 66_667, 6_667, 0))));
        }
    };
    final ReportOutbox outbox = (type, actor, data) -> {
        if (!coreUp) {
            throw new IllegalStateException("store down");
        }
        outboxed.add(new Object[] {type, actor, data});
        return outboxed.size();
    };
    final GatewayClock clock = new GatewayClock() {
        @Override
        public Instant now() {
            return now;
        }

        @Override
        public ZoneId zone() {
            return SHANGHAI;
        }
    };

    static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant();
    }

    PeriodicReports reports(String capacitySchedule) {
        PeriodicReports r = new PeriodicReports(capacity, usage, outbox, clock, dir.resolve("sent.properties"));
        assertThat(r.apply(config(capacitySchedule, "monthly"))).isTrue();
        return r;
    }

    @Test
    void monthly_reports_go_out_once_after_the_month_ended_and_survive_a_restart() {
        PeriodicReports r = reports("monthly");
        assertThat(r.tick()).isZero(); // first start: the baseline is October, nothing to catch up on
        now = at("2026-11-30T23:59:59");
        assertThat(r.tick()).isZero();
        now = at("2026-12-01T00:00:00"); // November is over (Asia/Shanghai)
        assertThat(r.tick()).isEqualTo(2);
        assertThat(capacitySent).containsExactly("2026-11-01..2026-11-30 by system");
        assertThat(outboxed).singleElement().satisfies(e -> {
            assertThat(e[0]).isEqualTo("cost_sharing.report");
            assertThat(e[1]).isEqualTo("system");
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) e[2];
            assertThat(data).containsEntry("month", "2026-11");
            @SuppressWarnings("unchecked")
            Map<String, Object> group = ((List<Map<String, Object>>) data.get("groups")).get(0);
            assertThat(group).containsEntry("groupId", "g1").containsEntry("runningCostFen", 100_001L);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> shares = (List<Map<String, Object>>) group.get("shares");
            assertThat(shares.get(0)).containsEntry("company", "JT").containsEntry("byUseFen", 33_334L)
                    .containsEntry("balanceFen", -6_667L);
        });
        now = at("2026-12-20T08:00");
        assertThat(r.tick()).isZero();
        // a restarted bundle reads what was sent
        PeriodicReports again = reports("monthly");
        assertThat(again.tick()).isZero();
        assertThat(capacitySent).hasSize(1);
        assertThat(outboxed).hasSize(1);
    }

    @Test
    void a_report_that_cannot_go_out_is_tried_again_and_weekly_capacity_follows_iso_weeks() {
        PeriodicReports r = reports("weekly");
        r.tick();
        now = at("2026-11-23T00:00:01"); // Monday: the week 11-16..11-22 is over
        coreUp = false;
        assertThat(r.tick()).isZero();
        coreUp = true;
        assertThat(r.tick()).isEqualTo(1);
        assertThat(capacitySent).containsExactly("2026-11-16..2026-11-22 by system");
        assertThat(outboxed).isEmpty(); // cost sharing is monthly: November is not over
        now = at("2026-12-08T09:00"); // off for two weeks: the last completed week goes out, and November's costs
        assertThat(r.tick()).isEqualTo(2);
        assertThat(capacitySent).last().isEqualTo("2026-11-30..2026-12-06 by system");
    }

    @Test
    void off_sends_nothing_and_a_bad_schedule_is_refused_naming_the_field() {
        PeriodicReports r = new PeriodicReports(capacity, usage, outbox, clock, dir.resolve("sent.properties"));
        assertThat(r.apply(config("off", "off"))).isTrue();
        r.tick();
        now = at("2027-03-01T00:00");
        assertThat(r.tick()).isZero();
        assertThat(r.apply(config("daily", "off"))).isFalse();
        assertThat(RefusedConfigurations.current()).anySatisfy(f -> {
            assertThat(f.pid()).isEqualTo(PeriodicReports.PID);
            assertThat(f.field()).isEqualTo("capacity");
            assertThat(f.message()).contains("daily");
        });
        assertThat(r.tick()).isZero(); // still off
        assertThat(r.apply(config("monthly", "monthly"))).isTrue();
        assertThat(RefusedConfigurations.current()).noneMatch(f -> f.pid().equals(PeriodicReports.PID));
    }

    @Test
    void on_demand_from_the_shell() {
        PeriodicReports r = reports("monthly");
        assertThat(r.send("capacity", "2026-11-01", "2026-11-15")).contains("queued");
        assertThat(capacitySent).containsExactly("2026-11-01..2026-11-15 by shell");
        assertThat(r.send("costsharing", "2026-10")).contains("cost_sharing.report 2026-10 queued");
        assertThat(outboxed).hasSize(1);
    }

    static PeriodicReports.Config config(String capacity, String costSharing) {
        return new PeriodicReports.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return PeriodicReports.Config.class;
            }

            @Override
            public String capacity() {
                return capacity;
            }

            @Override
            public String costSharing() {
                return costSharing;
            }

            @Override
            public int tickSeconds() {
                return 300;
            }

            @Override
            public String zone() {
                return "Asia/Shanghai";
            }
        };
    }
}
