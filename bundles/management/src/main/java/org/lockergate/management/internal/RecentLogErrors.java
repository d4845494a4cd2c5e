package org.lockergate.management.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The latest ERROR and WARN lines of the gateway's log file, for the inventory ("recent errors").
 *
 * <p>Read from the file rather than collected in memory: pax-logging does not feed OSGi log listeners, and the file
 * also holds what happened before the management bundle started (or before its last restart). Only the tail is
 * read, so a 16 MB log costs one small read.
 */
final class RecentLogErrors {

    /** The pattern of conf/config/org.ops4j.pax.logging.cfg: {@code 2026-11-29 02:33:39.123 ERROR [thread] ...}. */
    private static final Pattern PROBLEM = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (ERROR|WARN)\\b.*");

    private static final int TAIL_BYTES = 256 * 1024;
    private static final int MAX_LINE = 400;

    private final Path logFile;

    RecentLogErrors(Path logFile) {
        this.logFile = logFile;
    }

    /** Up to {@code max} problem lines, oldest first; empty when there is no log file. */
    List<String> latest(int max) {
        if (logFile == null || !Files.isRegularFile(logFile)) {
            return List.of();
        }
        String tail;
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long start = Math.max(0, length - TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - start)];
            file.seek(start);
            file.readFully(bytes);
            tail = new String(bytes, StandardCharsets.UTF_8);
            if (start > 0) {
                // the first line is probably cut: drop it
                int nl = tail.indexOf('\n');
                tail = nl < 0 ? "" : tail.substring(nl + 1);
            }
        } catch (IOException e) {
            return List.of("(cannot read " + logFile + ": " + e.getMessage() + ")");
        }
        Deque<String> lines = new ArrayDeque<>();
        for (String line : tail.split("\n")) {
            if (PROBLEM.matcher(line).matches()) {
                lines.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line.stripTrailing());
                if (lines.size() > max) {
                    lines.removeFirst();
                }
            }
        }
        return List.copyOf(lines);
    }
}
