package org.lockergate.devices.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationLogTailerTest {

    @TempDir
    Path dir;

    private static String line(String parcelId, String code) {
        return "{\"parcelId\":\"" + parcelId + "\",\"groupId\":\"g1\",\"cabinetId\":\"c1\",\"compartment\":\"12\","
                + "\"code\":\"" + code + "\",\"phoneMasked\":\"138******34\",\"freeUntil\":\"2025-03-02T10:00:00+08:00\"}\n";
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void follows_lines_appended_to_a_file_that_appears_later() throws Exception {
        Path file = dir.resolve("logs/notifications.log");
        List<PickupNotice> heard = new CopyOnWriteArrayList<>();
        try (NotificationLogTailer tailer = new NotificationLogTailer(file, Duration.ofMillis(20)).start()) {
            tailer.addListener(heard::add);
            assertThat(tailer.await("p-1", Duration.ofMillis(100))).isEmpty();

            Files.createDirectories(file.getParent());
            append(file, line("p-1", "12345678"));
            Optional<PickupNotice> first = tailer.await("p-1", Duration.ofSeconds(5));

            assertThat(first).isPresent();
            assertThat(first.get()).isEqualTo(new PickupNotice("p-1", "g1", "c1", "12", "12345678", "138******34",
                    OffsetDateTime.parse("2025-03-02T10:00:00+08:00")));

            append(file, line("p-2", "87654321"));
            assertThat(tailer.await("p-2", Duration.ofSeconds(5)).map(PickupNotice::code)).contains("87654321");
            // listeners may run just after await() has seen the notice: wait for them, bounded
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (heard.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(heard).extracting(PickupNotice::parcelId).containsExactly("p-1", "p-2");
        }
    }

    @Test
    void reads_only_complete_lines_and_skips_what_is_not_a_notice() throws Exception {
        Path file = dir.resolve("notifications.log");
        NotificationLogTailer tailer = new NotificationLogTailer(file);
        String whole = line("p-3", "11112222");
        append(file, "not json\n{\"other\":1}\n" + whole.substring(0, 20));

        assertThat(tailer.poll()).isZero();

        append(file, whole.substring(20));
        assertThat(tailer.poll()).isEqualTo(1);
        assertThat(tailer.notices()).containsOnlyKeys("p-3");
    }

    @Test
    void a_resent_code_replaces_the_old_one_and_a_truncated_file_is_read_again() throws Exception {
        Path file = dir.resolve("notifications.log");
        NotificationLogTailer tailer = new NotificationLogTailer(file);
        append(file, line("p-4", "11111111") + line("p-4", "22222222"));
        tailer.poll();
        assertThat(tailer.await("p-4", Duration.ZERO).map(PickupNotice::code)).contains("22222222");

        Files.writeString(file, line("p-5", "33333333"), StandardCharsets.UTF_8);
        tailer.poll();

        assertThat(tailer.await("p-5", Duration.ZERO).map(PickupNotice::code)).contains("33333333");
    }
}
