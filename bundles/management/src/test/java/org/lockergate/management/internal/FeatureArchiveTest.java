package org.lockergate.management.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.management.ManagementException;

class FeatureArchiveTest {

    @TempDir
    Path dir;

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static Map<String, byte[]> entries(String... pathsThenContents) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < pathsThenContents.length; i += 2) {
            m.put(pathsThenContents[i], pathsThenContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    private void refused(byte[] zip, String code) {
        assertThatThrownBy(() -> FeatureArchive.unpack(zip, dir.resolve("t"), 1 << 20, "test.zip"))
                .isInstanceOfSatisfying(ManagementException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void unpacks_the_feature_file_and_its_repository() throws Exception {
        byte[] zip = zip(entries("parking.json", "{}", "repository/com/acme/b/1.0/b-1.0.jar", "jar"));
        String name = FeatureArchive.unpack(zip, dir.resolve("t"), 1 << 20, "test.zip");
        assertThat(name).isEqualTo("parking");
        assertThat(dir.resolve("t/feature.json")).hasContent("{}");
        assertThat(dir.resolve("t/repository/com/acme/b/1.0/b-1.0.jar")).hasContent("jar");
    }

    @Test
    void refuses_entries_outside_the_repository_and_other_files() throws Exception {
        refused(zip(entries("p.json", "{}", "repository/../../etc/x.jar", "x")), "feature.archive_path");
        refused(zip(entries("p.json", "{}", "bin/run.sh", "x")), "feature.archive_entry");
        refused(zip(entries("p.json", "{}", "/abs.jar", "x")), "feature.archive_entry");
    }

    @Test
    void refuses_no_feature_two_features_and_bad_names() throws Exception {
        refused(zip(entries("repository/a/b/1/b-1.jar", "x")), "feature.archive_no_feature");
        refused(zip(entries("a.json", "{}", "b.json", "{}")), "feature.archive_two_features");
        refused(zip(entries("Bad Name.json", "{}")), "feature.name");
        refused("not a zip at all".getBytes(StandardCharsets.UTF_8), "feature.archive_no_feature");
    }

    @Test
    void stops_a_zip_bomb_at_the_unpacked_limit() throws Exception {
        byte[] big = new byte[2 << 20];
        Map<String, byte[]> m = new LinkedHashMap<>(entries("p.json", "{}"));
        m.put("repository/a/b/1/b-1.jar", big);
        refused(zip(m), "feature.archive_too_large");
    }
}
