package org.lockergate.rules.internal.alloc;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.Allocation;
import org.lockergate.api.spi.AllocationRequest;

/**
 * R11 with quota pools. For each size from the one asked for upwards (upsizing), the size is usable when it has a
 * free compartment (FREE, door closed, no item, not excluded) and the company may take one more of that size:
 * <ul>
 * <li>capacity N = compartments of the size in the group that are in service (not FAULT or DISABLED) or hold a
 * parcel;</li>
 * <li>company part = ⌊N × (100 − shared %) × share % / 10 000⌋; shared part = N − Σ company parts (the rounding
 * remainders go to the shared part);</li>
 * <li>a company's use = compartments of the size holding (or reserved for) its parcels; use beyond its part, and the
 * parcels of companies without a share or of unknown company, count against the shared part;</li>
 * <li>within its part: yes; beyond it: when borrowing is on, the shared part has room and the company's borrowed
 * count is below the borrowing limit (⌊shared part × limit % / 100⌋).</li>
 * </ul>
 * Candidates are the usable sizes' free compartments, smallest size first; within a size the low ones first when the
 * recipient asked for it, and (spreading wear) rotating from just after the compartment handed out last, else in
 * cabinet/label order. Side-effect free apart from that in-memory rotation cursor.
 */
final class QuotaAllocator {

    /** Why a size was or was not usable, for the explanation. */
    record SizeVerdict(SizeClass size, boolean usable, int free, String zh, String en) {
    }

    private final Map<String, String> cursor = new ConcurrentHashMap<>();

    Allocation allocate(QuotaRules rules, CompanyOf companies, AllocationRequest request,
            List<Compartment> compartments) {
        return allocate(rules, companies, Wear.NONE, request, compartments);
    }

    Allocation allocate(QuotaRules rules, CompanyOf companies, Wear wear, AllocationRequest request,
            List<Compartment> compartments) {
        companies.prepare(request.groupId(), compartments);
        if (rules.spreadWear()) {
            wear.prepare(request.groupId());
        }
        Map<SizeClass, List<Compartment>> bySize = new EnumMap<>(SizeClass.class);
        for (SizeClass s : SizeClass.values()) {
            bySize.put(s, new ArrayList<>());
        }
        for (Compartment c : compartments) {
            bySize.get(c.size()).add(c);
        }
        String company = request.companyCode();
        List<Compartment> candidates = new ArrayList<>();
        List<SizeVerdict> verdicts = new ArrayList<>();
        for (SizeClass size : SizeClass.values()) {
            if (!size.holds(request.size())) {
                continue;
            }
            List<Compartment> all = bySize.get(size);
            List<Compartment> free = all.stream().filter(c -> c.state().allocatable() && c.doorClosed()
                    && !c.itemPresent() && !request.excluded().contains(c.label())).sorted(Natural.ORDER).toList();
            SizeVerdict verdict = judge(rules, companies, company, size, all, free.size());
            verdicts.add(verdict);
            if (verdict.usable()) {
                candidates.addAll(order(rules, wear, request, size, free));
            }
        }
        if (candidates.isEmpty()) {
            return new Allocation(List.of(), none(request, verdicts), null);
        }
        Compartment first = candidates.get(0);
        if (rules.spreadWear()) {
            cursor.put(request.groupId() + "\u0000" + first.size(), key(first));
        }
        Allocation allocation = new Allocation(candidates, chosen(rules, wear, request, first, verdicts), null);
        if (rules.spreadWear()) {
            wear.handedOut(first);
        }
        return allocation;
    }

