package org.lockergate.rules.internal.capacity;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.report.CapacityReports;
import org.lockergate.api.report.GroupCapacity;
import org.lockergate.api.report.ReportOutbox;
import org.lockergate.api.report.TurnedAway;
import org.lockergate.api.report.TurnedAwayLog;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.rules.internal.ConfigException;
import org.lockergate.rules.internal.RefusedConfigurations;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capacity planning: utilisation by hour, turned-away deposits (recorded by the core), overflow and the
 * recommendation of {@link CapacityPlanner}; {@link #publish} sends it to the cloud as {@code capacity.report}.
 */
@Component(service = CapacityReports.class, configurationPid = CapacityReportService.PID)
@Designate(ocd = CapacityReportService.Config.class)
public class CapacityReportService implements CapacityReports {

    public static final String PID = "org.lockergate.rules.capacity";
    public static final String EVENT = "capacity.report";
    static final int MAX_DAYS = 366;

    private static final Logger LOG = LoggerFactory.getLogger(CapacityReportService.class);

    @ObjectClassDefinition(name = "LockerGate capacity planning", description = "How many compartments of each size "
            + "to add or move so that full-group events stay under a share of the deposit attempts. 容量规划。")
    public @interface Config {
        @AttributeDefinition(name = "Highest share of full-group events (‰)", description = "per mille of deposit "
                + "attempts (deposits + turned away), e.g. 20 = 2 %", min = "0", max = "1000")
        int maxFullPermille() default 20;

        @AttributeDefinition(name = "Dwell of a turned-away deposit (hours)", description = "used when no parcel of "
                + "the size left in the range to measure the mean dwell", min = "1")
        int defaultDwellHours() default 24;

        @AttributeDefinition(name = "Time zone", description = "Zone of the days and hours")
        String zone() default "Asia/Shanghai";
    }

    /** A complete valid configuration. */
    record Settings(int targetPermille, Duration dwell, ZoneId zone) {
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerQueries queries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TurnedAwayLog turnedAway;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ReportOutbox outbox;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    private volatile Settings settings = new Settings(20, Duration.ofHours(24), ZoneId.of("Asia/Shanghai"));

    public CapacityReportService() {
    }

    /** For tests. */
    CapacityReportService(LockerQueries queries, TurnedAwayLog turnedAway, ReportOutbox outbox, GatewayClock clock) {
        this.queries = queries;
        this.turnedAway = turnedAway;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Activate
    @Modified
    void configure(Config config) {
        apply(config);
    }

    /** Applies a configuration, or records why it was refused and keeps the previous one. */
    boolean apply(Config config) {
        try {
            settings = parse(config);
            RefusedConfigurations.accepted(PID);
            return true;
        } catch (ConfigException e) {
            LOG.error("{}（沿用之前的容量规划配置 / the previous capacity configuration stays in force）", e.getMessage());
            RefusedConfigurations.refused(PID, e);
            return false;
        }
    }

    static Settings parse(Config config) {
        if (config.maxFullPermille() < 0 || config.maxFullPermille() > 1000) {
            throw new ConfigException("maxFullPermille", "必须在 0 到 1000 之间（‰）", "must be 0 to 1000 (per mille)");
        }
        if (config.defaultDwellHours() < 1) {
            throw new ConfigException("defaultDwellHours", "必须至少 1 小时", "must be at least 1 hour");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(config.zone().trim());
        } catch (DateTimeException | NullPointerException e) {
            throw new ConfigException("zone", "未知时区 “" + config.zone() + "”", "unknown zone '" + config.zone() + "'");
        }
        return new Settings(config.maxFullPermille(), Duration.ofHours(config.defaultDwellHours()), zone);
    }

    Settings settings() {
        return settings;
    }

    @Override
    public List<GroupCapacity> capacity(LocalDate from, LocalDate to, String groupId) {
        if (from == null || to == null || to.isBefore(from)) {
            throw new IllegalArgumentException("empty range: " + from + " .. " + to);
        }
        if (from.plusDays(MAX_DAYS).isBefore(to)) {
            throw new IllegalArgumentException("range longer than " + MAX_DAYS + " days: " + from + " .. " + to);
        }
        LockerQueries q = queries;
        TurnedAwayLog log = turnedAway;
        if (q == null || log == null) {
            throw new IllegalStateException("the locker core is not running");
        }
        Settings s = settings;
        Instant start = from.atStartOfDay(s.zone()).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(s.zone()).toInstant();
        // every group is planned (moves come from other groups' spare compartments), one is returned if asked
        List<Compartment> compartments = q.compartments(null);
        List<TurnedAway> away = log.turnedAway(null, start, end);
        Set<String> groups = new TreeSet<>();
        q.groups().stream().map(CabinetGroup::groupId).forEach(groups::add);
        compartments.forEach(c -> groups.add(c.groupId()));
        away.forEach(t -> groups.add(t.groupId()));
        List<GroupCapacity> all = new CapacityPlanner(s.zone(), s.targetPermille(), s.dwell()).plan(from, to,
                new ArrayList<>(groups), compartments, q.parcelsBetween(null, start, end), away, now());
        return groupId == null ? all : all.stream().filter(g -> g.groupId().equals(groupId)).toList();
    }

    @Override
    public long publish(LocalDate from, LocalDate to, String actor) throws LockerException {
        ReportOutbox out = outbox;
        if (out == null) {
            throw new IllegalStateException("the locker core is not running");
        }
        List<GroupCapacity> report = capacity(from, to, null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", from.toString());
        data.put("to", to.toString());
        data.put("zone", settings.zone().getId());
        data.put("groups", report.stream().map(CapacityReportService::wire).toList());
        long seq = out.publish(EVENT, actor, data);
        LOG.info("容量报告 {}..{} 已写入发件箱（序号 {}）/ Capacity report {}..{} queued for the cloud (seq {})", from, to, seq,
                from, to, seq);
        return seq;
    }

    /** JSON-compatible form (plain maps, lists, strings and numbers) for the outbox. */
    static Map<String, Object> wire(GroupCapacity g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("groupId", g.groupId());
        m.put("targetPermille", g.targetPermille());
        m.put("sizes", g.sizes().stream().map(s -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("size", s.size().name());
            line.put("compartments", s.compartments());
            line.put("deposits", s.deposits());
            line.put("turnedAwayFull", s.turnedAwayFull());
            line.put("turnedAwayQuota", s.turnedAwayQuota());
            line.put("fullPermille", s.fullPermille());
            line.put("peakNeed", s.peakNeed());
            line.put("compartmentSeconds", s.compartmentSeconds());
            line.put("recommendedExtra", s.recommendedExtra());
            line.put("moveIn", s.moveIn());
            line.put("add", s.add());
            line.put("spare", s.spare());
            line.put("moves", s.moves().stream().map(mv -> Map.<String, Object>of("fromGroupId", mv.fromGroupId(),
                    "count", mv.count())).toList());
            return line;
        }).toList());
        m.put("hours", g.hours().stream().filter(h -> h.compartmentSeconds() > 0 || h.turnedAway() > 0).map(h -> Map
                .<String, Object>of("hour", h.hour(), "size", h.size().name(), "compartmentSeconds",
                        h.compartmentSeconds(), "averageOccupied", h.averageOccupied(), "peakOccupied",
                        h.peakOccupied(), "turnedAway", h.turnedAway())).toList());
        m.put("overflow", g.overflow().stream().map(o -> Map.<String, Object>of("to", o.to(), "full", o.full(),
                "quota", o.quota())).toList());
        return m;
    }

    private Instant now() {
        GatewayClock c = clock;
        return c == null ? Instant.now() : c.now();
    }
}
