package org.lockergate.rules.internal.holiday;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.lockergate.rules.internal.ConfigException;

/**
 * Published State Council holiday arrangements (国务院办公厅关于 YYYY 年部分节假日安排的通知), as data. Text format, one entry a
 * line ({@code #} starts a comment):
 * <pre>
 * source 2025 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）https://www.gov.cn/…
 * 2025-01-28..2025-02-04 off 春节 | Spring Festival
 * 2025-01-26 work 春节调休上班 | Spring Festival make-up workday
 * </pre>
 * A {@code source} line declares the notice of a year (it is required: data without a cited source is refused);
 * the lines after it belong to that notice. A year given again (e.g. in the operator's file) replaces that whole
 * year of the data before it.
 */
public final class Arrangements {

    /** The data shipped with the bundle (2025 and 2026, each cited). */
    public static final String BUILT_IN = "arrangements.txt";

    public static final Arrangements NONE = new Arrangements(Map.of());

    /** Per notice year: its source and its days. */
    public record Notice(int year, String source, List<Holiday> days) {
    }

    private final Map<Integer, Notice> notices;

    private Arrangements(Map<Integer, Notice> notices) {
        this.notices = Collections.unmodifiableMap(new TreeMap<>(notices));
    }

    public Map<Integer, Notice> notices() {
        return notices;
    }

    /** Notices of {@code other} replace this one's for the same years. */
    public Arrangements with(Arrangements other) {
        Map<Integer, Notice> merged = new TreeMap<>(notices);
        merged.putAll(other.notices);
        return new Arrangements(merged);
    }

    /** Every day of every notice that falls on {@code date} (normally none or one). */
    public List<Holiday> on(LocalDate date) {
        List<Holiday> out = new ArrayList<>();
        for (Notice n : notices.values()) {
            for (Holiday h : n.days()) {
                if (h.date().equals(date)) {
                    out.add(h);
                }
            }
        }
        return out;
    }

    /** Days off of all notices. */
    public Set<LocalDate> offDays() {
        return notices.values().stream().flatMap(n -> n.days().stream()).filter(Holiday::off).map(Holiday::date)
                .collect(Collectors.toUnmodifiableSet());
    }

    public static Arrangements builtIn() {
        try (InputStream in = Arrangements.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BUILT_IN);
            }
            return parse("builtIn", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + BUILT_IN, e);
        }
    }

    public static Arrangements parse(String field, InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                text.append(line).append('\n');
            }
        }
        return parse(field, text.toString());
    }

    /** Parses the text; a malformed line is refused with its number. */
    public static Arrangements parse(String field, String text) {
        Map<Integer, String> sources = new TreeMap<>();
        Map<Integer, List<Holiday>> days = new TreeMap<>();
        Integer current = null;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = "第 " + (i + 1) + " 行";
            String whereEn = "line " + (i + 1);
            String[] parts = line.split("\\s+", 3);
            if (parts[0].equals("source")) {
                if (parts.length < 3) {
                    throw new ConfigException(field, where + "：source 需要年份和出处", whereEn
                            + ": source needs a year and the citation");
                }
                try {
                    current = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    throw new ConfigException(field, where + "：年份 “" + parts[1] + "” 无效", whereEn + ": bad year '"
                            + parts[1] + "'");
                }
                if (sources.put(current, parts[2]) != null) {
                    throw new ConfigException(field, where + "：" + current + " 年的通知重复", whereEn + ": notice of "
                            + current + " given twice");
                }
                days.put(current, new ArrayList<>());
                continue;
            }
            if (current == null) {
                throw new ConfigException(field, where + "：日期之前缺少 source 行（必须注明出处）", whereEn
                        + ": dates before any 'source' line (every arrangement must cite its notice)");
            }
            if (parts.length < 2 || !(parts[1].equals("off") || parts[1].equals("work"))) {
                throw new ConfigException(field, where + "：应为 “日期[..日期] off|work 名称”", whereEn
                        + ": expected 'date[..date] off|work name'");
            }
            LocalDate from;
            LocalDate to;
            try {
                int dots = parts[0].indexOf("..");
                from = LocalDate.parse(dots < 0 ? parts[0] : parts[0].substring(0, dots));
                to = dots < 0 ? from : LocalDate.parse(parts[0].substring(dots + 2));
            } catch (DateTimeParseException e) {
                throw new ConfigException(field, where + "：日期 “" + parts[0] + "” 无效（应为 2025-01-28 或 "
                        + "2025-01-28..2025-02-04）", whereEn + ": bad date '" + parts[0] + "'");
            }
            if (to.isBefore(from) || from.plusDays(31).isBefore(to)) {
                throw new ConfigException(field, where + "：日期区间 “" + parts[0] + "” 无效", whereEn
                        + ": bad date range '" + parts[0] + "'");
            }
            if (Math.abs(from.getYear() - current) > 1) {
                throw new ConfigException(field, where + "：日期不属于 " + current + " 年的通知", whereEn
                        + ": date outside the notice of " + current);
            }
            String name = parts.length > 2 ? parts[2] : (parts[1].equals("off") ? "放假 | Day off" : "上班 | Workday");
            int bar = name.indexOf('|');
            String zh = (bar < 0 ? name : name.substring(0, bar)).strip();
            String en = (bar < 0 ? name : name.substring(bar + 1)).strip();
            Holiday.Kind kind = parts[1].equals("off") ? Holiday.Kind.ARRANGED_OFF : Holiday.Kind.ARRANGED_WORK;
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                days.get(current).add(new Holiday(d, zh, en, kind));
            }
        }
        Map<Integer, Notice> notices = new TreeMap<>();
        for (Map.Entry<Integer, String> e : sources.entrySet()) {
            List<Holiday> list = days.get(e.getKey());
            list.sort((a, b) -> a.date().compareTo(b.date()));
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).date().equals(list.get(i - 1).date())) {
                    throw new ConfigException(field, e.getKey() + " 年的通知中 " + list.get(i).date() + " 出现两次",
                            "the notice of " + e.getKey() + " lists " + list.get(i).date() + " twice");
                }
            }
            notices.put(e.getKey(), new Notice(e.getKey(), e.getValue(), List.copyOf(list)));
        }
        return new Arrangements(notices);
    }
}
