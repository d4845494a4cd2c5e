package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoginApiTest {

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
    void login_answers_a_bearer_token_with_the_operator_and_throttles_by_client_ip() {
        HttpResponse<String> response = api.post("/auth/login", "{\"username\":\"admin\",\"password\":\"admin-pw\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("token").asText()).isNotBlank();
        assertThat(body.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(body.get("expiresAt").asText()).isEqualTo("2030-01-01T08:00:00Z");
        assertThat(body.get("username").asText()).isEqualTo("admin");
        assertThat(body.get("roles")).hasSize(1);
        assertThat(body.get("roles").get(0).asText()).isEqualTo("admin");
        assertThat(body.has("company")).isTrue();
        assertThat(body.get("company").isNull()).isTrue();
        assertThat(api.identity.lastOrigin).isEqualTo("127.0.0.1");

        String token = body.get("token").asText();
        assertThat(api.get("/bundles", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    }

    @Test
    void a_courier_company_viewer_gets_its_company() {
        JsonNode body = ApiServer.json(api.post("/auth/login", "{\"username\":\"zto\",\"password\":\"zto-pw\"}"));

        assertThat(body.get("roles").get(0).asText()).isEqualTo("courier-company");
        assertThat(body.get("company").asText()).isEqualTo("ZTO");
    }

    @Test
    void wrong_password_is_401_bad_credentials_with_attempts_left() {
        HttpResponse<String> response = api.post("/auth/login", "{\"username\":\"admin\",\"password\":\"guess\"}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"lockergate\"");
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("bad_credentials");
        assertThat(body.get("status").asInt()).isEqualTo(401);
        assertThat(body.get("attemptsLeft").asInt()).isEqualTo(4);
        assertThat(body.get("message").asText()).isEqualTo("用户名或密码错误，还可尝试 4 次");
    }

    @Test
    void a_locked_login_is_429_with_locked_until_and_retry_after() {
        Instant now = Instant.parse("2026-05-01T10:00:00Z");
        api.loginServlet.clock = Clock.fixed(now, ZoneOffset.UTC);
        api.identity.lockedUntil = now.plusSeconds(299).plusMillis(400);

        HttpResponse<String> response = api.post("/auth/login", "{\"username\":\"admin\",\"password\":\"admin-pw\"}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("300");
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("locked");
        assertThat(body.get("status").asInt()).isEqualTo(429);
        assertThat(body.get("lockedUntil").asText()).isEqualTo("2026-05-01T10:04:59.400Z");
        assertThat(body.get("message").asText()).contains("300");
    }

    @Test
    void a_missing_password_is_400_naming_the_field() {
        HttpResponse<String> response = api.post("/auth/login", "{\"username\":\"admin\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("bad_request");
        assertThat(body.get("field").asText()).isEqualTo("password");
        assertThat(body.get("message").asText()).contains("password");
    }

    @Test
    void a_username_that_is_not_a_string_is_400_naming_the_field() {
        JsonNode body = ApiServer.json(api.post("/auth/login", "{\"username\":42,\"password\":\"x\"}"));

        assertThat(body.get("error").asText()).isEqualTo("bad_request");
        assertThat(body.get("field").asText()).isEqualTo("username");
    }

    @Test
    void logout_ends_the_token_and_answers_204() {
        String[] bearer = api.bearer("tech");

        HttpResponse<String> response = api.post("/auth/logout", "", bearer);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(api.get("/bundles", bearer).statusCode()).isEqualTo(401);
    }

    @Test
    void logout_without_a_token_is_401() {
        assertThat(api.post("/auth/logout", "").statusCode()).isEqualTo(401);
    }

    @Test
    void login_is_503_when_no_identity_service_runs() {
        api.loginServlet.identity = null;

        HttpResponse<String> response = api.post("/auth/login", "{\"username\":\"admin\",\"password\":\"admin-pw\"}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(ApiServer.json(response).get("service").asText()).isEqualTo("identity");
    }
}
