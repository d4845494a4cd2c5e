package org.lockergate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --restore}: checks every hash before it changes anything, keeps the old folder, refuses unsafe paths. */
class RestoreTest {

    @TempDir
    Path dir;

    private Path backup(Map<String, String> files, Map<String, String> manifestHashes) throws Exception {
        StringBuilder manifest = new StringBuilder("{\n  \"format\" : 1,\n  \"gatewayVersion\" : \"0.1.0\",\n"
                + "  \"gatewayId\" : \"lg-yiyuan-07\",\n  \"createdAt\" : \"2026-11-29T00:00:00Z\",\n  \"files\" : {");
        String sep = "\n";
        for (Map.Entry<String, String> e : manifestHashes.entrySet()) {
            manifest.append(sep).append("    \"").append(e.getKey()).append("\" : \"").append(e.getValue()).append('"');
            sep = ",\n";
        }
        manifest.append("\n  }\n}\n");
        Path zip = dir.resolve("backup.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("backup.json"));
            z.write(manifest.toString().getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return zip;
    }

    private static String sha(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("db/lockergate.mv.db", "database bytes");
        files.put("secrets/pickup-code.key", "hmac key");
        files.put("gateway-id", "lg-yiyuan-07");
        return files;
    }

    private Map<String, String> hashes(Map<String, String> files) throws Exception {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            hashes.put(e.getKey(), sha(e.getValue()));
        }
        return hashes;
    }

    @Test
    void aGoodBackupReplacesTheDataFolderAndKeepsTheOldOneBeside() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("gateway-id"), "old-box");
        Map<String, String> files = files();
        assertThat(Restore.run(data, backup(files, hashes(files)))).isZero();
        assertThat(Files.readString(data.resolve("secrets/pickup-code.key"))).isEqualTo("hmac key");
        assertThat(Files.readString(data.resolve("gateway-id"))).isEqualTo("lg-yiyuan-07");
        assertThat(Files.getPosixFilePermissions(data.resolve("secrets/pickup-code.key")))
                .hasSize(2); // owner read + write
        try (var siblings = Files.list(dir)) {
            Path kept = siblings.filter(p -> p.getFileName().toString().startsWith("data.before-restore-"))
                    .findFirst().orElseThrow();
            assertThat(Files.readString(kept.resolve("gateway-id"))).isEqualTo("old-box");
        }
    }

    @Test
    void aChangedFileIsRefusedAndNothingIsTouched() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("gateway-id"), "old-box");
        Map<String, String> files = files();
        Map<String, String> hashes = hashes(files);
        files.put("secrets/pickup-code.key", "a key someone swapped");
        assertThat(Restore.run(data, backup(files, hashes))).isEqualTo(2);
        assertThat(Files.readString(data.resolve("gateway-id"))).isEqualTo("old-box");
        try (var siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("data.before"));
        }
    }

    @Test
    void aPathOutsideTheDataFolderIsRefused() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Map<String, String> files = Map.of("../evil.sh", "rm -rf /");
        assertThat(Restore.run(data, backup(files, hashes(files)))).isEqualTo(2);
        assertThat(dir.resolve("evil.sh")).doesNotExist();
    }

    @Test
    void aFileThatIsNotABackupIsRefused() throws IOException {
        Path notABackup = Files.writeString(dir.resolve("x.zip"), "hello");
        assertThat(Restore.run(dir.resolve("data"), notABackup)).isNotZero();
        assertThat(Restore.run(dir.resolve("data"), dir.resolve("missing.zip"))).isEqualTo(2);
    }
}
