package org.lockergate.rules.internal.capacity;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.report.GroupCapacity;
import org.lockergate.api.report.GroupCapacity.HourLine;
import org.lockergate.api.report.GroupCapacity.Move;
import org.lockergate.api.report.GroupCapacity.Overflow;
import org.lockergate.api.report.GroupCapacity.SizeLine;
import org.lockergate.api.report.TurnedAway;

/**
 * The capacity report (docs/rules.md, "Capacity planning"). Per group and size, over the hours of the range:
 * <ul>
 * <li>occupied(h): compartment time of the parcels in compartments of the size (reserved until they left, or now),
 * and peak(h), the most compartments occupied at once in hour h;</li>
 * <li>waiting(h): deposits turned away because the group was full, each counted as if it had occupied a compartment
 * for the size's mean dwell time from the moment it was turned away; need(h) = peak(h) + waiting(h);</li>
 * <li>with k compartments more, the full events estimated in hour h are min(turnedAway(h), max(0, need(h) − (C + k)))
 * — with k = 0 that is what happened; the recommendation is the smallest k whose estimated full events are at most
 * the target share of the attempts (deposits + turned away);</li>
 * <li>spare = C − max need(h): compartments never needed, even at the busiest hour; across groups the recommended
 * extra compartments come first from other groups' spare ones of the size (largest spare first), the rest is to be
 * added.</li>
 * </ul>
 * Pure: everything it needs is passed in.
 */
public final class CapacityPlanner {

    private static final long HOUR = 3600;

    private final ZoneId zone;
    private final int targetPermille;
    private final Duration defaultDwell;

    public CapacityPlanner(ZoneId zone, int targetPermille, Duration defaultDwell) {
        this.zone = zone;
        this.targetPermille = targetPermille;
        this.defaultDwell = defaultDwell;
    }

    /** One group's raw figures per size, before moves are planned across groups. */
    private record SizeFigures(SizeClass size, int compartments, int deposits, int full, int quota, long seconds,
            long[] hourSeconds, int[] peak, int[] turnedAway, int[] need, int extra, int spare) {
    }

