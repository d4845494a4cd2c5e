package org.lockergate.management.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lockergate.management.Artifact;
import org.lockergate.management.BundleOutcome;
import org.lockergate.management.Change;
import org.lockergate.management.Inventory;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementException.Kind;
import org.lockergate.management.ManagementService;
import org.lockergate.management.Progress;
import org.lockergate.management.SnapshotInfo;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandResult;

@SuppressWarnings({"unchecked", "rawtypes"})
class ManagementCommandsTest {

    /** Records what it was asked and answers as told. */
    static final class Recording implements ManagementService {
        final List<String> calls = new ArrayList<>();
        Artifact lastArtifact;
        Change lastChange;
        ManagementException refuse;
        boolean rollBack;

        private BundleOutcome outcome(String bsn) throws ManagementException {
            if (refuse != null) {
                throw refuse;
            }
            return new BundleOutcome(bsn, rollBack ? "1.0.0" : "1.1.0", "1.0.0", "ACTIVE", rollBack,
                    rollBack ? "Rolled back" : "Updated", "acme");
        }

        @Override
        public BundleOutcome install(Artifact artifact, Change change, Progress progress) throws ManagementException {
            calls.add("install");
            lastArtifact = artifact;
            lastChange = change;
            return outcome("com.acme");
        }

        @Override
        public BundleOutcome update(String bsn, Artifact artifact, Change change, Progress progress)
                throws ManagementException {
            calls.add("update " + bsn);
            lastArtifact = artifact;
            lastChange = change;
            return outcome(bsn);
        }

        @Override
        public BundleOutcome rollback(String bsn, Change change, Progress progress) throws ManagementException {
            calls.add("rollback " + bsn);
            return outcome(bsn);
        }

        @Override
        public BundleOutcome start(String bsn, Change change) throws ManagementException {
            calls.add("start " + bsn);
            return outcome(bsn);
        }

        @Override
        public BundleOutcome stop(String bsn, Change change) throws ManagementException {
            calls.add("stop " + bsn);
            return outcome(bsn);
        }

        @Override
        public BundleOutcome uninstall(String bsn, Change change) throws ManagementException {
            calls.add("uninstall " + bsn);
            return outcome(bsn);
        }

        @Override
        public String exportConfiguration() {
            return "{\"format\":1,\"configurations\":[]}";
        }

        @Override
        public SnapshotInfo importConfiguration(String json, Change change) {
            calls.add("import " + json);
            return new SnapshotInfo("20261129T000000Z-1", Instant.EPOCH, change.actor(), "before import", 3);
        }

        @Override
        public SnapshotInfo snapshot(Change change) {
            calls.add("snapshot " + change.reason());
            return new SnapshotInfo("20261129T000000Z-2", Instant.EPOCH, change.actor(), change.reason(), 3);
        }

        @Override
        public List<SnapshotInfo> snapshots() {
            return List.of();
        }

        @Override
        public SnapshotInfo rollbackConfiguration(String id, Change change) {
            calls.add("restore " + id);
            return new SnapshotInfo("20261129T000000Z-3", Instant.EPOCH, change.actor(), "before rollback", 3);
        }

        @Override
        public org.lockergate.management.FeatureOutcome installFeature(String name, Change change) {
            calls.add("feature+ " + name);
            return new org.lockergate.management.FeatureOutcome(name, List.of("a.b"), false, "Installed");
        }

        @Override
        public org.lockergate.management.FeatureOutcome installFeature(Artifact archive, Change change,
                Progress progress) {
            calls.add("installFeatureArchive " + archive.describe());
            lastArtifact = archive;
            return new org.lockergate.management.FeatureOutcome("remote", List.of("org.example.remote"), false,
                    "installed");
        }

        @Override
        public org.lockergate.management.FeatureOutcome uninstallFeature(String name, Change change) {
            calls.add("feature- " + name);
            return new org.lockergate.management.FeatureOutcome(name, List.of(), false, "Removed");
        }

        @Override
        public org.lockergate.management.BackupInfo backup(Change change) {
            calls.add("backup");
            return new org.lockergate.management.BackupInfo(java.nio.file.Path.of("data/backups/b.zip"), Instant.EPOCH,
                    10, 2, "ab");
        }

        @Override
        public List<java.nio.file.Path> backups() {
            return List.of();
        }

        @Override
        public Inventory inventory() {
            return new Inventory(Instant.EPOCH, List.of(new Inventory.BundleInfo(1, "a", "1.0.0", "ACTIVE", "loc")),
                    List.of("framework"), "UP", Map.of("heapUsedBytes", 1L), List.of());
        }
    }

    private static CloudCommand command(String name, Map<String, Object> args) {
        return new CloudCommand(name, "req-42", Instant.EPOCH, Instant.EPOCH.plusSeconds(60), "cloud", "Ed25519", args);
    }

    @Test
    void updateTakesUrlSignatureAndDigestAndActsAsTheCloudRequest() throws Exception {
        Recording service = new Recording();
        CommandResult result = new ManagementCommands(service).handle(command("bundle.update", Map.of("bundle",
                "com.acme", "url", "https://repo.example/acme-1.1.0.jar", "signature", "c2ln", "sha256", "ab12",
                "reason", "fix door timing")));
        assertThat(result.status()).isEqualTo(200);
        assertThat(service.calls).containsExactly("update com.acme");
        assertThat(service.lastArtifact.source().toString()).isEqualTo("https://repo.example/acme-1.1.0.jar");
        assertThat(service.lastArtifact.signature()).isEqualTo("c2ln");
        assertThat(service.lastArtifact.expectedSha256()).isEqualTo("ab12");
        assertThat(service.lastChange).isEqualTo(new Change("cloud:req-42", "fix door timing"));
        assertThat((Map<String, Object>) (Map) result.body()).containsEntry("version", "1.1.0").containsEntry("rolledBack", false);
    }

