package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * Issue 8, the hard case of a safe update, on the distribution as a process in demo mode (simulated cabinets and
 * couriers keep depositing throughout): a signed store bundle whose new migration V98 changes the schema and whose
 * V99 fails is uploaded over REST. The store stops with a half-migrated database, the check sees health DOWN, and the
 * management service puts back the database from the store's own pre-migration backup and reinstalls the previous
 * store: the answer is 422 rolled back, health is UP again, deposits go on, the database is at the previous schema
 * without V98's table, and every parcel whose pickup code went out (acknowledged deposits) is in it.
 */
public class StoreUpdateRollbackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().proxy(java.net.ProxySelector.of(null)).build();

    @Test
    public void a_store_update_whose_migration_fails_gets_the_previous_database_and_store_back() throws Exception {
        Path home = Gateway.prepare();
        Path data = home.resolveSibling("data");
        KeyPair integrator = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(Files.createDirectories(data.resolve("secrets/trust")).resolve("integrator.pub"),
                "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                        integrator.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Files.writeString(home.resolve("conf/config/org.lockergate.management.config"), "checkSeconds=I\"3\"\n");
        byte[] jar = storeWithMigrations(home);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(integrator.getPrivate());
        signer.update(MessageDigest.getInstance("SHA-256").digest(jar));
        String signature = Base64.getEncoder().encodeToString(signer.sign());

        Gateway gateway = Gateway.start(home, data, Map.of(), "--demo").awaitReady();
        try {
            DemoTraffic.awaitDeposits(data, 3);
            String token = DemoTraffic.adminToken(gateway);
            HttpResponse<String> update = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                    + "/api/v1/management/bundles/org.lockergate.store/update?reason=itest"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/java-archive")
                    .header("X-LockerGate-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(jar)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(update.statusCode()).as(update.body()).isEqualTo(422);
            JsonNode outcome = JSON.readTree(update.body());
            assertThat(outcome.get("rolledBack").asBoolean()).isTrue();
            assertThat(outcome.get("message").asText()).contains("pre-migration backup pre-V98");
            assertThat(outcome.get("version").asText()).doesNotStartWith("99.");
            assertThat(outcome.get("state").asText()).isEqualTo("ACTIVE");

            long deadline = System.currentTimeMillis() + 30_000;
            String health = "";
            while (System.currentTimeMillis() < deadline) {
                health = gateway.get("/api/v1/health", null).body();
                if (JSON.readTree(health).get("status").asText().equals("UP")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(JSON.readTree(health).get("status").asText()).as(health).isEqualTo("UP");
            assertThat(gateway.logFile()).contains("Store open").containsPattern("schema V\\d+");
            int before = DemoTraffic.deposits(data).size();
            DemoTraffic.awaitDeposits(data, before + 3); // the simulated couriers deposit again on the restored store
        } finally {
            gateway.close();
        }
        // the database the previous store runs on: V98's table is not there, V98 is not in the history
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db/lockergate"), "sa", "");
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'ITEST_PROBE'")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
        // every deposit whose code went out is in the database: none lost across the update and the restore
        assertThat(DemoTraffic.storedParcels(data)).containsAll(DemoTraffic.deposits(data));
    }

    /** The distribution's own store jar, version 99, with a good V98 and a broken V99 migration. */
    private static byte[] storeWithMigrations(Path home) throws Exception {
        Path original;
        try (Stream<Path> files = Files.walk(home.resolve("system/org/lockergate/org.lockergate.store"))) {
            original = files.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarFile in = new JarFile(original.toFile())) {
            Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue("Bundle-Version", "99.0.0.itest");
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry e : java.util.Collections.list(in.entries())) {
                    if (e.getName().equals("META-INF/MANIFEST.MF") || e.isDirectory()) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream data = in.getInputStream(e)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("org/lockergate/store/migrations/V98__itest_probe.sql"));
                out.write("CREATE TABLE itest_probe (id INT PRIMARY KEY);\n".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
                out.putNextEntry(new JarEntry("org/lockergate/store/migrations/V99__itest_broken.sql"));
                out.write("THIS IS NOT SQL;\n".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
