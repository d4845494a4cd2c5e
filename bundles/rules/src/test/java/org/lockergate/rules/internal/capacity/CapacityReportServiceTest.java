package org.lockergate.rules.internal.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
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
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.report.GroupCapacity;
import org.lockergate.api.report.GroupCapacity.HourLine;
import org.lockergate.api.report.GroupCapacity.Move;
import org.lockergate.api.report.GroupCapacity.Overflow;
import org.lockergate.api.report.GroupCapacity.SizeLine;
import org.lockergate.api.report.ReportOutbox;
import org.lockergate.api.report.TurnedAway;
import org.lockergate.api.report.TurnedAwayLog;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.rules.internal.RefusedConfigurations;

/**
 * The capacity report on one day (2025-03-03, Asia/Shanghai): g1 has 2 S compartments, both taken from the morning
 * until 21:00, and turns away three S deposits at 10:00, 10:10 and 10:20 (sent to g2) and one on quota at 11:00 (sent
 * to the station); g2 has 4 S compartments and one parcel from 09:00 to 10:00.
 */
class CapacityReportServiceTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final LocalDate DAY = LocalDate.of(2025, 3, 3);

    final List<Compartment> compartments = new ArrayList<>();
    final List<Parcel> parcels = new ArrayList<>();
    final List<TurnedAway> away = new ArrayList<>();
    final List<Object[]> published = new ArrayList<>();
    Instant now = at("2025-03-04T12:00");

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
            return compartments.stream().filter(c -> groupId == null || groupId.equals(c.groupId())).toList();
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
    final TurnedAwayLog log = (groupId, from, to) -> away.stream()
            .filter(t -> (groupId == null || groupId.equals(t.groupId())) && !t.at().isBefore(from)
                    && t.at().isBefore(to)).toList();
    final ReportOutbox outbox = (type, actor, data) -> {
        published.add(new Object[] {type, actor, data});
        return published.size();
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

    CapacityReportServiceTest() {
        for (int i = 1; i <= 2; i++) {
            compartments.add(compartment("g1", "S" + i, SizeClass.S));
        }
        for (int i = 1; i <= 4; i++) {
            compartments.add(compartment("g2", "S" + i, SizeClass.S));
        }
        parcels.add(parcel("p1", "g1", "S1", "2025-03-03T09:00", "2025-03-03T21:00"));
        parcels.add(parcel("p2", "g1", "S2", "2025-03-03T09:30", "2025-03-03T21:00"));
        parcels.add(parcel("p3", "g2", "S1", "2025-03-03T09:00", "2025-03-03T10:00"));
        for (String t : List.of("10:00", "10:10", "10:20")) {
            away.add(new TurnedAway("g1", at("2025-03-03T" + t), SizeClass.S, "JT", "full", "g2", false));
        }
        away.add(new TurnedAway("g1", at("2025-03-03T11:00"), SizeClass.S, "ZTO", "quota", null, true));
    }

    static Compartment compartment(String group, String label, SizeClass size) {
        return new Compartment(group, "c-" + group, label, size, 1, 1, CompartmentState.FREE, true, false, null, null);
    }

    static Parcel parcel(String id, String group, String label, String in, String out) {
        return new Parcel(id, group, "c-" + group, label, SizeClass.S, "WB" + id, "JT", "JT-1", "138******34",
                out == null ? ParcelState.DEPOSITED : ParcelState.PICKED_UP, null, at(in), at(in),
                out == null ? null : at(out), 0, false);
    }

    CapacityReportService service(int permille) {
        CapacityReportService s = new CapacityReportService(queries, log, outbox, clock);
        assertThat(s.apply(config(permille, 24, "Asia/Shanghai"))).isTrue();
        return s;
    }

    @Test
    void a_full_group_gets_the_compartments_it_lacked_moved_from_a_group_with_spare_ones() {
        List<GroupCapacity> report = service(20).capacity(DAY, DAY, null);
        assertThat(report).extracting(GroupCapacity::groupId).containsExactly("g1", "g2");

        GroupCapacity g1 = report.get(0);
        SizeLine s = g1.sizes().get(0);
        assertThat(s.size()).isEqualTo(SizeClass.S);
        assertThat(s.compartments()).isEqualTo(2);
        assertThat(s.deposits()).isEqualTo(2);
        assertThat(s.turnedAwayFull()).isEqualTo(3);
        assertThat(s.turnedAwayQuota()).isEqualTo(1);
        assertThat(s.fullPermille()).isEqualTo(600); // 3 of 5 attempts
        // 2 occupied + the 3 turned away at 10:00..10:20, each waiting for the mean dwell (11h45m)
        assertThat(s.peakNeed()).isEqualTo(5);
        assertThat(s.compartmentSeconds()).isEqualTo(12 * 3600 + 11 * 3600 + 1800);
        // 2 % of 5 attempts rounds to no full event at all: 3 more compartments
        assertThat(s.recommendedExtra()).isEqualTo(3);
        assertThat(s.moves()).containsExactly(new Move("g2", 3));
        assertThat(s.moveIn()).isEqualTo(3);
        assertThat(s.add()).isZero();
        assertThat(s.spare()).isZero();
        assertThat(g1.sizes().get(1).compartments()).isZero();
        assertThat(g1.sizes().get(1).recommendedExtra()).isZero();

        HourLine ten = g1.hours().stream().filter(h -> h.hour() == 10 && h.size() == SizeClass.S).findFirst()
                .orElseThrow();
        assertThat(ten).isEqualTo(new HourLine(10, SizeClass.S, 7200, 2000, 2, 3));
        HourLine nine = g1.hours().stream().filter(h -> h.hour() == 9 && h.size() == SizeClass.S).findFirst()
                .orElseThrow();
        assertThat(nine).isEqualTo(new HourLine(9, SizeClass.S, 3600 + 1800, 1500, 2, 0));
        assertThat(g1.hours()).hasSize(24 * 3);
        assertThat(g1.overflow()).containsExactly(new Overflow("g2", 3, 0), new Overflow("station", 0, 1));

        SizeLine g2 = report.get(1).sizes().get(0);
        assertThat(g2.spare()).isEqualTo(3); // needed 1 at most
        assertThat(g2.recommendedExtra()).isZero();
        assertThat(report.get(1).overflow()).isEmpty();
    }

    @Test
    void a_looser_target_needs_fewer_and_without_spare_elsewhere_they_are_to_be_added() {
        compartments.removeIf(c -> c.groupId().equals("g2"));
        parcels.removeIf(p -> p.groupId().equals("g2"));
        // 20 % of 5 attempts: one full event may stay → 2 more
        SizeLine s = service(200).capacity(DAY, DAY, "g1").get(0).sizes().get(0);
        assertThat(s.recommendedExtra()).isEqualTo(2);
        assertThat(s.moves()).isEmpty();
        assertThat(s.add()).isEqualTo(2);
        // 60 %: what happened is within the target
        assertThat(service(600).capacity(DAY, DAY, "g1").get(0).sizes().get(0).recommendedExtra()).isZero();
    }

    @Test
    void a_parcel_still_in_its_compartment_counts_until_now() {
        parcels.clear();
        away.clear();
        parcels.add(parcel("p9", "g1", "S1", "2025-03-03T22:00", null));
        now = at("2025-03-03T23:30");
        SizeLine s = service(20).capacity(DAY, DAY, "g1").get(0).sizes().get(0);
        assertThat(s.compartmentSeconds()).isEqualTo(5400);
        assertThat(s.deposits()).isEqualTo(1);
        assertThat(s.spare()).isEqualTo(1);
    }

    @Test
    void publish_sends_every_group_as_plain_json_values() throws Exception {
        long seq = service(20).publish(DAY, DAY, "operator:tech");
        assertThat(seq).isEqualTo(1);
        Object[] event = published.get(0);
        assertThat(event[0]).isEqualTo("capacity.report");
        assertThat(event[1]).isEqualTo("operator:tech");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) event[2];
        assertThat(data).containsEntry("from", "2025-03-03").containsEntry("to", "2025-03-03");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) data.get("groups");
        assertThat(groups).hasSize(2);
        @SuppressWarnings("unchecked")
        Map<String, Object> s = ((List<Map<String, Object>>) groups.get(0).get("sizes")).get(0);
        assertThat(s).containsEntry("size", "S").containsEntry("recommendedExtra", 3).containsEntry("moves",
                List.of(Map.of("fromGroupId", "g2", "count", 3)));
    }

    @Test
    void bad_ranges_and_bad_configurations_are_refused_naming_the_field() {
        CapacityReportService s = service(20);
        assertThatThrownBy(() -> s.capacity(DAY, DAY.minusDays(1), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.capacity(DAY, DAY.plusDays(400), null))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(s.apply(config(1001, 24, "Asia/Shanghai"))).isFalse();
        assertThat(RefusedConfigurations.current()).anySatisfy(r -> {
            assertThat(r.pid()).isEqualTo(CapacityReportService.PID);
            assertThat(r.field()).isEqualTo("maxFullPermille");
        });
        assertThat(new RefusedConfigurations().check().message()).contains("maxFullPermille");
        assertThat(s.settings().targetPermille()).isEqualTo(20); // the previous one stays in force
        assertThat(s.apply(config(20, 0, "Asia/Shanghai"))).isFalse();
        assertThat(s.apply(config(20, 24, "Mars/Olympus"))).isFalse();
        assertThat(RefusedConfigurations.current()).anySatisfy(r -> assertThat(r.field()).isEqualTo("zone"));

        assertThat(s.apply(config(50, 24, "Asia/Shanghai"))).isTrue();
        assertThat(s.settings().targetPermille()).isEqualTo(50);
        assertThat(RefusedConfigurations.current()).noneMatch(r -> r.pid().equals(CapacityReportService.PID));
    }

    static CapacityReportService.Config config(int permille, int dwellHours, String zone) {
        return new CapacityReportService.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CapacityReportService.Config.class;
            }

            @Override
            public int maxFullPermille() {
                return permille;
            }

            @Override
            public int defaultDwellHours() {
                return dwellHours;
            }

            @Override
            public String zone() {
                return zone;
            }
        };
    }
}
