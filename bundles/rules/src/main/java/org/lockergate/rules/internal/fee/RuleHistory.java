package org.lockergate.rules.internal.fee;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fee rules in force over time: a changed rule applies to parcels deposited after the change, and a parcel keeps
 * the rule it was deposited under. Kept in a small text file in the bundle's data area (one line per rule, oldest
 * first), so it survives restarts and bundle updates; without a file it is kept in memory only. Thread-safe.
 */
public final class RuleHistory {

    private static final Logger LOG = LoggerFactory.getLogger(RuleHistory.class);
    /** Rules older than this many entries are dropped (parcels never stay that long). */
    static final int MAX_ENTRIES = 200;

    public record Entry(Instant from, FeeRule rule) {
    }

    private final Path file;
    private volatile List<Entry> entries;

    /** @param file where to persist, or null for memory only */
    public RuleHistory(Path file) {
        this.file = file;
        this.entries = load(file);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The rule for a parcel deposited at {@code depositedAt}: the latest rule from at or before it, else the oldest. */
    public FeeRule at(Instant depositedAt) {
        List<Entry> list = entries;
        if (list.isEmpty()) {
            return FeeRule.DEFAULT;
        }
        FeeRule rule = list.get(0).rule();
        for (Entry e : list) {
            if (e.from().isAfter(depositedAt)) {
                break;
            }
            rule = e.rule();
        }
        return rule;
    }

    /** The rule for new deposits. */
    public FeeRule current() {
        List<Entry> list = entries;
        return list.isEmpty() ? FeeRule.DEFAULT : list.get(list.size() - 1).rule();
    }

    /** Puts {@code rule} in force from {@code now}; nothing happens when it is the current rule already. */
    public synchronized boolean enact(FeeRule rule, Instant now) {
        List<Entry> list = new ArrayList<>(entries);
        if (!list.isEmpty() && list.get(list.size() - 1).rule().equals(rule)) {
            return false;
        }
        if (!list.isEmpty() && list.get(list.size() - 1).from().isAfter(now)) {
            now = list.get(list.size() - 1).from(); // a clock set back never reorders the history
        }
        list.add(new Entry(now, rule));
        while (list.size() > MAX_ENTRIES) {
            list.remove(0);
        }
        entries = List.copyOf(list);
        save();
        return true;
    }

    private void save() {
        if (file == null) {
            return;
        }
        StringBuilder out = new StringBuilder("# from;freeSeconds;periodSeconds;rateFen;capFen;holidaysNotCounted;plans\n");
        for (Entry e : entries) {
            FeeRule r = e.rule();
            StringBuilder plans = new StringBuilder();
            r.planFreeDays().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(p -> plans
                    .append(plans.length() == 0 ? "" : ",").append(p.getKey()).append('=').append(p.getValue()));
            out.append(e.from()).append(';').append(r.free().toSeconds()).append(';').append(r.period().toSeconds())
                    .append(';').append(r.rateFen()).append(';').append(r.capFen()).append(';')
                    .append(r.holidaysNotCounted()).append(';').append(plans).append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, out, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error("无法保存收费规则历史 {} / Cannot save the fee rule history {}: {}", file, file, e.toString());
        }
    }

    private static List<Entry> load(Path file) {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        List<Entry> list = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(";", -1);
                Map<String, Integer> plans = new LinkedHashMap<>();
                for (String p : f[6].split(",")) {
                    if (!p.isBlank()) {
                        String[] kv = p.split("=");
                        plans.put(kv[0], Integer.parseInt(kv[1]));
                    }
                }
                list.add(new Entry(Instant.parse(f[0]), new FeeRule(Duration.ofSeconds(Long.parseLong(f[1])),
                        Duration.ofSeconds(Long.parseLong(f[2])), Long.parseLong(f[3]), Long.parseLong(f[4]),
                        Boolean.parseBoolean(f[5]), plans)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("收费规则历史 {} 无法读取，从当前配置重新开始 / Fee rule history {} unreadable, starting from the current "
                    + "configuration: {}", file, file, e.toString());
            return List.of();
        }
        return List.copyOf(list);
    }
}