    @Test
    void featureInstallWithAUrlInstallsASignedArchiveAndWithANameOneOfTheDistribution() throws Exception {
        Recording service = new Recording();
        ManagementCommands commands = new ManagementCommands(service);
        CommandResult fromArchive = commands.handle(command("feature.install", Map.of("url",
                "https://repo.example/parking-1.0.zip", "signature", "c2ln", "sha256", "cd34")));
        assertThat(fromArchive.status()).isEqualTo(200);
        assertThat(service.lastArtifact.source().toString()).isEqualTo("https://repo.example/parking-1.0.zip");
        assertThat(service.lastArtifact.signature()).isEqualTo("c2ln");
        assertThat(service.lastArtifact.expectedSha256()).isEqualTo("cd34");
        assertThat((Map<String, Object>) (Map) fromArchive.body()).containsEntry("feature", "remote");
        commands.handle(command("feature.install", Map.of("name", "opcua")));
        assertThat(service.calls).containsExactly("installFeatureArchive https://repo.example/parking-1.0.zip",
                "feature+ opcua");
        assertThatThrownBy(() -> commands.handle(command("feature.install", Map.of("url", "file:///tmp/x.zip",
                "signature", "s")))).isInstanceOfSatisfying(CommandException.class,
                        e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void aRolledBackUpdateAnswers422WithTheReason() throws Exception {
        Recording service = new Recording();
        service.rollBack = true;
        CommandResult result = new ManagementCommands(service).handle(command("bundle.update", Map.of("bundle",
                "com.acme", "url", "https://repo.example/a.jar", "signature", "c2ln")));
        assertThat(result.status()).isEqualTo(422);
        assertThat((Map<String, Object>) (Map) result.body()).containsEntry("rolledBack", true).containsEntry("message", "Rolled back");
    }

    @Test
    void refusalsKeepTheirCodeAndAMatchingStatus() {
        Recording service = new Recording();
        service.refuse = new ManagementException(Kind.UNTRUSTED, "signature.invalid", "tampered");
        assertThatThrownBy(() -> new ManagementCommands(service).handle(command("bundle.install", Map.of("url",
                "https://repo.example/a.jar", "signature", "c2ln")))).isInstanceOfSatisfying(CommandException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.error()).isEqualTo("signature.invalid");
                        });
        service.refuse = new ManagementException(Kind.FAILED, "download.truncated", "short");
        assertThatThrownBy(() -> new ManagementCommands(service).handle(command("bundle.install", Map.of("url",
                "https://repo.example/a.jar", "signature", "c2ln"))))
                .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.status()).isEqualTo(502));
    }

    @Test
    void missingArgumentsAndFileUrlsAreBadArgs() {
        ManagementCommands commands = new ManagementCommands(new Recording());
        assertThatThrownBy(() -> commands.handle(command("bundle.update", Map.of("url", "https://x/a.jar",
                "signature", "s")))).isInstanceOfSatisfying(CommandException.class,
                        e -> assertThat(e.error()).isEqualTo("bad_args"));
        assertThatThrownBy(() -> commands.handle(command("bundle.install", Map.of("url", "file:///etc/shadow",
                "signature", "s")))).isInstanceOfSatisfying(CommandException.class,
                        e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> commands.handle(command("config.import", Map.of("document", "not an object"))))
                .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.error()).isEqualTo("bad_args"));
    }

    @Test
    void snapshotsImportAndInventoryAreServed() throws Exception {
        Recording service = new Recording();
        ManagementCommands commands = new ManagementCommands(service);
        assertThat((Map<String, Object>) (Map) commands.handle(command("gateway.snapshot", Map.of("reason", "before season"))).body())
                .containsEntry("id", "20261129T000000Z-2");
        assertThat((Map<String, Object>) (Map) commands.handle(command("gateway.rollback", Map.of("snapshotId", "20261129T000000Z-2")))
                .body()).containsEntry("restored", "20261129T000000Z-2");
        commands.handle(command("config.import", Map.of("document", Map.of("format", 1, "configurations", List.of()))));
        assertThat(service.calls).contains("snapshot before season", "restore 20261129T000000Z-2");
        assertThat(service.calls).anySatisfy(c -> assertThat(c).startsWith("import {").contains("\"format\":1")
                .contains("\"configurations\":[]"));
        Map<?, ?> inventory = (Map<String, Object>) (Map) commands.handle(command("gateway.inventory", Map.of())).body();
        assertThat(inventory.get("health")).isEqualTo("UP");
        assertThat(commands.handle(command("config.export", Map.of())).status()).isEqualTo(200);
        assertThat(commands.handle(command("feature.install", Map.of("name", "vendor-kerong"))).status()).isEqualTo(200);
        commands.handle(command("feature.uninstall", Map.of("name", "vendor-kerong")));
        assertThat(service.calls).contains("feature+ vendor-kerong", "feature- vendor-kerong");
    }
}