    private SizeVerdict judge(QuotaRules rules, CompanyOf companies, String company, SizeClass size,
            List<Compartment> all, int free) {
        if (free == 0) {
            return new SizeVerdict(size, false, 0, size + "：没有空闲格口", size + ": no free compartment");
        }
        if (!rules.pools()) {
            return new SizeVerdict(size, true, free, size + "：" + free + " 个空闲（未配置配额）", size + ": " + free
                    + " free (no quota pools configured)");
        }
        int capacity = 0;
        Map<String, Integer> used = new HashMap<>();
        int unowned = 0;
        for (Compartment c : all) {
            boolean inService = c.state() != CompartmentState.FAULT && c.state() != CompartmentState.DISABLED;
            if (inService || c.parcelId() != null) {
                capacity++;
            }
            if (c.parcelId() != null) {
                String owner = companies.companyOf(c);
                if (owner != null) {
                    used.merge(owner, 1, Integer::sum);
                }
                if (owner == null || !rules.shares().containsKey(owner)) {
                    unowned++;
                }
            }
        }
        int partsSum = 0;
        Map<String, Integer> parts = new HashMap<>();
        for (Map.Entry<String, Integer> e : rules.shares().entrySet()) {
            int part = (int) ((long) capacity * (100 - rules.sharedPercent()) * e.getValue() / 10_000);
            parts.put(e.getKey(), part);
            partsSum += part;
        }
        int shared = capacity - partsSum;
        int sharedUsed = unowned;
        for (Map.Entry<String, Integer> e : parts.entrySet()) {
            sharedUsed += Math.max(0, used.getOrDefault(e.getKey(), 0) - e.getValue());
        }
        int limit = (int) ((long) shared * rules.borrowLimitPercent() / 100);
        int mine = used.getOrDefault(company, 0);
        String sharedZh = "共享部分 " + sharedUsed + "/" + shared;
        String sharedEn = "shared part " + sharedUsed + "/" + shared;
        Integer part = parts.get(company);
        if (part == null) {
            if (rules.unknownCompanies() == QuotaRules.Unknown.REFUSE) {
                return new SizeVerdict(size, false, free, size + "：" + company + " 没有出资份额，不能使用",
                        size + ": " + company + " has no funding share and may not use the lockers");
            }
            if (sharedUsed >= shared) {
                return new SizeVerdict(size, false, free, size + "：" + company + " 没有出资份额，" + sharedZh + " 已满",
                        size + ": " + company + " has no funding share and the " + sharedEn + " is full");
            }
            if (mine >= limit) {
                return new SizeVerdict(size, false, free, size + "：" + company + " 没有出资份额，已达共享部分借用上限 "
                        + mine + "/" + limit, size + ": " + company + " has no funding share and holds its limit of "
                                + mine + "/" + limit + " in the shared part");
            }
            return new SizeVerdict(size, true, free, size + "：" + company + " 没有出资份额，使用共享部分（" + sharedZh + "）",
                    size + ": " + company + " has no funding share, uses the " + sharedEn);
        }
        String own = company + " 配额 " + mine + "/" + part;
        String ownEn = company + "'s part " + mine + "/" + part;
        if (mine < part) {
            return new SizeVerdict(size, true, free, size + "：" + own + "，使用自有配额", size + ": " + ownEn
                    + ", within its own part");
        }
        if (!rules.borrowing()) {
            return new SizeVerdict(size, false, free, size + "：" + own + " 已用完，不允许借用共享部分",
                    size + ": " + ownEn + " used up and borrowing is off");
        }
        if (sharedUsed >= shared) {
            return new SizeVerdict(size, false, free, size + "：" + own + " 已用完，" + sharedZh + " 已满",
                    size + ": " + ownEn + " used up and the " + sharedEn + " is full");
        }
        int borrowed = mine - part;
        if (borrowed >= limit) {
            return new SizeVerdict(size, false, free, size + "：" + own + " 已用完，借用已达上限 " + borrowed + "/" + limit,
                    size + ": " + ownEn + " used up and it already borrows its limit of " + borrowed + "/" + limit);
        }
        return new SizeVerdict(size, true, free, size + "：" + own + " 已用完，从共享部分借用（" + sharedZh + "，已借 "
                + borrowed + "/" + limit + "）", size + ": " + ownEn + " used up, borrowing from the " + sharedEn
                        + " (borrowed " + borrowed + "/" + limit + ")");
    }

    private List<Compartment> order(QuotaRules rules, Wear wear, AllocationRequest request, SizeClass size,
            List<Compartment> free) {
        List<Compartment> rotated = free;
        if (rules.spreadWear()) {
            // least used first (the store's counter); among equally used ones, on from the one handed out last
            rotated = leastUsedFirst(rotate(free, cursor.get(request.groupId() + "\u0000" + size)),
                    wear.counts(request.groupId()));
        }
        if (!request.preferLow() || rules.low().isEmpty()) {
            return rotated;
        }
        List<Compartment> out = new ArrayList<>(rotated.size());
        rotated.stream().filter(rules.low()::contains).forEach(out::add);
        rotated.stream().filter(c -> !rules.low().contains(c)).forEach(out::add);
        return out;
    }

