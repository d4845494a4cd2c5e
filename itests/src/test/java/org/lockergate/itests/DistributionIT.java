package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The distribution as an operator runs it: {@code bin/lockergate} in its own process, on ephemeral ports, checked
 * over real HTTP and the real remote shell; then SIGTERM. Also the starts that must fail with one clear message.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DistributionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Gateway gateway;

    @BeforeClass
    public static void startGateway() throws Exception {
        gateway = Gateway.start(Map.of("LOCKERGATE_SHELL_PORT", "0")).awaitReady();
    }

    @AfterClass
    public static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void a1_start_creates_the_missing_data_folder_and_logs_the_ready_line() throws Exception {
        assertThat(gateway.console()).contains("Created the data folder " + gateway.data);
        assertThat(gateway.readyMs()).isPositive();
        assertThat(gateway.data.resolve("gateway-id")).exists();
        assertThat(Files.getPosixFilePermissions(gateway.data.resolve("secrets")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    public void a2_health_is_up_for_anyone() throws Exception {
        HttpResponse<String> response = awaitHealthUp();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("checks").findValuesAsText("name")).contains("bundles", "components", "disk", "deploy");
    }

    @Test
    public void a3_protected_endpoints_answer_401_with_a_json_error() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/bundles", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("unauthorized");

        HttpResponse<String> badToken = gateway.get("/api/v1/bundles", "not-a-token");
        assertThat(badToken.statusCode()).isEqualTo(401);
    }

    @Test
    public void a4_openapi_is_served_anonymously() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/openapi.json", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(response.body());
        assertThat(doc.path("servers").get(0).path("url").asText()).isEqualTo("/api/v1");
        JsonNode paths = doc.path("paths");
        assertThat(paths.has("/health")).isTrue();
        assertThat(paths.has("/auth/login")).isTrue();
        assertThat(paths.has("/bundles")).isTrue();
    }

    @Test
    public void b1_the_first_start_admin_logs_in_and_sees_every_bundle_active() throws Exception {
        String token = login("admin", initialAdminPassword());
        HttpResponse<String> response = gateway.get("/api/v1/bundles", token);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode bundles = JSON.readTree(response.body());
        assertThat(bundles.size()).isGreaterThan(25);
        List<String> notActive = new ArrayList<>();
        for (JsonNode bundle : bundles) {
            if (!bundle.path("fragment").asBoolean() && !"ACTIVE".equals(bundle.path("state").asText())) {
                notActive.add(bundle.path("symbolicName").asText() + "=" + bundle.path("state").asText());
            }
        }
        assertThat(notActive).isEmpty();
    }

    @Test
    public void b2_a_wrong_password_is_refused_with_attempts_left() throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/auth/login",
                "{\"username\":\"admin\",\"password\":\"wrong-password\"}");
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo("bad_credentials");
        assertThat(body.path("attemptsLeft").asInt()).isBetween(1, 4);
    }

    @Test
    public void c1_the_remote_shell_needs_a_login_and_lists_every_bundle_active() throws Exception {
        int port = shellPort();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            ShellClient shell = new ShellClient(socket);
            shell.expect("Username:");
            shell.send("admin");
            shell.expect("Password:");
            shell.send(initialAdminPassword());
            shell.expect("lockergate>");
            shell.send("lb");
            String listing = shell.expect("lockergate>");
            List<String> rows = listing.lines().filter(l -> l.matches("\\s*\\d+\\|.*")).toList();
            assertThat(rows).hasSizeGreaterThan(25);
            assertThat(rows).allSatisfy(row -> assertThat(row).containsAnyOf("|Active", "|Resolved"));
            assertThat(rows.stream().filter(r -> r.contains("|Resolved")).toList())
                    .as("only fragments may be merely resolved").allSatisfy(r -> assertThat(r).contains("Fragment"));
            // gogo:telnetd would open an unauthenticated console: the launcher hides it from every shell
            shell.send("gogo:telnetd");
            assertThat(shell.expect("lockergate>")).contains("not found");
            shell.send("telnetd");
            assertThat(shell.expect("lockergate>")).contains("not found");
            shell.send("exit");
        }
    }

    @Test
    public void c2_the_remote_shell_refuses_a_wrong_password() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), shellPort())) {
            socket.setSoTimeout(15_000);
            ShellClient shell = new ShellClient(socket);
            shell.expect("Username:");
            shell.send("admin");
            shell.expect("Password:");
            shell.send("guess");
            String answer = shell.expect("Username:");
            assertThat(answer).contains("Wrong user name or password");
        }
    }

    @Test
    public void d1_hot_deploy_installs_updates_and_removes_a_bundle() throws Exception {
        String token = login("admin", initialAdminPassword());
        Path jar = gateway.home.resolve("deploy/hot-deploy-test.jar");
        TestBundles.write(jar, "org.lockergate.test.hotdeploy", "1.0.0", Map.of());
        awaitTrue(() -> "ACTIVE".equals(bundleState(token, "org.lockergate.test.hotdeploy")), "deployed ACTIVE");

        TestBundles.write(jar, "org.lockergate.test.hotdeploy", "1.1.0", Map.of());
        awaitTrue(() -> "1.1.0".equals(bundleField(token, "org.lockergate.test.hotdeploy", "version")), "updated");

        Files.delete(jar);
        awaitTrue(() -> bundleState(token, "org.lockergate.test.hotdeploy") == null, "removed");
    }

    @Test
    public void d2_a_broken_bundle_in_deploy_is_reported_and_health_stays_up() throws Exception {
        Path jar = TestBundles.writeUnresolvable(gateway.home.resolve("deploy/broken-test.jar"),
                "org.lockergate.test.broken");
        try {
            awaitTrue(() -> gateway.get("/api/v1/health", null).body().contains("org.example.nowhere"),
                    "health names the missing package");
            HttpResponse<String> health = gateway.get("/api/v1/health", null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
        } finally {
            Files.deleteIfExists(jar);
        }
    }

    @Test
    public void d3_a_malformed_configuration_file_is_named_in_the_log_and_the_gateway_keeps_running()
            throws Exception {
        Path file = gateway.home.resolve("conf/config/org.lockergate.test.broken.config");
        Files.writeString(file, "port=I\"not typed properly\n{{{\n");
        try {
            awaitTrue(() -> gateway.logFile().contains("org.lockergate.test.broken.config"), "log names the file");
            assertThat(awaitHealthUp().statusCode()).isEqualTo(200);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void z_sigterm_stops_the_gateway_cleanly() throws Exception {
        int code = gateway.terminate(40);
        assertThat(code).as("exit code after SIGTERM").isZero();
        assertThat(gateway.console()).contains("LockerGate stopped");
        gateway = null;
    }

    @Test
    public void a_port_in_use_stops_the_start_with_the_port_named() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            try (Gateway second = Gateway.start(Map.of("LOCKERGATE_HTTP_PORT", Integer.toString(port)))) {
                assertThat(second.waitForExit(60)).isEqualTo(3);
                assertThat(second.console()).contains("Port " + port + " (LOCKERGATE_HTTP_PORT) is already in use");
            }
        }
    }

    @Test
    public void a_coap_port_in_use_stops_the_start_with_the_port_named() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0)) {
            int port = taken.getLocalPort();
            try (Gateway second = Gateway.start(Map.of("LOCKERGATE_COAP_PORT", Integer.toString(port)))) {
                assertThat(second.waitForExit(60)).isEqualTo(3);
                assertThat(second.console()).contains("UDP port " + port + " (LOCKERGATE_COAP_PORT) is already in use");
            }
        }
    }

    @Test
    public void an_invalid_port_variable_is_named() throws Exception {
        try (Gateway second = Gateway.start(Map.of("LOCKERGATE_OPCUA_PORT", "forty"))) {
            assertThat(second.waitForExit(60)).isEqualTo(2);
            assertThat(second.console()).contains("LOCKERGATE_OPCUA_PORT=forty").contains("0 to 65535");
        }
    }

    // --- helpers ---

    private static HttpResponse<String> awaitHealthUp() throws Exception {
        awaitTrue(() -> gateway.get("/api/v1/health", null).statusCode() == 200, "health 200");
        return gateway.get("/api/v1/health", null);
    }

    private static String initialAdminPassword() throws Exception {
        Path file = gateway.data.resolve("secrets/initial-admin-password");
        // the file is written first, then the operator is configured: wait for the log line that follows both
        awaitTrue(() -> Files.exists(file) && gateway.console().contains("Created user admin"),
                "initial admin created");
        awaitTrue(() -> gateway.get("/api/v1/health", null).body().contains("components satisfied"), "components up");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        return Files.readString(file).trim();
    }

    private static String login(String user, String password) throws Exception {
        HttpResponse<String> response = gateway.postJson("/api/v1/auth/login",
                JSON.writeValueAsString(Map.of("username", user, "password", password)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("token").asText();
    }

    private static String bundleState(String token, String symbolicName) throws Exception {
        return bundleField(token, symbolicName, "state");
    }

    private static String bundleField(String token, String symbolicName, String field) throws Exception {
        for (JsonNode bundle : JSON.readTree(gateway.get("/api/v1/bundles", token).body())) {
            if (symbolicName.equals(bundle.path("symbolicName").asText())) {
                return bundle.path(field).asText();
            }
        }
        return null;
    }

    private static int shellPort() throws Exception {
        Pattern listening = Pattern.compile("Remote shell listening on [^ ]*:(\\d+)");
        awaitTrue(() -> listening.matcher(gateway.console()).find(), "remote shell port logged");
        Matcher m = listening.matcher(gateway.console());
        m.find();
        return Integer.parseInt(m.group(1));
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!check.ok()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for: " + what + "\n--- console ---\n" + gateway.console());
            }
            Thread.sleep(100);
        }
    }

    /** A line-based client for the remote shell that skips telnet negotiation bytes. */
    static final class ShellClient {
        private final InputStream in;
        private final OutputStream out;

        ShellClient(Socket socket) throws IOException {
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads until the text has appeared; returns everything read. */
        String expect(String text) throws IOException {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("connection closed before '" + text + "'; got: " + seen.toString(StandardCharsets.UTF_8));
                }
                if (b == 0xFF) { // IAC: skip the command and its option
                    int command = in.read();
                    if (command >= 0xFB && command <= 0xFE) {
                        in.read();
                    }
                    continue;
                }
                seen.write(b);
                String so_far = seen.toString(StandardCharsets.UTF_8);
                if (so_far.endsWith(text) || so_far.contains(text) && so_far.endsWith(" ")) {
                    return so_far;
                }
            }
        }
    }
}
