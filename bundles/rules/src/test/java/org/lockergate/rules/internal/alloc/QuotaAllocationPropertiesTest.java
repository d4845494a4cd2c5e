package org.lockergate.rules.internal.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.Allocation;
import org.lockergate.api.spi.AllocationRequest;

/**
 * Property tests (jqwik) of R11: whatever the shares, shared part, borrowing setting and limit, and whatever mix of
 * deposits, pickups, faults and repairs, no allocation offers a compartment that is not free, offers one twice, or
 * lets a company hold more of a size than its part plus the borrowing limit, nor overfills the shared part. The
 * model below follows the README's arithmetic independently of {@link QuotaAllocator}'s code.
 */
class QuotaAllocationPropertiesTest {

    static final String[] COMPANIES = {"JT", "ZTO", "YUNDA", "SF"}; // SF has no share

    /** One step of life at a cabinet group. */
    record Step(int kind, int company, SizeClass size, boolean preferLow, int pick) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, COMPANIES.length - 1), Arbitraries.of(SizeClass.class),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 1000)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 300)
    void noAllocationDoubleBooksOrExceedsAQuotaBeyondTheBorrowingLimit(
            @ForAll @IntRange(min = 0, max = 100) int jt, @ForAll @IntRange(min = 0, max = 100) int zto,
            @ForAll @IntRange(min = 0, max = 100) int sharedPercent,
            @ForAll @IntRange(min = 0, max = 100) int limitPercent, @ForAll boolean borrowing,
            @ForAll boolean refuseUnknown, @ForAll boolean spreadWear,
            @ForAll @IntRange(min = 0, max = 25) int small, @ForAll @IntRange(min = 0, max = 12) int medium,
            @ForAll @IntRange(min = 0, max = 6) int large, @ForAll("steps") @Size(min = 1) List<Step> steps) {
        int a = Math.min(jt, 100);
        int b = Math.min(zto, 100 - a);
        Map<String, Integer> shares = Map.of("JT", a, "ZTO", b, "YUNDA", 100 - a - b);
        QuotaRules rules = QuotaRules.parse(QuotaAllocationTest.config(new String[] {"JT=" + a, "ZTO=" + b,
                "YUNDA=" + (100 - a - b)}, sharedPercent, borrowing, limitPercent, refuseUnknown ? "refuse" : "shared",
                new String[] {"1-4"}, spreadWear));
        Map<String, String> owners = new HashMap<>();
        QuotaAllocation policy = new QuotaAllocation(c -> c.parcelId() == null ? null : owners.get(c.parcelId()),
                rules);
        List<Compartment> group = new ArrayList<>();
        int channel = 0;
        for (SizeClass size : SizeClass.values()) {
            int n = size == SizeClass.S ? small : size == SizeClass.M ? medium : large;
            for (int i = 0; i < n; i++) {
                channel++;
                group.add(new Compartment("g1", "c1", Integer.toString(channel), size, 1 + channel / 24,
                        1 + channel % 24, CompartmentState.FREE, true, false, null, null));
            }
        }
        int parcels = 0;
        for (Step step : steps) {
            if (group.isEmpty()) {
                return;
            }
            Compartment target = group.get(step.pick() % group.size());
            int at = group.indexOf(target);
            switch (step.kind()) {
                case 0 -> { // pickup
                    if (target.parcelId() != null) {
                        owners.remove(target.parcelId());
                        group.set(at, with(target, CompartmentState.FREE, null));
                    }
                }
                case 1 -> { // a door jams, or staff disable it
                    if (target.parcelId() == null) {
                        group.set(at, with(target, step.preferLow() ? CompartmentState.FAULT
                                : CompartmentState.DISABLED, null));
                    }
                }
                case 2 -> { // repaired
                    if (target.parcelId() == null) {
                        group.set(at, with(target, CompartmentState.FREE, null));
                    }
                }
                default -> { // a deposit
                    String company = COMPANIES[step.company()];
                    Set<String> excluded = step.pick() % 7 == 0 ? Set.of(target.label()) : Set.of();
                    AllocationRequest request = new AllocationRequest("g1", company, step.size(), step.preferLow(),
                            excluded);
                    Allocation allocation = policy.allocate(request, List.copyOf(group));
                    List<Compartment> candidates = allocation.candidates();
                    assertThat(allocation.explanation()).isNotBlank();
                    assertThat(new HashSet<>(candidates)).as("no candidate twice").hasSameSizeAs(candidates);
                    for (Compartment c : candidates) {
                        assertThat(c.state()).isEqualTo(CompartmentState.FREE);
                        assertThat(c.parcelId()).isNull();
                        assertThat(c.size().holds(step.size())).isTrue();
                        assertThat(excluded).doesNotContain(c.label());
                    }
                    if (candidates.isEmpty()) {
                        continue;
                    }
                    // the core may end up with any candidate (a jammed door moves on to the next one)
                    Compartment chosen = candidates.get(step.pick() % candidates.size());
                    Quota before = Quota.of(rules, shares, owners, group, chosen.size(), company);
                    assertThat(refuseUnknown && !shares.containsKey(company)).as("a company without a share is "
                            + "refused").isFalse();
                    if (before.mine() >= before.part()) {
                        // beyond its own part: only by borrowing, within the shared part and the limit
                        assertThat(borrowing || !shares.containsKey(company)).as("borrowing off").isTrue();
                        assertThat(before.sharedUsed()).as("shared part has room").isLessThan(before.shared());
                        assertThat(before.mine() - before.part()).as("borrowed below the limit")
                                .isLessThan(before.limit());
                    }
                    String parcel = "p" + (++parcels);
                    owners.put(parcel, company);
                    group.set(group.indexOf(chosen), with(chosen, CompartmentState.OCCUPIED, parcel));
                    Quota after = Quota.of(rules, shares, owners, group, chosen.size(), company);
                    assertThat(after.mine()).as("%s holds at most its part plus the borrowing limit", company)
                            .isLessThanOrEqualTo(Math.max(before.mine(), before.part() + before.limit()));
                }
            }
        }
        Set<String> held = new HashSet<>();
        for (Compartment c : group) {
            if (c.parcelId() != null) {
                assertThat(held.add(c.parcelId())).as("one compartment per parcel").isTrue();
            }
        }
    }

    private static Compartment with(Compartment c, CompartmentState state, String parcel) {
        return new Compartment(c.groupId(), c.cabinetId(), c.label(), c.size(), c.board(), c.channel(), state,
                true, parcel != null, null, parcel);
    }

    /** The quota arithmetic of the README for one company and size, computed independently. */
    record Quota(int part, int shared, int sharedUsed, int limit, int mine) {
        static Quota of(QuotaRules rules, Map<String, Integer> shares, Map<String, String> owners,
                List<Compartment> group, SizeClass size, String company) {
            int capacity = 0;
            Map<String, Integer> used = new HashMap<>();
            int unowned = 0;
            for (Compartment c : group) {
                if (c.size() != size) {
                    continue;
                }
                if ((c.state() != CompartmentState.FAULT && c.state() != CompartmentState.DISABLED)
                        || c.parcelId() != null) {
                    capacity++;
                }
                if (c.parcelId() != null) {
                    String owner = owners.get(c.parcelId());
                    used.merge(owner, 1, Integer::sum);
                    if (!shares.containsKey(owner)) {
                        unowned++;
                    }
                }
            }
            Map<String, Integer> parts = new HashMap<>();
            int sum = 0;
            for (Map.Entry<String, Integer> e : shares.entrySet()) {
                int part = capacity * (100 - rules.sharedPercent()) * e.getValue() / 10_000;
                parts.put(e.getKey(), part);
                sum += part;
            }
            int shared = capacity - sum;
            int sharedUsed = unowned;
            for (Map.Entry<String, Integer> e : parts.entrySet()) {
                sharedUsed += Math.max(0, used.getOrDefault(e.getKey(), 0) - e.getValue());
            }
            return new Quota(parts.getOrDefault(company, 0), shared, sharedUsed,
                    shared * rules.borrowLimitPercent() / 100, used.getOrDefault(company, 0));
        }
    }
}
