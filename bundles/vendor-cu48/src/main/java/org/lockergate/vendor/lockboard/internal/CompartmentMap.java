package org.lockergate.vendor.lockboard.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lockergate.api.locker.CompartmentSpec;
import org.lockergate.api.model.SizeClass;

/**
 * Parses the channel-to-compartment map of a cabinet configuration. Each entry is
 * {@code board:channel=label[:size]} or a range {@code board:first-last=label[:size]}, where the label's trailing
 * number counts up with the channel keeping its width ({@code 1:1-16=A01:S} is A01…A16 on board 1, size S).
 * Without a size the default applies. Labels and board/channel pairs must be unique; boards must be configured.
 */
public final class CompartmentMap {

    private static final Pattern ENTRY = Pattern.compile(
            "\\s*(\\d+)\\s*:\\s*(\\d+)(?:\\s*-\\s*(\\d+))?\\s*=\\s*([^\\s:/?#&]{1,32})\\s*(?::\\s*([A-Za-z]))?\\s*");
    private static final Pattern NUMBERED = Pattern.compile("(.*?)(\\d+)");

    private CompartmentMap() {
    }

    /**
     * @param entries the configured entries
     * @param boards the configured boards
     * @param channels channels per board
     * @param defaultSize size of entries without one
     * @throws IllegalArgumentException naming the bad entry
     */
    public static List<CompartmentSpec> parse(String[] entries, List<Integer> boards, int channels,
            SizeClass defaultSize) {
        if (entries == null || entries.length == 0) {
            throw new IllegalArgumentException("compartments: at least one entry board:channel=label[:size]");
        }
        List<CompartmentSpec> out = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        Set<Long> places = new HashSet<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException("compartments: '" + entry
                        + "' is not board:channel=label[:size] or board:first-last=label[:size]");
            }
            int board = Integer.parseInt(m.group(1));
            int first = Integer.parseInt(m.group(2));
            int last = m.group(3) == null ? first : Integer.parseInt(m.group(3));
            String label = m.group(4);
            SizeClass size = m.group(5) == null ? defaultSize : SizeClass.parse(m.group(5));
            if (!boards.contains(board)) {
                throw new IllegalArgumentException("compartments: '" + entry + "' names board " + board
                        + ", not one of " + boards);
            }
            if (first < 1 || last > channels || last < first) {
                throw new IllegalArgumentException("compartments: '" + entry + "' channels must be 1-" + channels);
            }
            Matcher numbered = NUMBERED.matcher(label);
            if (last > first && !numbered.matches()) {
                throw new IllegalArgumentException("compartments: '" + entry
                        + "' a range needs a label ending in a number");
            }
            for (int channel = first; channel <= last; channel++) {
                String name = label;
                if (last > first) {
                    String digits = numbered.group(2);
                    long number = Long.parseLong(digits) + (channel - first);
                    name = numbered.group(1) + String.format("%0" + digits.length() + "d", number);
                }
                if (!labels.add(name)) {
                    throw new IllegalArgumentException("compartments: label " + name + " appears twice");
                }
                if (!places.add(((long) board << 32) | channel)) {
                    throw new IllegalArgumentException("compartments: board " + board + " channel " + channel
                            + " appears twice");
                }
                out.add(new CompartmentSpec(name, size, board, channel));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("compartments: at least one entry board:channel=label[:size]");
        }
        return out;
    }
}
