package org.lockergate.features.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.features.FeatureException;

class FeatureRepositoryTest {

    @TempDir
    Path home;
    Path features;
    Path system;

    @BeforeEach
    void layout() throws IOException {
        features = Files.createDirectories(home.resolve("features"));
        system = Files.createDirectories(home.resolve("system"));
        Path jar = system.resolve("org/example/demo/1.2.0/demo-1.2.0.jar");
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[] {1});
    }

    private void feature(String name, String json) throws IOException {
        Files.writeString(features.resolve(name + ".json"), json);
    }

    @Test
    void reads_bundles_start_order_category_and_configurations() throws Exception {
        feature("demo", """
                {"feature-resource-version":"1.0","id":"org.lockergate.feature:demo:1.0.0","name":"Demo",
                 "categories":["core"],
                 "bundles":[{"id":"org.example:demo:1.2.0","start-order":"3"}],
                 "configurations":{"org.example.pid":{"port":8080,"names":["a","b"]},
                                   "org.example.factory~one":{"enabled":true}}}
                """);
        FeatureDescriptor d = new FeatureRepository(features, system).read("demo");

        assertThat(d.name()).isEqualTo("demo");
        assertThat(d.title()).isEqualTo("Demo");
        assertThat(d.core()).isTrue();
        assertThat(d.bundles()).singleElement().satisfies(b -> {
            assertThat(b.coordinates()).isEqualTo("org.example:demo:1.2.0");
            assertThat(b.jar()).isEqualTo(system.resolve("org/example/demo/1.2.0/demo-1.2.0.jar"));
            assertThat(b.startOrder()).isEqualTo(3);
        });
        assertThat(d.configurations()).containsOnlyKeys("org.example.pid", "org.example.factory~one");
        assertThat(d.configurations().get("org.example.pid")).containsEntry("port", 8080L);
    }

    @Test
    void a_remote_feature_is_found_by_name_with_bundles_from_system_or_its_own_repository() throws Exception {
        Path remote = FeatureState.remoteFolder(home.resolve("data"));
        Path folder = Files.createDirectories(remote.resolve("parking"));
        Files.writeString(folder.resolve(FeatureRepository.REMOTE_FEATURE_FILE), """
                {"feature-resource-version":"1.0","id":"com.acme:parking:1.0.0",
                 "bundles":[{"id":"org.example:demo:1.2.0"},{"id":"com.acme:barrier:2.0.0"}]}
                """);
        Path own = folder.resolve("repository/com/acme/barrier/2.0.0/barrier-2.0.0.jar");
        Files.createDirectories(own.getParent());
        Files.write(own, new byte[] {2});
        FeatureRepository repository = new FeatureRepository(features, system, remote);

        FeatureDescriptor d = repository.read("parking");

        assertThat(d.name()).isEqualTo("parking");
        assertThat(d.bundles()).extracting(FeatureDescriptor.BundleRef::jar)
                .containsExactly(system.resolve("org/example/demo/1.2.0/demo-1.2.0.jar"), own);
        assertThat(repository.remoteNames()).containsExactly("parking");
        assertThat(repository.names()).doesNotContain("parking");
        // without the remote folder the feature does not exist
        assertThatThrownBy(() -> new FeatureRepository(features, system).read("parking"))
                .isInstanceOf(FeatureException.class);
    }

    @Test
    void a_remote_feature_naming_a_bundle_that_is_nowhere_says_which() throws Exception {
        Path remote = FeatureState.remoteFolder(home.resolve("data"));
        Path folder = Files.createDirectories(remote.resolve("broken"));
        Files.writeString(folder.resolve(FeatureRepository.REMOTE_FEATURE_FILE), """
                {"feature-resource-version":"1.0","id":"com.acme:broken:1.0.0",
                 "bundles":[{"id":"com.acme:missing:1.0.0"}]}
                """);
        assertThatThrownBy(() -> new FeatureRepository(features, system, remote).read("broken"))
                .isInstanceOf(FeatureException.class).hasMessageContaining("com.acme:missing:1.0.0");
    }

    @Test
    void names_lists_feature_files() throws Exception {
        feature("b", "{}");
        feature("a", "{}");
        Files.writeString(features.resolve("notes.txt"), "x");
        assertThat(new FeatureRepository(features, system).names()).isEqualTo(List.of("a", "b"));
    }

    @Test
    void missing_bundle_is_named_with_its_path() throws Exception {
        feature("broken", """
                {"feature-resource-version":"1.0","id":"org.lockergate.feature:broken:1.0.0",
                 "bundles":[{"id":"org.example:absent:9.9"}]}
                """);
        assertThatThrownBy(() -> new FeatureRepository(features, system).read("broken"))
                .isInstanceOf(FeatureException.class)
                .hasMessageContaining("org.example:absent:9.9")
                .hasMessageContaining("absent-9.9.jar");
    }

    @Test
    void malformed_json_names_the_file() throws Exception {
        feature("bad", "{ this is not json");
        assertThatThrownBy(() -> new FeatureRepository(features, system).read("bad"))
                .isInstanceOf(FeatureException.class)
                .hasMessageContaining("bad.json");
    }

    @Test
    void unknown_feature_lists_the_available_ones() throws Exception {
        feature("core", "{}");
        assertThatThrownBy(() -> new FeatureRepository(features, system).read("nope"))
                .hasMessageContaining("nope.json").hasMessageContaining("available: core");
    }

    @Test
    void bad_start_order_is_refused() throws Exception {
        feature("order", """
                {"feature-resource-version":"1.0","id":"org.lockergate.feature:order:1.0.0",
                 "bundles":[{"id":"org.example:demo:1.2.0","start-order":"first"}]}
                """);
        assertThatThrownBy(() -> new FeatureRepository(features, system).read("order"))
                .hasMessageContaining("start-order");
    }

    @Test
    void state_adds_and_removes_on_top_of_configuration() throws Exception {
        FeatureState state = FeatureState.load(home);
        state.recordInstalled("opcua");
        state.recordUninstalled("web");

        FeatureState reloaded = FeatureState.load(home);
        assertThat(reloaded.effective(List.of("framework", "web"))).containsExactly("framework", "opcua");
    }
}
