package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PasswordApiTest {

    private static final String CHANGE = "{\"currentPassword\":\"tech-pw\",\"newPassword\":\"a-long-new-password\"}";

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
    void a_change_answers_204_for_the_tokens_operator_and_ends_its_tokens() {
        String[] bearer = api.bearer("tech");

        HttpResponse<String> response = api.post("/auth/password", CHANGE, bearer);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(api.identity.lastPassword).isEqualTo("tech-pw");
        assertThat(api.identity.lastNewPassword).isEqualTo("a-long-new-password");
        assertThat(api.identity.lastOrigin).isEqualTo("127.0.0.1");
        assertThat(api.get("/bundles", bearer).statusCode()).isEqualTo(401);
    }

    @Test
    void the_user_name_comes_from_the_token_never_from_the_body() {
        HttpResponse<String> response = api.post("/auth/password",
                "{\"username\":\"admin\",\"currentPassword\":\"tech-pw\",\"newPassword\":\"a-long-new-password\"}",
                api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(204); // tech's current password, so it was tech's change
    }

    @Test
    void any_role_may_change_its_own_password() {
        HttpResponse<String> response = api.post("/auth/password",
                "{\"currentPassword\":\"zto-pw\",\"newPassword\":\"a-long-new-password\"}", api.bearer("zto"));

        assertThat(response.statusCode()).isEqualTo(204);
    }

    @Test
    void without_a_token_it_is_401_unauthorized() {
        HttpResponse<String> response = api.post("/auth/password", CHANGE);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(ApiServer.json(response).get("error").asText()).isEqualTo("unauthorized");
        assertThat(api.identity.lastNewPassword).isNull();
    }

    @Test
    void a_wrong_current_password_is_401_bad_credentials_with_attempts_left() {
        HttpResponse<String> response = api.post("/auth/password",
                "{\"currentPassword\":\"guess\",\"newPassword\":\"a-long-new-password\"}", api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"lockergate\"");
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("bad_credentials");
        assertThat(body.get("attemptsLeft").asInt()).isEqualTo(4);
        assertThat(body.get("message").asText()).isEqualTo("当前密码错误，还可尝试 4 次");

        HttpResponse<String> english = api.post("/auth/password",
                "{\"currentPassword\":\"guess\",\"newPassword\":\"a-long-new-password\"}",
                concat(api.bearer("tech"), "Accept-Language", "en"));
        assertThat(ApiServer.json(english).get("message").asText())
                .isEqualTo("The current password is wrong; 4 attempts left");
    }

    @Test
    void a_locked_user_name_is_429_with_retry_after() {
        Instant now = Instant.parse("2026-05-01T10:00:00Z");
        api.passwordServlet.clock = Clock.fixed(now, ZoneOffset.UTC);
        api.identity.lockedUntil = now.plusSeconds(120);

        HttpResponse<String> response = api.post("/auth/password", CHANGE, api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("120");
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("locked");
        assertThat(body.get("lockedUntil").asText()).isEqualTo("2026-05-01T10:02:00Z");
    }

    @Test
    void a_weak_new_password_is_400_weak_password_with_the_rule_in_both_languages() {
        String weak = "{\"currentPassword\":\"tech-pw\",\"newPassword\":\"short\"}";

        HttpResponse<String> response = api.post("/auth/password", weak, api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("weak_password");
        assertThat(body.get("rule").asText()).isEqualTo("too_short");
        assertThat(body.get("minLength").asInt()).isEqualTo(10);
        assertThat(body.get("message").asText()).isEqualTo("新密码至少 10 个字符");

        JsonNode english = ApiServer.json(api.post("/auth/password", weak,
                concat(api.bearer("tech"), "Accept-Language", "en-US,en;q=0.9")));
        assertThat(english.get("message").asText()).isEqualTo("The new password must have at least 10 characters");
    }

    @Test
    void a_new_password_equal_to_the_user_name_names_that_rule() {
        HttpResponse<String> response = api.post("/auth/password",
                "{\"currentPassword\":\"prop-pw\",\"newPassword\":\"PROP\"}", api.bearer("prop"));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("rule").asText()).isEqualTo("same_as_username");
        assertThat(body.get("message").asText()).isEqualTo("新密码不能与用户名相同");
        assertThat(Messages.EN.text("weak_password.too_common")).startsWith("The new password is too common");
    }

    @Test
    void an_operator_defined_in_a_file_is_409_naming_the_file() {
        api.identity.definedInFile = "/opt/lockergate/conf/config/org.lockergate.identity.user-tech.config";

        HttpResponse<String> response = api.post("/auth/password", CHANGE, api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("defined_in_file");
        assertThat(body.get("status").asInt()).isEqualTo(409);
        assertThat(body.get("file").asText()).isEqualTo(api.identity.definedInFile);
        assertThat(body.get("message").asText()).isEqualTo("此账号由文件 " + api.identity.definedInFile
                + " 定义，请修改该文件（bin/lockergate-passwd 可生成密码哈希）");
    }

    @Test
    void a_missing_new_password_is_400_naming_the_field() {
        HttpResponse<String> response = api.post("/auth/password", "{\"currentPassword\":\"tech-pw\"}",
                api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("bad_request");
        assertThat(body.get("field").asText()).isEqualTo("newPassword");
    }

    @Test
    void only_post_is_allowed() {
        HttpResponse<String> response = api.send("PUT", "/auth/password", "application/json",
                BodyPublishers.ofString(CHANGE), api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void it_is_503_when_no_identity_service_runs() {
        String[] bearer = api.bearer("tech");
        api.passwordServlet.identity = null;

        HttpResponse<String> response = api.post("/auth/password", CHANGE, bearer);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(ApiServer.json(response).get("service").asText()).isEqualTo("identity");
    }

    private static String[] concat(String[] headers, String... more) {
        String[] all = new String[headers.length + more.length];
        System.arraycopy(headers, 0, all, 0, headers.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }
}
