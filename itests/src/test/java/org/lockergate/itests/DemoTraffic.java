package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the demo's simulated couriers did, read from outside the gateway process: every deposit whose pickup code
 * the development notifier wrote to {@code data/logs/notifications.log} was acknowledged (the code goes out only
 * after the deposit is on disk), so after a test each of them must be in the database.
 */
final class DemoTraffic {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoTraffic() {
    }

    static Path notices(Path data) {
        return data.resolve("logs/notifications.log");
    }

    /** Parcel ids of the acknowledged deposits so far. */
    static List<String> deposits(Path data) throws IOException {
        Path notices = notices(data);
        if (!Files.isRegularFile(notices)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(notices, StandardCharsets.UTF_8)) {
            if (line.startsWith("{") && line.endsWith("}")) {
                ids.add(JSON.readTree(line).get("parcelId").asText());
            }
        }
        return ids;
    }

    static void awaitDeposits(Path data, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (deposits(data).size() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("only " + deposits(data).size() + " deposits within 90 s, expected " + count);
            }
            Thread.sleep(250);
        }
    }

    /** The parcel ids in the stopped gateway's database. */
    static Set<String> storedParcels(Path data) throws SQLException {
        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db/lockergate"), "sa", "");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT parcel_id FROM parcel")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        return stored;
    }

    /** A bearer token of the demo's admin account (conf/demo, only with --demo). */
    static String adminToken(Gateway gateway) throws Exception {
        var login = gateway.postJson("/api/v1/auth/login",
                "{\"username\":\"demo-admin\",\"password\":\"demo-admin-2026\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return JSON.readTree(login.body()).get("token").asText();
    }
}
