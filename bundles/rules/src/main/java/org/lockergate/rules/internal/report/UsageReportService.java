package org.lockergate.rules.internal.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.report.CostSharing;
import org.lockergate.api.report.UsageReports;
import org.lockergate.api.report.UsageRow;
import org.lockergate.api.spi.FeePolicy;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.rules.internal.ConfigException;
import org.lockergate.rules.internal.RefusedConfigurations;
import org.osgi.service.cm.ConfigurationAdmin;
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
 * R12: courier tariffs, per-company/group/day statistics and the monthly cost-sharing report, computed from the
 * parcels in the store ({@link LockerQueries#parcelsBetween}). Funding shares come from the allocation's
 * {@code shares} (PID {@code org.lockergate.rules.allocation}), else from the core's courier company configurations.
 */
@Component(service = UsageReports.class, configurationPid = UsageReportService.PID)
@Designate(ocd = UsageReportService.Config.class)
public class UsageReportService implements UsageReports {

    public static final String PID = "org.lockergate.rules.tariff";

    /** The longest range of one statistics query. */
    static final int MAX_DAYS = 366;

    private static final Logger LOG = LoggerFactory.getLogger(UsageReportService.class);

    @ObjectClassDefinition(name = "LockerGate tariffs and cost sharing", description = "R12: courier tariff per "
            + "deposit and size, running costs per group for the monthly cost-sharing report. 快递员投递资费与费用分摊。")
    public @interface Config {
        @AttributeDefinition(name = "Tariff per deposit (fen)", description = "size=fen for S, M and L")
        String[] tariffFen() default {"S=30", "M=40", "L=50"};

        @AttributeDefinition(name = "Funding companies deposit free", description = "Companies with a funding share "
                + "pay no tariff")
        boolean fundingCompaniesFree() default false;

        @AttributeDefinition(name = "Running costs per month (fen)", description = "groupId=fen, * for every other "
                + "group, e.g. g1=150000")
        String[] runningCostFen() default {};

        @AttributeDefinition(name = "Time zone", description = "Zone of the days and months")
        String zone() default "Asia/Shanghai";
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerQueries queries;

    /** The fee policy a pickup uses (highest ranking), for "overdue". */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FeePolicy fees;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ConfigurationAdmin configAdmin;

    private volatile Tariffs tariffs = Tariffs.DEFAULT;
    private final Supplier<Map<String, Integer>> fundingShares;

    public UsageReportService() {
        this.fundingShares = () -> FundingShares.read(configAdmin);
    }

    /** For tests. */
    UsageReportService(LockerQueries queries, FeePolicy fees, GatewayClock clock, Map<String, Integer> shares) {
        this.queries = queries;
        this.fees = fees;
        this.clock = clock;
        this.fundingShares = () -> shares;
    }

    @Activate
    @Modified
    void configure(Config config) {
        apply(config);
    }

    /** Applies a configuration, or logs why it was refused and keeps the previous one. */
    boolean apply(Config config) {
        try {
            tariffs = Tariffs.parse(config);
            LOG.info("资费 {}，出资公司免费 {}，运营成本 {} / Tariffs {}, funding companies free {}, running costs {}",
                    tariffs.tariffFen(), tariffs.fundingCompaniesFree(), tariffs.runningCostFen(), tariffs.tariffFen(),
                    tariffs.fundingCompaniesFree(), tariffs.runningCostFen());
            RefusedConfigurations.accepted(PID);
            return true;
        } catch (ConfigException e) {
            LOG.error("{}（沿用之前的资费配置 / the previous tariff configuration stays in force）", e.getMessage());
            RefusedConfigurations.refused(PID, e);
            return false;
        }
    }

    Tariffs tariffs() {
        return tariffs;
    }

    @Override
    public List<UsageRow> usage(LocalDate from, LocalDate to, String groupId, String company) {
        if (from == null || to == null || to.isBefore(from)) {
            throw new IllegalArgumentException("empty range: " + from + " .. " + to);
        }
        if (from.plusDays(MAX_DAYS).isBefore(to)) {
            throw new IllegalArgumentException("range longer than " + MAX_DAYS + " days: " + from + " .. " + to);
        }
        Tariffs t = tariffs;
        List<Parcel> parcels = queries().parcelsBetween(groupId, from.atStartOfDay(t.zone()).toInstant(),
                to.plusDays(1).atStartOfDay(t.zone()).toInstant());
        return calculator(t).usage(parcels, from, to, company);
    }

    @Override
    public List<CostSharing> costSharing(YearMonth month, String groupId) {
        LocalDate from = month.atDay(1);
        LocalDate to = month.atEndOfMonth();
        Tariffs t = tariffs;
        LockerQueries q = queries();
        List<Parcel> parcels = q.parcelsBetween(groupId, from.atStartOfDay(t.zone()).toInstant(),
                to.plusDays(1).atStartOfDay(t.zone()).toInstant());
        UsageCalculator calculator = calculator(t);
        List<UsageRow> rows = calculator.usage(parcels, from, to, null);
        Set<String> groups = new TreeSet<>();
        if (groupId != null) {
            groups.add(groupId);
        } else {
            q.groups().stream().map(CabinetGroup::groupId).forEach(groups::add);
            rows.forEach(r -> groups.add(r.groupId()));
        }
        List<CostSharing> out = new ArrayList<>();
        for (String g : groups) {
            out.add(calculator.costSharing(month, g, rows));
        }
        return out;
    }

    private UsageCalculator calculator(Tariffs t) {
        FeePolicy policy = fees;
        return new UsageCalculator(t, fundingShares.get(), p -> {
            if (policy == null) {
                return null;
            }
            Fee fee = policy.quote(p, p.depositedAt());
            return fee.freeUntil();
        }, now());
    }

    private LockerQueries queries() {
        LockerQueries q = queries;
        if (q == null) {
            throw new IllegalStateException("the locker core (LockerQueries) is not running");
        }
        return q;
    }

    private Instant now() {
        GatewayClock c = clock;
        return c == null ? Instant.now() : c.now();
    }
}
