package org.lockergate.rules.internal.report;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.report.CostSharing;
import org.lockergate.api.report.UsageRow;

/**
 * R12 statistics from parcels, pure. A deposit counts on the day its door closed, a pickup on the day the resident
 * took it; compartment time is the part of each day between the door closing and the parcel leaving (or now);
 * a pickup is overdue when it came after the end of the parcel's free period (as the fee policy says).
 */
final class UsageCalculator {

    /** Parcels whose company is not recorded. */
    static final String NO_COMPANY = "-";

    private final Tariffs tariffs;
    private final Map<String, Integer> fundingShares;
    private final Function<Parcel, Instant> freeUntil;
    private final Instant now;

    /**
     * @param fundingShares company → funding share percent (companies with a share are "funding companies")
     * @param freeUntil the end of a parcel's free period (null when unknown: then not counted as overdue)
     */
    UsageCalculator(Tariffs tariffs, Map<String, Integer> fundingShares, Function<Parcel, Instant> freeUntil,
            Instant now) {
        this.tariffs = tariffs;
        this.fundingShares = Map.copyOf(fundingShares);
        this.freeUntil = freeUntil;
        this.now = now;
    }

    private static final class Acc {
        int deposits;
        final int[] bySize = new int[3];
        int pickups;
        long dwell;
        int overdue;
        long compartmentSeconds;
        long fee;
        long tariff;
    }

    private record Key(LocalDate day, String group, String company) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return Comparator.comparing(Key::day).thenComparing(Key::group).thenComparing(Key::company)
                    .compare(this, o);
        }
    }

    List<UsageRow> usage(List<Parcel> parcels, LocalDate from, LocalDate to, String company) {
        Map<Key, Acc> rows = new TreeMap<>();
        for (Parcel p : parcels) {
            String owner = p.companyCode() == null ? NO_COMPANY : p.companyCode();
            if (company != null && !company.equals(owner)) {
                continue;
            }
            String group = p.groupId() == null ? "" : p.groupId();
            if (p.depositedAt() != null) {
                LocalDate day = day(p.depositedAt());
                if (within(day, from, to)) {
                    Acc a = rows.computeIfAbsent(new Key(day, group, owner), k -> new Acc());
                    a.deposits++;
                    SizeClass size = p.size() == null ? SizeClass.M : p.size();
                    a.bySize[size.ordinal()]++;
                    a.tariff += tariffs.tariff(size, fundingShares.getOrDefault(owner, 0) > 0);
                }
                if (p.state() == ParcelState.PICKED_UP && p.closedAt() != null) {
                    LocalDate out = day(p.closedAt());
                    if (within(out, from, to)) {
                        Acc a = rows.computeIfAbsent(new Key(out, group, owner), k -> new Acc());
                        a.pickups++;
                        a.dwell += Duration.between(p.depositedAt(), p.closedAt()).toSeconds();
                        Instant end = freeUntil.apply(p);
                        if (end != null && p.closedAt().isAfter(end)) {
                            a.overdue++;
                        }
                        a.fee += p.feeFen();
                    }
                }
                Instant left = p.closedAt() != null ? p.closedAt() : now;
                LocalDate d = day(p.depositedAt());
                for (LocalDate first = d.isBefore(from) ? from : d; !first.isAfter(to); first = first.plusDays(1)) {
                    Instant dayStart = first.atStartOfDay(tariffs.zone()).toInstant();
                    if (!left.isAfter(dayStart)) {
                        break;
                    }
                    Instant dayEnd = first.plusDays(1).atStartOfDay(tariffs.zone()).toInstant();
                    Instant a0 = p.depositedAt().isAfter(dayStart) ? p.depositedAt() : dayStart;
                    Instant a1 = left.isBefore(dayEnd) ? left : dayEnd;
                    if (a1.isAfter(a0)) {
                        rows.computeIfAbsent(new Key(first, group, owner), k -> new Acc()).compartmentSeconds +=
                                Duration.between(a0, a1).toSeconds();
                    }
                }
            }
        }
        List<UsageRow> out = new ArrayList<>(rows.size());
        rows.forEach((k, a) -> out.add(new UsageRow(k.day(), k.group(), k.company(), a.deposits, a.bySize[0],
                a.bySize[1], a.bySize[2], a.pickups, a.dwell, a.overdue, a.compartmentSeconds, a.fee, a.tariff)));
        return out;
    }

    /** The month's costs of one group split by funding share and by compartment time, each summing exactly. */
    CostSharing costSharing(YearMonth month, String groupId, List<UsageRow> monthRows) {
        Map<String, long[]> use = new TreeMap<>(); // company → {deposits, seconds, tariff}
        for (UsageRow r : monthRows) {
            if (!r.groupId().equals(groupId)) {
                continue;
            }
            long[] u = use.computeIfAbsent(r.company(), c -> new long[3]);
            u[0] += r.deposits();
            u[1] += r.compartmentSeconds();
            u[2] += r.tariffFen();
        }
        Set<String> companies = new TreeSet<>(use.keySet());
        fundingShares.forEach((c, share) -> {
            if (share > 0) {
                companies.add(c);
            }
        });
        List<String> order = new ArrayList<>(companies);
        long cost = tariffs.runningCost(groupId);
        long[] funding = new long[order.size()];
        long[] seconds = new long[order.size()];
        for (int i = 0; i < order.size(); i++) {
            funding[i] = fundingShares.getOrDefault(order.get(i), 0);
            seconds[i] = use.getOrDefault(order.get(i), new long[3])[1];
        }
        long totalSeconds = java.util.Arrays.stream(seconds).sum();
        long[] byFunding = split(cost, funding);
        long[] byUse = split(cost, seconds);
        List<CostSharing.CostShare> shares = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            long[] u = use.getOrDefault(order.get(i), new long[3]);
            int permille = totalSeconds == 0 ? 0 : (int) (seconds[i] * 1000 / totalSeconds);
            shares.add(new CostSharing.CostShare(order.get(i), (int) funding[i], (int) u[0], seconds[i], permille,
                    byFunding[i], byUse[i], byUse[i] - byFunding[i], u[2]));
        }
        return new CostSharing(month, groupId, cost, totalSeconds, shares);
    }

    /**
     * {@code total} split in proportion to {@code weights}, in whole fen, by largest remainder (ties to the earlier
     * entry), so the parts sum to {@code total} exactly; all zero when the weights are.
     */
    static long[] split(long total, long[] weights) {
        long[] parts = new long[weights.length];
        long sum = java.util.Arrays.stream(weights).sum();
        if (sum <= 0 || total <= 0) {
            return parts;
        }
        BigInteger t = BigInteger.valueOf(total);
        BigInteger s = BigInteger.valueOf(sum);
        BigInteger[] remainders = new BigInteger[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] qr = t.multiply(BigInteger.valueOf(weights[i])).divideAndRemainder(s);
            parts[i] = qr[0].longValueExact();
            remainders[i] = qr[1];
            given += parts[i];
        }
        List<Integer> byRemainder = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            byRemainder.add(i);
        }
        byRemainder.sort((a, b) -> remainders[b].compareTo(remainders[a]) != 0 ? remainders[b].compareTo(remainders[a])
                : Integer.compare(a, b));
        for (int k = 0; given < total; k++) {
            parts[byRemainder.get(k % weights.length)]++;
            given++;
        }
        return parts;
    }

    private LocalDate day(Instant t) {
        return t.atZone(tariffs.zone()).toLocalDate();
    }

    private static boolean within(LocalDate d, LocalDate from, LocalDate to) {
        return !d.isBefore(from) && !d.isAfter(to);
    }
}
