package org.lockergate.rules.internal.alloc;

import java.util.ArrayList;
import java.util.List;
import org.lockergate.api.model.Compartment;
import org.lockergate.rules.internal.ConfigException;

/**
 * Which compartments count as "low" (easy to reach: for residents who ask for it). Cabinets differ in how they
 * number channels, so it is configuration: entries {@code from-to} (channels on any board), {@code board:from-to}
 * (channels on one board) or {@code cabinet/board:from-to}; a single channel may stand for a range.
 */
final class LowPositions {

    record Range(String cabinetId, int board, int from, int to) {
        boolean contains(Compartment c) {
            return (cabinetId == null || cabinetId.equals(c.cabinetId())) && (board == 0 || board == c.board())
                    && c.channel() >= from && c.channel() <= to;
        }
    }

    static final LowPositions NONE = new LowPositions(List.of());

    private final List<Range> ranges;

    private LowPositions(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    boolean contains(Compartment c) {
        for (Range r : ranges) {
            if (r.contains(c)) {
                return true;
            }
        }
        return false;
    }

    static LowPositions parse(String field, String[] entries) {
        List<Range> out = new ArrayList<>();
        if (entries == null) {
            return NONE;
        }
        for (String raw : entries) {
            if (raw == null || raw.isBlank()) {
                continue;
            }
            String s = raw.trim();
            try {
                String cabinet = null;
                int slash = s.indexOf('/');
                if (slash >= 0) {
                    cabinet = s.substring(0, slash).trim();
                    s = s.substring(slash + 1);
                }
                int board = 0;
                int colon = s.indexOf(':');
                if (colon >= 0) {
                    board = Integer.parseInt(s.substring(0, colon).trim());
                    s = s.substring(colon + 1);
                }
                int dash = s.indexOf('-');
                int from = Integer.parseInt((dash < 0 ? s : s.substring(0, dash)).trim());
                int to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1).trim());
                if (from < 1 || to < from || board < 0 || (cabinet != null && cabinet.isEmpty())) {
                    throw new NumberFormatException();
                }
                out.add(new Range(cabinet, board, from, to));
            } catch (NumberFormatException e) {
                throw new ConfigException(field, "“" + raw + "” 应为 1-4、2:1-4 或 c1/2:1-4（通道从 1 起）", "'" + raw
                        + "' must look like 1-4, 2:1-4 or c1/2:1-4 (channels from 1)");
            }
        }
        return new LowPositions(out);
    }
}