    /**
     * Stable by use count (one look-up per compartment, then a primitive sort: this runs inside the core's reserve
     * transaction); the list as it is when no counters are known.
     */
    static List<Compartment> leastUsedFirst(List<Compartment> rotated, Map<String, Long> counts) {
        int n = rotated.size();
        if (counts == null || n < 2) {
            return rotated;
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // uses in the high bits, the position in the low 20 bits: sorting the longs keeps ties in order
            long uses = Math.min(counts.getOrDefault(rotated.get(i).label(), 0L), (1L << 42) - 1);
            keys[i] = uses << 20 | i;
        }
        java.util.Arrays.sort(keys);
        List<Compartment> out = new ArrayList<>(n);
        for (long k : keys) {
            out.add(rotated.get((int) (k & 0xFFFFF)));
        }
        return out;
    }

    /** {@code sorted} starting just after {@code last} (in the same order), wrapping around. */
    static List<Compartment> rotate(List<Compartment> sorted, String last) {
        if (last == null || sorted.size() < 2) {
            return sorted;
        }
        int start = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (compareKey(sorted.get(i), last) > 0) {
                start = i;
                break;
            }
        }
        List<Compartment> out = new ArrayList<>(sorted.subList(start, sorted.size()));
        out.addAll(sorted.subList(0, start));
        return out;
    }

    private static int compareKey(Compartment c, String key) {
        int sep = key.indexOf('\u0000');
        String cabinet = key.substring(0, sep);
        String label = key.substring(sep + 1);
        int cmp = c.cabinetId().compareTo(cabinet);
        return cmp != 0 ? cmp : Natural.compare(c.label(), label);
    }

    private static String key(Compartment c) {
        return c.cabinetId() + "\u0000" + c.label();
    }

    private static String chosen(QuotaRules rules, Wear wear, AllocationRequest request, Compartment first,
            List<SizeVerdict> verdicts) {
        StringBuilder zh = new StringBuilder();
        StringBuilder en = new StringBuilder();
        zh.append("格口 ").append(first.label()).append("（").append(first.size()).append("，柜 ").append(first.cabinetId())
                .append(" 板 ").append(first.board()).append(" 通道 ").append(first.channel()).append("）");
        en.append("Compartment ").append(first.label()).append(" (").append(first.size()).append(", cabinet ")
                .append(first.cabinetId()).append(" board ").append(first.board()).append(" channel ")
                .append(first.channel()).append(")");
        if (first.size() == request.size()) {
            zh.append("：最小合适尺寸");
            en.append(": smallest fitting size");
        } else {
            zh.append("：升格，需要 ").append(request.size());
            en.append(": upsized from ").append(request.size());
        }
        if (request.preferLow()) {
            boolean low = rules.low().contains(first);
            zh.append(low ? "，低位（按要求）" : rules.low().isEmpty() ? "，未配置低位格口" : "，无空闲低位格口");
            en.append(low ? ", low (as asked)" : rules.low().isEmpty() ? ", no low positions configured"
                    : ", no free low compartment");
        }
        if (rules.spreadWear() && wear.known(first.groupId())) {
            zh.append("，使用次数最少（").append(wear.uses(first)).append(" 次）");
            en.append(", least used (").append(wear.uses(first)).append(" uses)");
        } else if (rules.spreadWear()) {
            zh.append("，轮换使用");
            en.append(", rotating for even wear");
        }
        for (SizeVerdict v : verdicts) {
            zh.append("；").append(v.zh());
            en.append("; ").append(v.en());
            if (v.size() == first.size()) {
                break;
            }
        }
        return zh + " / " + en;
    }

    private static String none(AllocationRequest request, List<SizeVerdict> verdicts) {
        boolean physicallyFull = verdicts.stream().allMatch(v -> v.free() == 0);
        StringBuilder zh = new StringBuilder(physicallyFull ? "柜组已满：没有可用的 " + request.size() + " 或更大的格口"
                : "没有可分配的 " + request.size() + " 或更大的格口");
        StringBuilder en = new StringBuilder(physicallyFull ? "Group full: no free compartment of size " + request.size()
                + " or larger" : "No compartment of size " + request.size() + " or larger may be allocated");
        for (SizeVerdict v : verdicts) {
            zh.append("；").append(v.zh());
            en.append("; ").append(v.en());
        }
        return zh + " / " + en;
    }
}
