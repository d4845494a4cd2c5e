package org.lockergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of "acknowledged = on disk" against a process crash: a separate JVM writes through the store and prints
 * each acknowledged id; it is killed with SIGKILL (kill -9) in the middle; every printed id must be in the reopened
 * database. (Power loss is covered by the fsync in the group commit, which a test in one machine cannot cut.)
 */
class CrashDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
        Path log = dir.resolve("child.log");
        Process child = start(log, "write", dir.resolve("data").toString(), "8");
        Set<String> acknowledged = new HashSet<>();
        List<String> errors = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean killed = false;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACK ") && line.endsWith(";")) {
                    acknowledged.add(line.substring(4, line.length() - 1));
                } else if (!line.isBlank()) {
                    errors.add(line);
                }
                if (!killed && acknowledged.size() >= 1500) {
                    // kill -9 from outside (Process.destroyForcibly would also close our end of the pipe, and the
                    // lines already written by the child must still be read: each is an acknowledged write)
                    new ProcessBuilder("kill", "-9", Long.toString(child.pid())).inheritIO().start().waitFor();
                    killed = true;
                }
                if (!errors.isEmpty()) {
                    child.destroyForcibly();
                    break;
                }
            }
            // lines printed before the kill and still in the pipe were read above: they count as acknowledged too
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(errors).as("child output, see " + log + ": " + readLog(log)).isEmpty();
        assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(1500);

        Set<String> stored = new HashSet<>();
        long events;
        long maxSeq;
        H2Store reopened = Stores.open(dir.resolve("data"));
        reopened.close();
        try (Connection c = Stores.jdbc(dir.resolve("data")); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT target FROM audit_log WHERE action = 'crash.write'")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            events = Stores.count(c, "SELECT COUNT(*) FROM outbox WHERE stream = 'EVENTS'");
            maxSeq = Stores.count(c, "SELECT MAX(seq) FROM outbox WHERE stream = 'EVENTS'");
            assertThat(Stores.count(c, "SELECT last_seq FROM outbox_stream WHERE stream = 'EVENTS'")).isEqualTo(maxSeq);
        }
        System.out.printf("kill -9: %d acknowledged, %d in the database after restart%n", acknowledged.size(),
                stored.size());
        assertThat(stored).containsAll(acknowledged);
        assertThat(events).isEqualTo(stored.size()).isEqualTo(maxSeq); // seqs 1..n without gaps
    }

    @Test
    void aDatabaseLockedByAnotherProcessGivesThePreciseError() throws Exception {
        Path data = dir.resolve("data");
        Process holder = start(dir.resolve("holder.log"), "hold", data.toString());
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("READY");
            H2Store second = H2Store.standalone(StoreSettings.defaults(data), java.time.Clock.systemUTC());
            assertThat(second.start()).isFalse();
            assertThat(second.failure())
                    .contains(data.resolve("db/lockergate.mv.db").toString())
                    .contains("locked by another process");
            assertThat(StoreHealth.check(second).status()).hasToString("DOWN");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Process start(Path log, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, CrashWriter.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private static String readLog(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
