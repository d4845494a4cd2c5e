package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.Test;

/**
 * Issue 8's tests "all while a simulated cabinet keeps taking deposits without loss": the distribution as a process
 * in demo mode (its simulated couriers deposit and residents pick up all along), managed over REST as a technician
 * would: a signed vendor bundle installed, an update whose activator throws rolled back automatically, a signed
 * feature archive installed and removed, one naming a missing bundle and a tampered one refused, the inventory read.
 * Health is sampled throughout and never DOWN; afterwards every acknowledged deposit is in the database.
 */
public class ManagementUnderLoadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BSN = "org.lockergate.itest.vendor";
    private final HttpClient http = HttpClient.newBuilder().proxy(java.net.ProxySelector.of(null)).build();

    private KeyPair integrator;
    private Gateway gateway;
    private String token;

    @Test
    public void bundles_and_features_are_managed_while_deposits_go_on_and_none_is_lost() throws Exception {
        Path home = Gateway.prepare();
        Path data = home.resolveSibling("data");
        integrator = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(Files.createDirectories(data.resolve("secrets/trust")).resolve("integrator.pub"),
                "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                        integrator.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Files.writeString(home.resolve("conf/config/org.lockergate.management.config"), "checkSeconds=I\"2\"\n");

        gateway = Gateway.start(home, data, Map.of(), "--demo").awaitReady();
        List<String> healthSamples = new ArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                try {
                    healthSamples.add(JSON.readTree(gateway.get("/api/v1/health", null).body()).get("status")
                            .asText());
                    Thread.sleep(100);
                } catch (Exception e) {
                    healthSamples.add("ERROR " + e);
                }
            }
        }, "health-sampler");
        try {
            DemoTraffic.awaitDeposits(data, 3);
            token = DemoTraffic.adminToken(gateway);
            sampler.start();
            int depositsBefore = DemoTraffic.deposits(data).size();

            // a signed vendor bundle, uploaded
            byte[] v1 = TestBundles.bytes(BSN, "1.0.0", Map.of());
            HttpResponse<String> installed = upload("/api/v1/management/bundles", "application/java-archive", v1,
                    sign(v1));
            assertThat(installed.statusCode()).as(installed.body()).isEqualTo(201);
            assertThat(JSON.readTree(installed.body()).get("state").asText()).isEqualTo("ACTIVE");

            // an update whose activator throws: rolled back automatically to 1.0.0
            byte[] v2 = TestBundles.bytes(BSN, "2.0.0", Map.of("Bundle-Activator", ThrowingActivator.class.getName(),
                    "Import-Package", "org.osgi.framework"), ThrowingActivator.class);
            HttpResponse<String> updated = upload("/api/v1/management/bundles/" + BSN + "/update",
                    "application/java-archive", v2, sign(v2));
            assertThat(updated.statusCode()).as(updated.body()).isEqualTo(422);
            JsonNode outcome = JSON.readTree(updated.body());
            assertThat(outcome.get("rolledBack").asBoolean()).isTrue();
            assertThat(outcome.get("version").asText()).isEqualTo("1.0.0");
            assertThat(outcome.get("message").asText()).contains("fails on purpose");

            // a signed feature archive with its own bundle and a default configuration
            byte[] remote = TestBundles.bytes("org.lockergate.itest.remote", "1.0.0", Map.of());
            byte[] archive = zip(Map.of("parking.json", ("{\"feature-resource-version\":\"1.0\","
                    + "\"id\":\"com.acme:parking:1.0.0\",\"bundles\":[{\"id\":\"org.lockergate.itest:remote:1.0.0\"}],"
                    + "\"configurations\":{\"org.lockergate.itest.remote\":{\"greeting\":\"你好\"}}}")
                    .getBytes(StandardCharsets.UTF_8),
                    "repository/org/lockergate/itest/remote/1.0.0/remote-1.0.0.jar", remote));
            HttpResponse<String> feature = upload("/api/v1/management/features", "application/zip", archive,
                    sign(archive));
            assertThat(feature.statusCode()).as(feature.body()).isEqualTo(201);
            assertThat(JSON.readTree(feature.body()).get("bundles").toString()).contains("org.lockergate.itest.remote");
            assertThat(data.resolve("features/remote/parking/feature.json")).exists();

            // the inventory: the feature, the bundles, the demo's cabinets, the log's recent problems
            JsonNode inventory = JSON.readTree(gateway.get("/api/v1/management/inventory", token).body());
            assertThat(inventory.get("features").toString()).contains("parking");
            assertThat(inventory.get("bundles").toString()).contains(BSN).contains("org.lockergate.itest.remote");
            assertThat(inventory.get("cabinets").size()).isPositive();
            assertThat(inventory.get("recentErrors").isArray()).isTrue();
            // the failed activator of the rolled-back update was logged and shows up there
            assertThat(inventory.get("recentErrors").toString()).contains(BSN);

            // a tampered archive and one naming a bundle it does not carry change nothing
            byte[] tampered = archive.clone();
            tampered[tampered.length / 3] ^= 0x01;
            HttpResponse<String> refused = upload("/api/v1/management/features", "application/zip", tampered,
                    sign(archive));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            byte[] missing = zip(Map.of("gate.json", ("{\"feature-resource-version\":\"1.0\","
                    + "\"id\":\"com.acme:gate:1.0.0\",\"bundles\":[{\"id\":\"com.acme:nowhere:1.0.0\"}]}")
                    .getBytes(StandardCharsets.UTF_8)));
            HttpResponse<String> incomplete = upload("/api/v1/management/features", "application/zip", missing,
                    sign(missing));
            assertThat(incomplete.statusCode()).as(incomplete.body()).isEqualTo(400);
            assertThat(incomplete.body()).contains("com.acme:nowhere:1.0.0");
            assertThat(data.resolve("features/remote/gate")).doesNotExist();

            // removing the feature removes its bundle and its folder
            HttpResponse<String> removed = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                    + "/api/v1/management/features/parking?reason=itest")).header("Authorization", "Bearer " + token)
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
            assertThat(data.resolve("features/remote/parking")).doesNotExist();

            // the couriers kept depositing through all of it
            DemoTraffic.awaitDeposits(data, depositsBefore + 3);
        } finally {
            sampling.set(false);
            sampler.join(5_000);
            gateway.close();
        }
        assertThat(healthSamples).isNotEmpty().allMatch("UP"::equals);
        assertThat(DemoTraffic.storedParcels(data)).containsAll(DemoTraffic.deposits(data));
    }

    private HttpResponse<String> upload(String path, String type, byte[] body, String signature) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path + "?reason=itest"))
                .header("Authorization", "Bearer " + token).header("Content-Type", type)
                .header("X-LockerGate-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String sign(byte[] content) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(integrator.getPrivate());
        signer.update(MessageDigest.getInstance("SHA-256").digest(content));
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    private static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
