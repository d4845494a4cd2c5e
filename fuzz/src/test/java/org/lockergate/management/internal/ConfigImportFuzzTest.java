package org.lockergate.management.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.lockergate.management.ManagementException;
import org.osgi.framework.Version;

/**
 * A configuration document for import ({@code POST /api/v1/management/config/import}, {@code lg:config-import}):
 * parsed and checked before anything changes. Any text gives entries inside the managed scope or a
 * {@link ManagementException} (400/409), never another exception.
 */
class ConfigImportFuzzTest {

    private static final ConfigSnapshots SNAPSHOTS = new ConfigSnapshots(null, Path.of("target/fuzz-snapshots"),
            List.of("org.lockergate"), List.of(), new Version(0, 1, 0), 5, Instant::now);

    @FuzzTest(maxDuration = "10m")
    void document(byte[] input) {
        String json = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        try {
            for (ConfigSnapshots.Entry entry : SNAPSHOTS.parse(json)) {
                assertThat(entry.pid()).isNotBlank();
                assertThat(entry.pid().startsWith("org.lockergate")
                        || (entry.factoryPid() != null && entry.factoryPid().startsWith("org.lockergate")))
                        .as("inside the managed scope: " + entry.pid()).isTrue();
                assertThat(entry.properties()).isNotNull();
            }
        } catch (ManagementException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
