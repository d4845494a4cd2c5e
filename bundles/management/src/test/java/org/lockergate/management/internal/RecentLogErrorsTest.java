package org.lockergate.management.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecentLogErrorsTest {

    @TempDir
    Path dir;

    @Test
    void keeps_the_latest_errors_and_warnings_oldest_first() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            lines.add("2026-11-29 02:33:39.123 INFO  [main] [org.x] filler line " + i);
        }
        lines.add("2026-11-29 02:34:00.001 WARN  [coap] [org.lockergate.kiosk] slow answer");
        lines.add("    at a stack trace line that is not a log line");
        lines.add("2026-11-29 02:34:01.002 ERROR [mqtt] [org.lockergate.upstream] 连接失败 / connection refused");
        lines.add("2026-11-29 02:34:02.003 INFO  [main] [org.x] fine again");
        Path log = dir.resolve("lockergate.log");
        Files.write(log, lines);

        List<String> latest = new RecentLogErrors(log).latest(20);

        assertThat(latest).hasSize(2);
        assertThat(latest.get(0)).contains("WARN").contains("slow answer");
        assertThat(latest.get(1)).contains("ERROR").contains("connection refused");
        assertThat(new RecentLogErrors(log).latest(1)).singleElement().asString().contains("connection refused");
    }

    @Test
    void no_log_file_means_no_errors() {
        assertThat(new RecentLogErrors(dir.resolve("missing.log")).latest(20)).isEmpty();
        assertThat(new RecentLogErrors(null).latest(20)).isEmpty();
    }
}
