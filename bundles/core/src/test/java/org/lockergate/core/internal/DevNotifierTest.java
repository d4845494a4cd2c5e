package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.spi.PickupNotification;
import org.lockergate.core.internal.events.Json;
import org.lockergate.core.internal.notify.DevNotifier;

class DevNotifierTest {

    @TempDir
    Path dir;

    @Test
    void writes_one_json_object_per_line_with_exactly_the_documented_fields() throws Exception {
        Path file = dir.resolve("logs").resolve("notifications.log");
        DevNotifier notifier = new DevNotifier(file, ZoneId.of("Asia/Shanghai"));

        notifier.notify(new PickupNotification("P1", "g1", "c1", "12", "12345678", "13800001234", "138******34",
                "幸福里", "幸福路 1 号", Instant.parse("2025-05-02T01:00:00Z"), "rule"));
        notifier.notify(new PickupNotification("P2", "g1", "c1", "13", "87654321", "13800005678", "138******78",
                "幸福里", "幸福路 1 号", Instant.parse("2025-05-02T01:00:00Z"), "rule"));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        Map<String, Object> first = Json.read(lines.get(0));
        assertThat(first).containsOnlyKeys("parcelId", "groupId", "cabinetId", "compartment", "code", "phoneMasked",
                "freeUntil");
        assertThat(first).containsEntry("code", "12345678").containsEntry("phoneMasked", "138******34")
                .containsEntry("freeUntil", "2025-05-02T09:00+08:00");
        assertThat(lines.get(0)).doesNotContain("13800001234");
    }
}
