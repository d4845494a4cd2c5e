package org.lockergate.rules.internal.alloc;

import java.util.List;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.report.CompartmentUses;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.spi.Allocation;
import org.lockergate.api.spi.AllocationPolicy;
import org.lockergate.api.spi.AllocationRequest;
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
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * R11: smallest free size from the courier company's quota pool, upsizing, low compartments on request, wear spread
 * by rotation; every decision explains itself. Registered with service.ranking 100 (the core's built-in is −100).
 * When the group has nothing to offer, the suggestion stays {@code null}: the core names the nearest other group with
 * room (haversine on the configured coordinates) or the service station.
 */
@Component(service = AllocationPolicy.class, configurationPid = QuotaAllocation.PID,
        property = "service.ranking:Integer=100")
@Designate(ocd = QuotaAllocation.Config.class)
public class QuotaAllocation implements AllocationPolicy {

    public static final String PID = "org.lockergate.rules.allocation";

    private static final Logger LOG = LoggerFactory.getLogger(QuotaAllocation.class);

    @ObjectClassDefinition(name = "LockerGate allocation", description = "R11: courier quota pools by funding share. "
            + "格口分配：按出资份额划分的快递公司配额。")
    public @interface Config {
        @AttributeDefinition(name = "Funding shares", description = "company code=percent, summing to 100, e.g. "
                + "JT=40, ZTO=35, YUNDA=25; empty = no quota pools")
        String[] shares() default {};

        @AttributeDefinition(name = "Shared part (%)", description = "of every size class of a group", min = "0",
                max = "100")
        int sharedPercent() default 20;

        @AttributeDefinition(name = "Borrowing", description = "A company whose part is used up may borrow from the "
                + "shared part")
        boolean borrowing() default true;

        @AttributeDefinition(name = "Borrowing limit (%)", description = "Most of the shared part one company may "
                + "hold by borrowing", min = "0", max = "100")
        int borrowLimitPercent() default 100;

        @AttributeDefinition(name = "Companies without a share", options = {
            @Option(label = "may use the shared part", value = "shared"), @Option(label = "refused", value = "refuse") })
        String unknownCompanies() default "shared";

        @AttributeDefinition(name = "Low compartments", description = "Channel ranges that are low: 1-4 (any board), "
                + "2:1-4 (board 2), c1/2:1-4 (cabinet c1 board 2)")
        String[] lowPositions() default {};

        @AttributeDefinition(name = "Spread wear", description = "Least-used free compartment of a size first (the "
                + "store's use counter), rotating among equally used ones")
        boolean spreadWear() default true;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerQueries queries;

    /** Only to check the shares against the configured courier companies. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ConfigurationAdmin configAdmin;

    /** The store's per-compartment use counters (core), for spreading wear across restarts. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CompartmentUses uses;

    private final QuotaAllocator allocator = new QuotaAllocator();
    private final Wear wear;
    private final CompanyOf companies;
    private final KnownCompanies known;
    private volatile QuotaRules rules = QuotaRules.NO_POOLS;

    public QuotaAllocation() {
        this.companies = new ParcelCompanies(() -> queries);
        this.known = KnownCompanies.of(() -> configAdmin);
        this.wear = new Wear(() -> uses);
    }

    /** For tests. */
    QuotaAllocation(CompanyOf companies, QuotaRules rules) {
        this(companies, rules, KnownCompanies.UNKNOWN);
    }

    /** For tests. */
    QuotaAllocation(CompanyOf companies, QuotaRules rules, KnownCompanies known) {
        this(companies, rules, known, null);
    }

    /** For tests: with the use counters. */
    QuotaAllocation(CompanyOf companies, QuotaRules rules, KnownCompanies known, CompartmentUses uses) {
        this.companies = companies;
        this.rules = rules;
        this.known = known;
        this.uses = uses;
        this.wear = new Wear(() -> this.uses);
    }

    @Activate
    @Modified
    void configure(Config config) {
        apply(config);
    }

    /** Applies a configuration, or logs why it was refused and keeps the previous one. */
    boolean apply(Config config) {
        try {
            rules = QuotaRules.checkCompanies(QuotaRules.parse(config), known.codes());
            LOG.info("格口分配：份额 {}，共享 {}%，借用 {}（上限 {}%） / Allocation: shares {}, shared {} %, borrowing {} "
                    + "(limit {} %)", rules.shares(), rules.sharedPercent(), rules.borrowing(),
                    rules.borrowLimitPercent(), rules.shares(), rules.sharedPercent(), rules.borrowing(),
                    rules.borrowLimitPercent());
            RefusedConfigurations.accepted(PID);
            return true;
        } catch (ConfigException e) {
            LOG.error("{}（沿用之前的分配配置 / the previous allocation configuration stays in force）", e.getMessage());
            RefusedConfigurations.refused(PID, e);
            return false;
        }
    }

    @Override
    public Allocation allocate(AllocationRequest request, List<Compartment> compartments) {
        return allocator.allocate(rules, companies, wear, request, compartments);
    }

    QuotaRules rules() {
        return rules;
    }
}
