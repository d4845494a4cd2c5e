package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.inject.Inject;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.management.Artifact;
import org.lockergate.management.BundleOutcome;
import org.lockergate.management.Change;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementService;
import org.lockergate.management.Progress;
import org.lockergate.management.SnapshotInfo;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 8 in a real Felix (features framework, web, locker, management): signed bundles installed from an upload and
 * over HTTP; unsigned, tampered, untrusted, truncated and not-a-bundle artifacts refused with the gateway unchanged;
 * an update whose activator throws and one that cannot resolve rolled back automatically; rollback on request; a
 * configuration snapshot round trip for ConfigAdmin and for a file that fileinstall watches; every step audited.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ManagementIT {

    static final List<String> FEATURES = List.of("framework", "web", "locker", "management");
    static final String BSN = "org.lockergate.itest.vendor";
    static final Change TECHNICIAN = new Change("operator:itest-tech", "issue 8 itest");

    @Inject
    BundleContext context;

    /** The service once it runs with this test's configuration (checkSeconds=2); see {@link #configured()}. */
    ManagementService management;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    LockerQueries queries;

    @org.ops4j.pax.exam.Configuration
    public Option[] configuration() throws Exception {
        Path work = Files.createTempDirectory("lockergate-managementit");
        Path home = Distribution.home();
        Path data = Files.createDirectories(work.resolve("data"));
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        // the integrator's key pair: the public half in the gateway's trust store, the private half for the test
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path trust = Files.createDirectories(data.resolve("secrets/trust"));
        Files.writeString(trust.resolve("itest-integrator.pub"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Files.writeString(work.resolve("integrator.key"),
                Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(work.resolve("stranger.key"),
                Base64.getEncoder().encodeToString(stranger.getPrivate().getEncoded()));
        List<Option> options = new ArrayList<>(Distribution.frameworkOptions(FEATURES, home.resolve("features"),
                home.resolve("system"), data, deploy, Distribution.freePort()));
        options.add(frameworkProperty("itest.work").value(work.toString()));
        return options.toArray(new Option[0]);
    }

    @org.junit.Before
    public void configured() throws Exception {
        // a short check period keeps the test quick (production default 30 s); the component restarts with it
        Configuration settings = configAdmin.getConfiguration("org.lockergate.management", "?");
        if (settings.getProperties() == null || !Integer.valueOf(2).equals(settings.getProperties().get("checkSeconds"))) {
            settings.update(new Hashtable<>(Map.of("checkSeconds", 2)));
        }
        awaitTrue("management with checkSeconds=2", () -> {
            try {
                var refs = context.getServiceReferences(ManagementService.class, "(checkSeconds=2)");
                if (refs.isEmpty()) {
                    return false;
                }
                management = context.getService(refs.iterator().next());
                return management != null;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ============================================================================================ bundles

    @Test
    public void a_signed_upload_installs_and_starts_with_progress_and_audit() throws Exception {
        byte[] jar = TestBundles.bytes(BSN, "1.0.0", Map.of());
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        Instant before = Instant.now().minusSeconds(1);
        // the same steps on EventAdmin, for the console (whoever started the operation)
        List<String> posted = Collections.synchronizedList(new ArrayList<>());
        var listener = context.registerService(org.osgi.service.event.EventHandler.class,
                event -> posted.add(event.getProperty("operation") + " " + event.getProperty("stage") + " "
                        + event.getProperty("actor")),
                new Hashtable<>(Map.of(org.osgi.service.event.EventConstants.EVENT_TOPIC,
                        org.lockergate.management.Progress.TOPIC)));

        BundleOutcome outcome = management.install(Artifact.upload(jar, sign(jar, "integrator.key")), TECHNICIAN,
                (stage, percent, message) -> steps.add(stage.name()));
        awaitTrue("progress events", () -> posted.contains("bundle.install DONE operator:itest-tech"));
        listener.unregister();
        assertThat(posted).containsSubsequence("bundle.install VERIFYING operator:itest-tech",
                "bundle.install INSTALLING operator:itest-tech", "bundle.install DONE operator:itest-tech");

        assertThat(outcome.rolledBack()).isFalse();
        assertThat(outcome.state()).isEqualTo("ACTIVE");
        assertThat(outcome.version()).isEqualTo("1.0.0");
        assertThat(outcome.signer()).isEqualTo("itest-integrator");
        assertThat(steps).containsSubsequence("DOWNLOADING", "VERIFYING", "INSTALLING", "CHECKING", "DONE");
        assertThat(bundle(BSN).getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(audit(before, "management.bundle.installed")).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("operator:itest-tech");
            assertThat(e.target()).isEqualTo(BSN);
        });
    }

    @Test
    public void b_unsigned_tampered_untrusted_and_non_bundles_are_refused_and_nothing_changes() throws Exception {
        byte[] jar = TestBundles.bytes(BSN, "1.1.0", Map.of());
        String good = sign(jar, "integrator.key");
        byte[] tampered = jar.clone();
        tampered[tampered.length / 2] ^= 0x01;
        Instant before = Instant.now().minusSeconds(1);

        assertRefused(() -> management.update(BSN, Artifact.upload(jar, ""), TECHNICIAN, Progress.NONE),
                "signature.missing");
        assertRefused(() -> management.update(BSN, Artifact.upload(tampered, good), TECHNICIAN, Progress.NONE),
                "signature.invalid");
        assertRefused(() -> management.update(BSN, Artifact.upload(jar, sign(jar, "stranger.key")), TECHNICIAN,
                Progress.NONE), "signature.invalid");
        byte[] notABundle = "just some text, not a jar".getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> management.install(Artifact.upload(notABundle, sign(notABundle, "integrator.key")),
                TECHNICIAN, Progress.NONE), "artifact.not_a_bundle");
        byte[] other = TestBundles.bytes("org.lockergate.itest.other", "1.0.0", Map.of());
        assertRefused(() -> management.update(BSN, Artifact.upload(other, sign(other, "integrator.key")), TECHNICIAN,
                Progress.NONE), "artifact.wrong_bundle");

        assertThat(bundle(BSN).getVersion().toString()).isEqualTo("1.0.0");
        assertThat(bundle(BSN).getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(bundleOrNull("org.lockergate.itest.other")).isNull();
        assertThat(audit(before, "management.bundle.refused")).hasSizeGreaterThanOrEqualTo(5)
                .anySatisfy(e -> assertThat(e.detail()).contains("signature.invalid"));
    }

    @Test
    public void c_an_update_whose_activator_throws_is_rolled_back_automatically() throws Exception {
        byte[] jar = TestBundles.bytes(BSN, "2.0.0", Map.of("Bundle-Activator", ThrowingActivator.class.getName(),
                "Import-Package", "org.osgi.framework"), ThrowingActivator.class);
        Instant before = Instant.now().minusSeconds(1);
        List<String> steps = Collections.synchronizedList(new ArrayList<>());

        BundleOutcome outcome = management.update(BSN, Artifact.upload(jar, sign(jar, "integrator.key")), TECHNICIAN,
                (stage, percent, message) -> steps.add(stage.name()));

        assertThat(outcome.rolledBack()).isTrue();
        assertThat(outcome.message()).contains("Rolled back").contains("fails on purpose");
        assertThat(outcome.version()).isEqualTo("1.0.0");
        assertThat(steps).last().isEqualTo("ROLLED_BACK");
        assertThat(bundle(BSN).getVersion().toString()).isEqualTo("1.0.0");
        assertThat(bundle(BSN).getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(audit(before, "management.bundle.update.rolled_back")).isNotEmpty();
    }

    @Test
    public void d_an_update_that_cannot_resolve_is_rolled_back() throws Exception {
        byte[] jar = TestBundles.bytes(BSN, "2.1.0", Map.of("Import-Package", "org.example.nowhere;version=\"[1,2)\""));
        BundleOutcome outcome = management.update(BSN, Artifact.upload(jar, sign(jar, "integrator.key")), TECHNICIAN,
                Progress.NONE);
        assertThat(outcome.rolledBack()).isTrue();
        assertThat(outcome.message()).contains("org.example.nowhere");
        assertThat(bundle(BSN).getVersion().toString()).isEqualTo("1.0.0");
        assertThat(bundle(BSN).getState()).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    public void e_a_good_update_over_http_then_rollback_on_request() throws Exception {
        byte[] jar = TestBundles.bytes(BSN, "1.2.0", Map.of());
        try (TinyHttp http = new TinyHttp(jar, false)) {
            List<Integer> percents = Collections.synchronizedList(new ArrayList<>());
            BundleOutcome outcome = management.update(BSN, Artifact.download(http.uri(), sign(jar, "integrator.key")),
                    TECHNICIAN, (stage, percent, message) -> {
                        if (stage == Progress.Stage.DOWNLOADING) {
                            percents.add(percent);
                        }
                    });
            assertThat(outcome.rolledBack()).isFalse();
            assertThat(outcome.previousVersion()).isEqualTo("1.0.0");
            assertThat(percents).contains(100);
        }
        assertThat(bundle(BSN).getVersion().toString()).isEqualTo("1.2.0");

        BundleOutcome back = management.rollback(BSN, TECHNICIAN, Progress.NONE);
        assertThat(back.rolledBack()).isFalse();
        assertThat(bundle(BSN).getVersion().toString()).isEqualTo("1.0.0");
        assertThat(bundle(BSN).getState()).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    public void f_a_truncated_download_and_a_dead_url_change_nothing() throws Exception {
        byte[] jar = TestBundles.bytes(BSN, "1.3.0", Map.of());
        try (TinyHttp http = new TinyHttp(jar, true)) {
            assertRefused(() -> management.update(BSN, Artifact.download(http.uri(), sign(jar, "integrator.key")),
                    TECHNICIAN, Progress.NONE), "download.truncated");
        }
        int dead = Distribution.freePort();
        assertRefused(() -> management.update(BSN, Artifact.download(URI.create("http://127.0.0.1:" + dead
                + "/nothing.jar"), sign(jar, "integrator.key")), TECHNICIAN, Progress.NONE), "download.failed");
        assertThat(bundle(BSN).getVersion().toString()).isEqualTo("1.0.0");
    }

    @Test
    public void g_uninstall_removes_the_bundle() throws Exception {
        management.uninstall(BSN, TECHNICIAN);
        assertThat(bundleOrNull(BSN)).isNull();
        assertRefused(() -> management.stop(BSN, TECHNICIAN), "bundle.unknown");
        assertRefused(() -> management.update("org.lockergate.management", Artifact.upload(new byte[1], "x"),
                TECHNICIAN, Progress.NONE), "bundle.protected");
    }

    // ====================================================================================== configuration

    @Test
    public void h_a_configuration_snapshot_round_trip_restores_configadmin_and_watched_files() throws Exception {
        Configuration sample = configAdmin.getConfiguration("org.lockergate.itest.sample", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("label", "一号柜 A01");
        props.put("count", 5L);
        props.put("companies", new String[] {"JT", "ZTO"});
        sample.update(props);
        Path filed = Path.of(context.getProperty("lockergate.deploy"), "org.lockergate.itest.filed.config");
        Files.writeString(filed, "value=\"one\"\n");
        awaitTrue("fileinstall loads the file", () -> "one".equals(value("org.lockergate.itest.filed", "value")));

        SnapshotInfo saved = management.snapshot(new Change("operator:itest-tech", "before the change"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(
                context.getProperty("lockergate.data"), "management", "snapshots", saved.id() + ".json"))))
                .isEqualTo("rw-------");
        assertThat(management.snapshots()).extracting(SnapshotInfo::id).contains(saved.id());

        // the change: ConfigAdmin edited, a file edited, a configuration added
        Dictionary<String, Object> changed = new Hashtable<>();
        changed.put("label", "changed");
        sample.update(changed);
        Files.writeString(filed, "value=\"two\"\n");
        awaitTrue("fileinstall loads the edit", () -> "two".equals(value("org.lockergate.itest.filed", "value")));
        configAdmin.getConfiguration("org.lockergate.itest.added", "?").update(new Hashtable<>(Map.of("x", 1)));

        management.rollbackConfiguration(saved.id(), TECHNICIAN);

        Dictionary<String, Object> restored = configAdmin.getConfiguration("org.lockergate.itest.sample", "?")
                .getProperties();
        assertThat(restored.get("label")).isEqualTo("一号柜 A01");
        assertThat(restored.get("count")).isEqualTo(5L);
        assertThat((String[]) restored.get("companies")).containsExactly("JT", "ZTO");
        assertThat(value("org.lockergate.itest.filed", "value")).isEqualTo("one");
        assertThat(Files.readString(filed)).contains("value=\"one\"");
        assertThat(configAdmin.listConfigurations("(service.pid=org.lockergate.itest.added)")).isNull();
        assertThat(management.snapshots()).anySatisfy(s -> assertThat(s.reason()).startsWith("before rollback to"));
    }

    @Test
    public void i_a_malformed_or_newer_document_is_refused_as_a_whole() throws Exception {
        String exported = management.exportConfiguration();
        assertThat(exported).contains("\"format\" : 1").contains("org.lockergate.itest.sample");
        int snapshotsBefore = management.snapshots().size();

        assertRefused(() -> management.importConfiguration(exported.replace("\"format\" : 1", "\"format\" : 2"),
                TECHNICIAN), "config.newer_format");
        assertRefused(() -> management.importConfiguration("{ not json", TECHNICIAN), "config.malformed");
        assertRefused(() -> management.importConfiguration(exported.replace("\"type\" : \"Long\"",
                "\"type\" : \"Martian\""), TECHNICIAN), "config.malformed");
        assertThat(management.snapshots()).hasSize(snapshotsBefore); // refused before anything, even the snapshot
        assertThat(value("org.lockergate.itest.sample", "count")).isEqualTo(5L);

        // the exported document imports back unchanged
        management.importConfiguration(exported, TECHNICIAN);
        assertThat(value("org.lockergate.itest.sample", "count")).isEqualTo(5L);
    }

    @Test
    public void k_an_online_backup_holds_the_database_the_secrets_and_a_manifest_of_hashes() throws Exception {
        org.lockergate.management.BackupInfo info = management.backup(new Change("operator:itest-admin", "box swap"));
        assertThat(info.file()).exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(info.file())))
                .isEqualTo("rw-------");
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(Files.newInputStream(info.file()))) {
            for (java.util.zip.ZipEntry e; (e = zip.getNextEntry()) != null;) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        assertThat(entries.keySet()).first().isEqualTo("backup.json");
        assertThat(entries).containsKeys("db/lockergate.mv.db", "secrets/pickup-code.key", "secrets/phone.key",
                "secrets/trust/itest-integrator.pub");
        assertThat(entries.keySet()).noneMatch(name -> name.startsWith("felix-cache/") || name.startsWith("backups/"));
        String manifest = new String(entries.get("backup.json"), StandardCharsets.UTF_8);
        String keyHash = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(entries.get("secrets/pickup-code.key")));
        assertThat(manifest).contains("\"format\" : 1").contains(keyHash);
        assertThat(management.backups()).contains(info.file());
        assertThat(audit(Instant.now().minusSeconds(60), "management.gateway.backup")).isNotEmpty();
    }

    @Test
    public void m_a_feature_of_the_distribution_installs_checked_and_uninstalls() throws Exception {
        org.lockergate.management.FeatureOutcome installed = management.installFeature("vendor-kerong", TECHNICIAN);
        assertThat(installed.rolledBack()).as(installed.message()).isFalse();
        assertThat(installed.bundles()).contains("org.lockergate.vendor.kerong");
        assertThat(bundle("org.lockergate.vendor.kerong").getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(management.inventory().features()).contains("vendor-kerong");

        management.uninstallFeature("vendor-kerong", TECHNICIAN);
        assertThat(bundleOrNull("org.lockergate.vendor.kerong")).isNull();
        assertRefused(() -> management.installFeature("no-such-feature", TECHNICIAN), "feature.unknown");
        assertRefused(() -> management.uninstallFeature("locker", TECHNICIAN), "feature.core");
        assertThat(audit(Instant.now().minusSeconds(60), "management.feature.installed")).isNotEmpty();
    }

    // ============================================================================================== REST

    @Test
    public void j_rest_installs_a_signed_upload_refuses_a_tampered_one_and_needs_a_token() throws Exception {
        String base = "http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port") + "/api/v1";
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().proxy(java.net.ProxySelector.of(null))
                .build();
        byte[] jar = TestBundles.bytes("org.lockergate.itest.rest", "1.0.0", Map.of());
        String signature = sign(jar, "integrator.key");

        java.net.http.HttpResponse<String> anonymous = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(base + "/management/bundles")).header("Content-Type", "application/java-archive")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(jar)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(bundleOrNull("org.lockergate.itest.rest")).isNull();

        Path passwordFile = Path.of(context.getProperty("lockergate.data"), "secrets", "initial-admin-password");
        awaitTrue("the initial admin password", () -> Files.isRegularFile(passwordFile));
        String password = Files.readString(passwordFile).strip();
        java.net.http.HttpResponse<String> login = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(base + "/auth/login")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\""
                        + password + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(login.body()).get("token").asText();

        java.net.http.HttpResponse<String> installed = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(base + "/management/bundles?reason=rest%20itest"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/java-archive")
                .header("X-LockerGate-Signature", signature)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(jar)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
        assertThat(installed.body()).contains("\"state\" : \"ACTIVE\"").contains("VERIFYING").contains("DONE");
        assertThat(bundle("org.lockergate.itest.rest").getState()).isEqualTo(Bundle.ACTIVE);

        byte[] tampered = TestBundles.bytes("org.lockergate.itest.rest", "1.1.0", Map.of());
        java.net.http.HttpResponse<String> refused = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(base + "/management/bundles/org.lockergate.itest.rest/update"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/java-archive")
                .header("X-LockerGate-Signature", signature)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(tampered)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("\"error\" : \"signature.invalid\"");
        assertThat(bundle("org.lockergate.itest.rest").getVersion().toString()).isEqualTo("1.0.0");

        java.net.http.HttpResponse<String> fileUrl = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(base + "/management/bundles")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"url\":\"file:///etc/passwd\",\"signature\":\"AAAA\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(fileUrl.statusCode()).isEqualTo(400);

        java.net.http.HttpResponse<String> inventory = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(base + "/management/inventory")).header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(inventory.statusCode()).isEqualTo(200);
        assertThat(inventory.body()).contains("org.lockergate.itest.rest").contains("\"health\"");

        // a technician may install bundles but not read or replace the configuration (it holds the operators)
        org.lockergate.identity.PasswordHashing hashing = context.getService(context.getServiceReference(
                org.lockergate.identity.PasswordHashing.class));
        configAdmin.getFactoryConfiguration("org.lockergate.identity.user", "itest-tech", "?").update(new Hashtable<>(
                Map.of("username", "itest-tech", "passwordHash", hashing.hash("itest-tech-2026".toCharArray()),
                        "roles", new String[] {"technician"})));
        String techToken = null;
        for (int attempt = 0; attempt < 50 && techToken == null; attempt++) {
            java.net.http.HttpResponse<String> techLogin = http.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(base + "/auth/login")).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"username\":\"itest-tech\",\"password\":\"itest-tech-2026\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (techLogin.statusCode() == 200) {
                techToken = new com.fasterxml.jackson.databind.ObjectMapper().readTree(techLogin.body()).get("token")
                        .asText();
            } else {
                Thread.sleep(200); // the configuration reaches the identity service asynchronously
            }
        }
        assertThat(techToken).as("the technician logs in").isNotNull();
        java.net.http.HttpResponse<String> techExport = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(base + "/management/configuration")).header("Authorization", "Bearer " + techToken).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(techExport.statusCode()).isEqualTo(403);
        java.net.http.HttpResponse<String> techInventory = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(base + "/management/inventory")).header("Authorization", "Bearer " + techToken).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(techInventory.statusCode()).isEqualTo(200);

        java.net.http.HttpResponse<String> snapshot = http.send(java.net.http.HttpRequest.newBuilder(
                URI.create(base + "/management/snapshots")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"reason\":\"before the season\"}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(snapshot.statusCode()).isEqualTo(201);
        assertThat(snapshot.body()).contains("before the season");
    }

    // ============================================================================================ helpers

    private Object value(String pid, String key) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null || found[0].getProperties() == null ? null : found[0].getProperties().get(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertRefused(Call call, String code) {
        assertThatThrownBy(call::run).isInstanceOf(ManagementException.class)
                .satisfies(e -> assertThat(((ManagementException) e).code()).isEqualTo(code));
    }

    private List<AuditEntry> audit(Instant from, String action) {
        return queries.audit(from, 1000).stream().filter(e -> e.action().equals(action)).toList();
    }

    private Bundle bundle(String bsn) {
        Bundle b = bundleOrNull(bsn);
        assertThat(b).as("bundle " + bsn).isNotNull();
        return b;
    }

    private Bundle bundleOrNull(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private String sign(byte[] content, String keyFile) throws Exception {
        byte[] der = Base64.getDecoder().decode(Files.readString(Path.of(context.getProperty("itest.work"), keyFile)));
        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(MessageDigest.getInstance("SHA-256").digest(content));
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
