package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.health.HealthCheck;
import org.lockergate.health.HealthReport;

class HealthApiTest {

    private static final Instant CHECKED_AT = Instant.parse("2026-03-01T02:03:04.500Z");

    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void health_is_200_with_every_check_when_up_and_needs_no_token() {
        api.healthReport = HealthReport.of(CHECKED_AT, List.of(
                HealthCheck.up("bundles", true, "all 12 core bundles ACTIVE", Map.of("active", 12)),
                HealthCheck.down("vendor", false, "org.lockergate.vendor.cu48 is RESOLVED", Map.of())));

        HttpResponse<String> response = api.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json").containsIgnoringCase("charset=utf-8"));
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("checkedAt").asText()).isEqualTo("2026-03-01T02:03:04.500Z");
        assertThat(body.get("checks")).hasSize(2);
        JsonNode first = body.get("checks").get(0);
        assertThat(first.get("name").asText()).isEqualTo("bundles");
        assertThat(first.get("status").asText()).isEqualTo("UP");
        assertThat(first.get("critical").asBoolean()).isTrue();
        assertThat(first.get("message").asText()).isEqualTo("all 12 core bundles ACTIVE");
        assertThat(first.get("details").get("active").asInt()).isEqualTo(12);
        assertThat(body.get("checks").get(1).get("details").isObject()).isTrue();
    }

    @Test
    void health_is_503_with_the_same_body_naming_what_is_down() {
        api.healthReport = HealthReport.of(CHECKED_AT, List.of(
                HealthCheck.down("store", true, "H2 database data/lockergate.mv.db is not writable", Map.of())));

        HttpResponse<String> response = api.get("/health");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.get("checks").get(0).get("message").asText()).contains("data/lockergate.mv.db");
        assertThat(body.has("error")).isFalse();
    }

    @Test
    void health_is_503_service_unavailable_when_no_health_service_runs() {
        api.healthServlet.health = null;

        HttpResponse<String> response = api.get("/health");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("service_unavailable");
        assertThat(body.get("service").asText()).isEqualTo("health");
        assertThat(body.get("status").asInt()).isEqualTo(503);
        assertThat(body.get("message").asText()).contains("HealthService");
    }
}
