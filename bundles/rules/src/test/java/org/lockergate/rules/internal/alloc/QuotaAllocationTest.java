package org.lockergate.rules.internal.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.Allocation;
import org.lockergate.api.spi.AllocationRequest;

class QuotaAllocationTest {

    /** parcel id → company, as the core's parcels would say. */
    final Map<String, String> owners = new HashMap<>();
    final CompanyOf companies = c -> c.parcelId() == null ? null : owners.get(c.parcelId());

    static Compartment free(String label, SizeClass size, int board, int channel) {
        return new Compartment("g1", "c1", label, size, board, channel, CompartmentState.FREE, true, false, null, null);
    }

    Compartment occupied(String label, SizeClass size, String company) {
        String parcel = "p-" + label;
        owners.put(parcel, company);
        return new Compartment("g1", "c1", label, size, 1, Integer.parseInt(label), CompartmentState.OCCUPIED, true, true,
                null, parcel);
    }

    static List<Compartment> tenSmall() {
        List<Compartment> list = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            list.add(free(Integer.toString(i), SizeClass.S, 1, i));
        }
        return list;
    }

    static QuotaRules rules(String... shares) {
        return QuotaRules.parse(config(shares, 20, true, 100, "shared", new String[0], false));
    }

    static AllocationRequest request(String company, SizeClass size) {
        return new AllocationRequest("g1", company, size, false, Set.of());
    }

    @Test
    void spreadingWearTakesTheLeastUsedCompartmentByTheStoresCounterAndCountsOnBetweenReads() {
        QuotaRules spread = QuotaRules.parse(config(new String[0], 20, true, 100, "shared", new String[0], true));
        java.util.Map<String, Long> counters = new java.util.HashMap<>(java.util.Map.of("1", 40L, "2", 3L, "3", 3L,
                "4", 9L));
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        QuotaAllocation policy = new QuotaAllocation(companies, spread, KnownCompanies.UNKNOWN, groupId -> {
            reads.incrementAndGet();
            return java.util.Map.copyOf(counters);
        });
        List<Compartment> four = tenSmall().subList(0, 4);
        Allocation first = policy.allocate(request("JT", SizeClass.S), four);
        assertThat(first.candidates()).extracting(Compartment::label).containsExactly("2", "3", "4", "1");
        assertThat(first.explanation()).contains("least used (3 uses)", "使用次数最少（3 次）");
        // 2 handed out (now 4 uses): 3 is the least used; then 2 and 3 tie at 4 uses and the rotation on from 3
        // (4, 1, 2, 3) puts 2 first
        assertThat(policy.allocate(request("JT", SizeClass.S), four).candidates().get(0).label()).isEqualTo("3");
        assertThat(policy.allocate(request("JT", SizeClass.S), four).candidates()).extracting(Compartment::label)
                .containsExactly("2", "3", "4", "1");
        assertThat(reads).hasValue(1); // the store is read again only after Wear.REFRESH_NANOS
    }

    @Test
    void withoutSharesTheSmallestFreeSizeIsChosen() {
        List<Compartment> all = List.of(free("1", SizeClass.L, 1, 1), free("2", SizeClass.M, 1, 2),
                free("3", SizeClass.S, 1, 3));
        Allocation a = new QuotaAllocation(companies, QuotaRules.parse(config(new String[0], 20, true, 100, "shared",
                new String[0], false))).allocate(request("ZTO", SizeClass.S), all);
        assertThat(a.candidates()).extracting(Compartment::label).containsExactly("3", "2", "1");
        assertThat(a.explanation()).contains("smallest fitting size").contains("Compartment 3");
        assertThat(a.suggestion()).isNull();
    }

    @Test
    void aCompanyWithinItsPartGetsTheSmallestSize() {
        // 10 S: shared 20 % → parts JT 3, ZTO 2, YUNDA 2 (⌊10×80×share/10000⌋), shared 3
        List<Compartment> all = new ArrayList<>(tenSmall());
        Allocation a = new QuotaAllocation(companies, rules("JT=40", "ZTO=35", "YUNDA=25"))
                .allocate(request("ZTO", SizeClass.S), all);
        assertThat(a.candidates()).isNotEmpty();
        assertThat(a.explanation()).contains("ZTO 配额 0/2，使用自有配额").contains("ZTO's part 0/2, within its own part");
    }

    @Test
    void aCompanyWhosePartIsUsedUpBorrowsFromTheSharedPartUpToItsSize() {
        List<Compartment> all = new ArrayList<>(tenSmall());
        all.set(0, occupied("1", SizeClass.S, "ZTO"));
        all.set(1, occupied("2", SizeClass.S, "ZTO"));
        QuotaAllocation policy = new QuotaAllocation(companies, rules("JT=40", "ZTO=35", "YUNDA=25"));
        Allocation borrow = policy.allocate(request("ZTO", SizeClass.S), all);
        assertThat(borrow.candidates()).isNotEmpty();
        assertThat(borrow.explanation()).contains("borrowing from the shared part 0/3");
        all.set(2, occupied("3", SizeClass.S, "ZTO"));
        all.set(3, occupied("4", SizeClass.S, "ZTO"));
        all.set(4, occupied("5", SizeClass.S, "ZTO"));
        Allocation none = policy.allocate(request("ZTO", SizeClass.S), all);
        assertThat(none.candidates()).isEmpty();
        assertThat(none.explanation()).contains("ZTO's part 5/2 used up and the shared part 3/3 is full")
                .contains("No compartment of size S or larger may be allocated");
        // JT still has its own part
        assertThat(policy.allocate(request("JT", SizeClass.S), all).candidates()).isNotEmpty();
    }

    @Test
    void borrowingOffOrAtItsLimitIsRefused() {
        List<Compartment> all = new ArrayList<>(tenSmall());
        all.set(0, occupied("1", SizeClass.S, "ZTO"));
        all.set(1, occupied("2", SizeClass.S, "ZTO"));
        QuotaRules off = QuotaRules.parse(config(new String[] {"JT=40", "ZTO=35", "YUNDA=25"}, 20, false, 100,
                "shared", new String[0], false));
        assertThat(new QuotaAllocation(companies, off).allocate(request("ZTO", SizeClass.S), all).explanation())
                .contains("borrowing is off");
        QuotaRules limited = QuotaRules.parse(config(new String[] {"JT=40", "ZTO=35", "YUNDA=25"}, 20, true, 34,
                "shared", new String[0], false));
        all.set(2, occupied("3", SizeClass.S, "ZTO"));
        Allocation a = new QuotaAllocation(companies, limited).allocate(request("ZTO", SizeClass.S), all);
        assertThat(a.candidates()).isEmpty();
        assertThat(a.explanation()).contains("borrows its limit of 1/1");
    }

    @Test
    void aCompanyOutOfItsSmallQuotaIsUpsizedIntoItsMediumPart() {
        List<Compartment> all = new ArrayList<>();
        all.add(occupied("1", SizeClass.S, "ZTO"));
        all.add(free("2", SizeClass.S, 1, 2));
        for (int i = 3; i <= 7; i++) {
            all.add(free(Integer.toString(i), SizeClass.M, 1, i));
        }
        QuotaRules only = QuotaRules.parse(config(new String[] {"ZTO=50", "JT=50"}, 0, false, 100, "shared",
                new String[0], false));
        Allocation a = new QuotaAllocation(companies, only).allocate(request("ZTO", SizeClass.S), all);
        assertThat(a.candidates()).allMatch(c -> c.size() == SizeClass.M);
        assertThat(a.explanation()).contains("upsized from S").contains("S: ZTO's part 1/1 used up");
    }

    @Test
    void aFullGroupSaysSoAndLeavesTheSuggestionToTheCore() {
        List<Compartment> all = List.of(occupied("1", SizeClass.S, "ZTO"), occupied("2", SizeClass.M, "JT"));
        Allocation a = new QuotaAllocation(companies, rules("JT=50", "ZTO=50")).allocate(request("ZTO", SizeClass.S),
                all);
        assertThat(a.candidates()).isEmpty();
        assertThat(a.suggestion()).isNull();
        assertThat(a.explanation()).startsWith("柜组已满").contains("Group full").contains("L: no free compartment");
    }

    @Test
    void unknownCompaniesUseTheSharedPartOrAreRefused() {
        List<Compartment> all = tenSmall();
        assertThat(new QuotaAllocation(companies, rules("JT=50", "ZTO=50")).allocate(request("SF", SizeClass.S), all)
                .explanation()).contains("SF has no funding share, uses the shared part");
        QuotaRules refuse = QuotaRules.parse(config(new String[] {"JT=50", "ZTO=50"}, 20, true, 100, "refuse",
                new String[0], false));
        assertThat(new QuotaAllocation(companies, refuse).allocate(request("SF", SizeClass.S), all).candidates())
                .isEmpty();
    }

    @Test
    void lowCompartmentsComeFirstWhenAsked() {
        QuotaRules low = QuotaRules.parse(config(new String[0], 20, true, 100, "shared", new String[] {"8-10"},
                false));
        Allocation a = new QuotaAllocation(companies, low).allocate(new AllocationRequest("g1", "ZTO", SizeClass.S,
                true, Set.of()), tenSmall());
        assertThat(a.candidates()).extracting(Compartment::label).startsWith("8", "9", "10", "1");
        assertThat(a.explanation()).contains("low (as asked)");
        Allocation notAsked = new QuotaAllocation(companies, low).allocate(request("ZTO", SizeClass.S), tenSmall());
        assertThat(notAsked.candidates().get(0).label()).isEqualTo("1");
    }

    @Test
    void wearIsSpreadByRotatingThroughTheFreeCompartments() {
        QuotaRules spread = QuotaRules.parse(config(new String[0], 20, true, 100, "shared", new String[0], true));
        QuotaAllocation policy = new QuotaAllocation(companies, spread);
        List<String> firsts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            firsts.add(policy.allocate(request("ZTO", SizeClass.S), tenSmall()).candidates().get(0).label());
        }
        assertThat(firsts).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "1", "2");
    }

    @Test
    void excludedBusyAndBrokenCompartmentsAreNeverCandidates() {
        List<Compartment> all = new ArrayList<>(tenSmall());
        all.set(0, new Compartment("g1", "c1", "1", SizeClass.S, 1, 1, CompartmentState.FAULT, true, false, null, null));
        all.set(1, new Compartment("g1", "c1", "2", SizeClass.S, 1, 2, CompartmentState.FREE, false, false, null, null));
        all.set(2, new Compartment("g1", "c1", "3", SizeClass.S, 1, 3, CompartmentState.FREE, true, true, null, null));
        Allocation a = new QuotaAllocation(companies, rules()).allocate(new AllocationRequest("g1", "ZTO",
                SizeClass.S, false, Set.of("4")), all);
        assertThat(a.candidates()).extracting(Compartment::label).containsExactly("5", "6", "7", "8", "9", "10");
    }

    /** Property: random groups and requests never yield a non-free candidate or a quota use beyond part + limit. */
    @Test
    void randomDecisionsNeverDoubleBookOrExceedAQuotaBeyondTheBorrowingLimit() {
        Random random = new Random(4);
        String[] codes = {"JT", "ZTO", "YUNDA", "SF"};
        for (int round = 0; round < 300; round++) {
            owners.clear();
            int sharedPercent = random.nextInt(101);
            int limitPercent = random.nextInt(101);
            QuotaRules r = QuotaRules.parse(config(new String[] {"JT=40", "ZTO=35", "YUNDA=25"}, sharedPercent,
                    random.nextBoolean(), limitPercent, "shared", new String[0], random.nextBoolean()));
            QuotaAllocation policy = new QuotaAllocation(companies, r);
            List<Compartment> all = new ArrayList<>();
            int n = 1 + random.nextInt(40);
            for (int i = 1; i <= n; i++) {
                all.add(free(Integer.toString(i), SizeClass.S, 1, i));
            }
            // fill the group by repeated allocation, as the core would
            for (int step = 0; step < 2 * n; step++) {
                String company = codes[random.nextInt(codes.length)];
                Allocation a = policy.allocate(request(company, SizeClass.S), all);
                for (Compartment c : a.candidates()) {
                    assertThat(c.state()).isEqualTo(CompartmentState.FREE);
                    assertThat(c.parcelId()).isNull();
                }
                if (a.candidates().isEmpty()) {
                    continue;
                }
                Compartment chosen = a.candidates().get(0);
                all.set(all.indexOf(chosen), occupied(chosen.label(), SizeClass.S, company));
                long used = owners.values().stream().filter(company::equals).count();
                int part = "SF".equals(company) ? 0 : (int) ((long) n * (100 - sharedPercent)
                        * Map.of("JT", 40, "ZTO", 35, "YUNDA", 25).get(company) / 10_000);
                int shared = n - (int) ((long) n * (100 - sharedPercent) * 40 / 10_000)
                        - (int) ((long) n * (100 - sharedPercent) * 35 / 10_000)
                        - (int) ((long) n * (100 - sharedPercent) * 25 / 10_000);
                int limit = r.borrowing() || "SF".equals(company) ? shared * limitPercent / 100 : 0;
                assertThat(used).as("round %d company %s", round, company).isLessThanOrEqualTo(part + limit);
            }
        }
    }

    @Test
    void sharesThatDoNotSumToAHundredAreRefusedNamingTheField() {
        assertThatThrownBy(() -> rules("JT=40", "ZTO=35")).hasMessageContaining("shares")
                .hasMessageContaining("75 %");
        assertThatThrownBy(() -> rules("JT=40", "JT=60")).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> QuotaRules.parse(config(new String[0], 120, true, 100, "shared", new String[0],
                true))).hasMessageContaining("sharedPercent");
        assertThatThrownBy(() -> QuotaRules.parse(config(new String[0], 20, true, 100, "shared",
                new String[] {"a-b"}, true))).hasMessageContaining("lowPositions");
        QuotaAllocation policy = new QuotaAllocation(companies, rules("JT=100"));
        assertThat(policy.apply(config(new String[] {"JT=40"}, 20, true, 100, "shared", new String[0], true)))
                .isFalse();
        assertThat(policy.rules().shares()).containsOnlyKeys("JT");
    }

    @Test
    void aShareForACompanyTheGatewayDoesNotKnowIsRefusedAndThePreviousRulesStay() {
        QuotaAllocation policy = new QuotaAllocation(companies, rules("JT=100"),
                () -> java.util.Set.of("JT", "YUNDA", "ZTO"));
        assertThatThrownBy(() -> QuotaRules.checkCompanies(rules("JT=40", "ZTO=35", "STO=25"),
                java.util.Set.of("JT", "YUNDA", "ZTO"))).hasMessageContaining("Configuration field shares refused")
                .hasMessageContaining("unknown courier company 'STO' (configured: JT, YUNDA, ZTO)")
                .hasMessageContaining("未知的快递公司 “STO”");
        assertThat(policy.apply(config(new String[] {"JT=40", "ZTO=35", "STO=25"}, 20, true, 100, "shared",
                new String[0], true))).isFalse();
        assertThat(policy.rules().shares()).containsOnlyKeys("JT");
        assertThat(policy.apply(config(new String[] {"JT=40", "ZTO=35", "YUNDA=25"}, 20, true, 100, "shared",
                new String[0], true))).isTrue();
        assertThat(policy.rules().shares()).containsOnlyKeys("JT", "ZTO", "YUNDA");
        // nothing configured yet (or no ConfigurationAdmin): not checkable, accepted
        assertThat(QuotaRules.checkCompanies(rules("STO=100"), java.util.Set.of()).shares()).containsOnlyKeys("STO");
    }

    static QuotaAllocation.Config config(String[] shares, int sharedPercent, boolean borrowing, int limit,
            String unknown, String[] low, boolean spread) {
        return new QuotaAllocation.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return QuotaAllocation.Config.class;
            }

            @Override
            public String[] shares() {
                return shares;
            }

            @Override
            public int sharedPercent() {
                return sharedPercent;
            }

            @Override
            public boolean borrowing() {
                return borrowing;
            }

            @Override
            public int borrowLimitPercent() {
                return limit;
            }

            @Override
            public String unknownCompanies() {
                return unknown;
            }

            @Override
            public String[] lowPositions() {
                return low;
            }

            @Override
            public boolean spreadWear() {
                return spread;
            }
        };
    }
}
