package org.lockergate.features.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lockergate.features.FeatureException;

/**
 * Feature files (OSGi feature JSON in {@code features/} and those uploaded through management): any content gives
 * a descriptor or a {@link FeatureException} naming the file, never another exception.
 */
class FeatureFileFuzzTest {

    private static final Path DIR = dir();

    private static Path dir() {
        try {
            Path dir = Files.createTempDirectory("fuzz-features");
            Files.createDirectories(dir.resolve("system"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void feature(byte[] content) throws IOException {
        Path file = DIR.resolve("fuzzed.json");
        Files.write(file, content);
        FeatureRepository repository = new FeatureRepository(DIR, DIR.resolve("system"));
        try {
            FeatureDescriptor feature = repository.read(file.toString());
            assertThat(feature.name()).isEqualTo("fuzzed");
        } catch (FeatureException e) {
            assertThat(e.getMessage()).contains("fuzzed.json");
        }
    }
}