    /**
     * @param groups every group to report on (ids)
     * @param compartments every compartment of those groups
     * @param parcels the parcels whose stay overlaps the range
     * @param turnedAway the turned-away deposits of the range
     * @param now the clock's now (parcels still in a compartment count until then)
     */
    public List<GroupCapacity> plan(LocalDate from, LocalDate to, List<String> groups, List<Compartment> compartments,
            List<Parcel> parcels, List<TurnedAway> turnedAway, Instant now) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        int hours = (int) Math.max(0, Duration.between(start, end).toSeconds() / HOUR);
        Map<String, SizeClass> sizeOf = new HashMap<>();
        Map<String, Map<SizeClass, Integer>> count = new HashMap<>();
        for (Compartment c : compartments) {
            sizeOf.put(c.groupId() + "\u0000" + c.label(), c.size());
            count.computeIfAbsent(c.groupId(), g -> new EnumMap<>(SizeClass.class)).merge(c.size(), 1, Integer::sum);
        }
        Map<String, Map<SizeClass, SizeFigures>> figures = new TreeMap<>();
        for (String g : new TreeSet<>(groups)) {
            Map<SizeClass, SizeFigures> bySize = new EnumMap<>(SizeClass.class);
            for (SizeClass size : SizeClass.values()) {
                List<Parcel> mine = parcels.stream().filter(p -> g.equals(p.groupId()))
                        .filter(p -> size == sizeOf.getOrDefault(g + "\u0000" + p.compartment(), p.size())).toList();
                List<TurnedAway> away = turnedAway.stream().filter(t -> g.equals(t.groupId()) && t.size() == size)
                        .toList();
                int c = count.getOrDefault(g, Map.of()).getOrDefault(size, 0);
                bySize.put(size, figures(size, c, mine, away, start, end, hours, now));
            }
            figures.put(g, bySize);
        }
        Map<String, Map<SizeClass, List<Move>>> moves = planMoves(figures);
        List<GroupCapacity> out = new ArrayList<>();
        for (Map.Entry<String, Map<SizeClass, SizeFigures>> e : figures.entrySet()) {
            String g = e.getKey();
            List<SizeLine> sizes = new ArrayList<>();
            List<HourLine> profile = new ArrayList<>();
            for (SizeFigures f : e.getValue().values()) {
                List<Move> in = moves.getOrDefault(g, Map.of()).getOrDefault(f.size(), List.of());
                int moveIn = in.stream().mapToInt(Move::count).sum();
                int attempts = f.deposits() + f.full();
                int maxNeed = 0;
                for (int n : f.need()) {
                    maxNeed = Math.max(maxNeed, n);
                }
                sizes.add(new SizeLine(f.size(), f.compartments(), f.deposits(), f.full(), f.quota(),
                        attempts == 0 ? 0 : (int) ((long) f.full() * 1000 / attempts), maxNeed, f.seconds(), f.extra(),
                        moveIn, f.extra() - moveIn, f.spare(), in));
                profile.addAll(profile(f, start, hours));
            }
            profile.sort(Comparator.comparingInt(HourLine::hour).thenComparing(HourLine::size));
            out.add(new GroupCapacity(g, from, to, targetPermille, sizes, profile, overflow(g, turnedAway)));
        }
        return out;
    }

    private SizeFigures figures(SizeClass size, int compartments, List<Parcel> parcels, List<TurnedAway> away,
            Instant start, Instant end, int hours, Instant now) {
        long[] seconds = new long[hours];
        List<long[]> events = new ArrayList<>(); // {epoch second, +1 | -1}
        int deposits = 0;
        long dwellSum = 0;
        int dwellCount = 0;
        Instant until = now.isBefore(end) ? now : end;
        for (Parcel p : parcels) {
            Instant in = p.reservedAt() != null ? p.reservedAt() : p.depositedAt();
            if (in == null) {
                continue;
            }
            if (!in.isBefore(start) && in.isBefore(end)) {
                deposits++;
            }
            Instant out = p.closedAt() != null ? p.closedAt() : now;
            if (p.closedAt() != null && p.depositedAt() != null) {
                dwellSum += Duration.between(p.depositedAt(), p.closedAt()).toSeconds();
                dwellCount++;
            }
            addInterval(seconds, events, in, out, start, until);
        }
        long dwell = dwellCount == 0 ? defaultDwell.toSeconds() : Math.max(HOUR, dwellSum / dwellCount);
        int[] peak = peaks(events, start, hours);
        int[] turned = new int[hours];
        long[] waitingSeconds = new long[hours];
        List<long[]> waitingEvents = new ArrayList<>();
        int full = 0;
        int quota = 0;
        for (TurnedAway t : away) {
            if (!t.full()) {
                quota++;
                continue;
            }
            full++;
            int h = (int) (Duration.between(start, t.at()).toSeconds() / HOUR);
            if (h >= 0 && h < hours) {
                turned[h]++;
            }
            addInterval(waitingSeconds, waitingEvents, t.at(), t.at().plusSeconds(dwell), start, end);
        }
        int[] waiting = peaks(waitingEvents, start, hours);
        int[] need = new int[hours];
        long total = 0;
        for (int h = 0; h < hours; h++) {
            need[h] = peak[h] + waiting[h];
            total += seconds[h];
        }
        int attempts = deposits + full;
        int extra = 0;
        while (estimatedFull(need, turned, compartments + extra) * 1000 > (long) targetPermille * attempts) {
            extra++;
        }
        int maxNeed = 0;
        for (int n : need) {
            maxNeed = Math.max(maxNeed, n);
        }
        int spare = full > 0 ? 0 : Math.max(0, compartments - maxNeed);
        return new SizeFigures(size, compartments, deposits, full, quota, total, seconds, peak, turned, need, extra,
                spare);
    }

    /** Full events estimated with {@code capacity} compartments (k = 0: the ones that happened). */
    static long estimatedFull(int[] need, int[] turnedAway, int capacity) {
        long sum = 0;
        for (int h = 0; h < need.length; h++) {
            sum += Math.min(turnedAway[h], Math.max(0, need[h] - capacity));
        }
        return sum;
    }

    /** Adds [in, out) clipped to [start, until) to the seconds per hour and the +1/−1 events for the peaks. */
    private static void addInterval(long[] seconds, List<long[]> events, Instant in, Instant out, Instant start,
            Instant until) {
        long a = Math.max(in.getEpochSecond(), start.getEpochSecond());
        long b = Math.min(out.getEpochSecond(), until.getEpochSecond());
        if (b <= a) {
            return;
        }
        events.add(new long[] {a, 1});
        events.add(new long[] {b, -1});
        long s0 = start.getEpochSecond();
        for (long h = (a - s0) / HOUR; h < seconds.length && s0 + h * HOUR < b; h++) {
            long hs = s0 + h * HOUR;
            seconds[(int) h] += Math.min(b, hs + HOUR) - Math.max(a, hs);
        }
    }

    /** The most intervals open at once in each hour (a stay that ends as another begins counts once). */
    private static int[] peaks(List<long[]> events, Instant start, int hours) {
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int[] peak = new int[hours];
        int current = 0;
        int i = 0;
        long s0 = start.getEpochSecond();
        for (int h = 0; h < hours; h++) {
            long hs = s0 + h * HOUR;
            while (i < events.size() && events.get(i)[0] <= hs) {
                current += (int) events.get(i++)[1];
            }
            int max = current;
            while (i < events.size() && events.get(i)[0] < hs + HOUR) {
                current += (int) events.get(i++)[1];
                max = Math.max(max, current);
            }
            peak[h] = max;
        }
        return peak;
    }

    private List<HourLine> profile(SizeFigures f, Instant start, int hours) {
        long[] seconds = new long[24];
        int[] samples = new int[24];
        int[] peak = new int[24];
        int[] turned = new int[24];
        for (int h = 0; h < hours; h++) {
            int local = start.plusSeconds(h * HOUR).atZone(zone).getHour();
            seconds[local] += f.hourSeconds()[h];
            samples[local]++;
            peak[local] = Math.max(peak[local], f.peak()[h]);
            turned[local] += f.turnedAway()[h];
        }
        List<HourLine> out = new ArrayList<>(24);
        for (int hour = 0; hour < 24; hour++) {
            int average = samples[hour] == 0 ? 0 : (int) (seconds[hour] * 1000 / (samples[hour] * HOUR));
            out.add(new HourLine(hour, f.size(), seconds[hour], average, peak[hour], turned[hour]));
        }
        return out;
    }

    /** Greedy per size: the groups that need the most take from the groups with the most spare compartments. */
    private static Map<String, Map<SizeClass, List<Move>>> planMoves(Map<String, Map<SizeClass, SizeFigures>> all) {
        Map<String, Map<SizeClass, List<Move>>> out = new HashMap<>();
        for (SizeClass size : SizeClass.values()) {
            Map<String, Integer> spare = new LinkedHashMap<>();
            all.entrySet().stream().filter(e -> e.getValue().get(size).spare() > 0)
                    .sorted(Comparator.<Map.Entry<String, Map<SizeClass, SizeFigures>>>comparingInt(
                            e -> -e.getValue().get(size).spare()).thenComparing(Map.Entry::getKey))
                    .forEach(e -> spare.put(e.getKey(), e.getValue().get(size).spare()));
            List<Map.Entry<String, Map<SizeClass, SizeFigures>>> needy = all.entrySet().stream()
                    .filter(e -> e.getValue().get(size).extra() > 0)
                    .sorted(Comparator.<Map.Entry<String, Map<SizeClass, SizeFigures>>>comparingInt(
                            e -> -e.getValue().get(size).extra()).thenComparing(Map.Entry::getKey))
                    .toList();
            for (Map.Entry<String, Map<SizeClass, SizeFigures>> e : needy) {
                int wanted = e.getValue().get(size).extra();
                List<Move> moves = new ArrayList<>();
                for (Map.Entry<String, Integer> donor : spare.entrySet()) {
                    if (wanted == 0) {
                        break;
                    }
                    int take = Math.min(wanted, donor.getValue());
                    if (take > 0) {
                        moves.add(new Move(donor.getKey(), take));
                        donor.setValue(donor.getValue() - take);
                        wanted -= take;
                    }
                }
                if (!moves.isEmpty()) {
                    out.computeIfAbsent(e.getKey(), g -> new EnumMap<>(SizeClass.class)).put(size, moves);
                }
            }
        }
        return out;
    }

    private static List<Overflow> overflow(String groupId, List<TurnedAway> turnedAway) {
        Map<String, int[]> by = new TreeMap<>();
        for (TurnedAway t : turnedAway) {
            if (!groupId.equals(t.groupId())) {
                continue;
            }
            String to = t.suggestedGroupId() != null ? t.suggestedGroupId() : t.suggestedStation() ? "station"
                    : "none";
            by.computeIfAbsent(to, k -> new int[2])[t.full() ? 0 : 1]++;
        }
        List<Overflow> out = new ArrayList<>();
        by.forEach((to, n) -> out.add(new Overflow(to, n[0], n[1])));
        return out;
    }
}
