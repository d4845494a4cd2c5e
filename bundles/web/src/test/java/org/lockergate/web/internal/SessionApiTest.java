package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Browser sessions: the login cookie, GET /session, CSRF on cookie-authenticated changes, audited logins. */
class SessionApiTest {

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
    void login_sets_an_http_only_same_site_strict_cookie_and_returns_the_csrf_token() {
        HttpResponse<String> response = api.post("/login", "{\"user\":\"prop\",\"password\":\"prop-pw\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("username").asText()).isEqualTo("prop");
        assertThat(body.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(body.get("csrfToken").asText()).isNotBlank();
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(Sessions.COOKIE + "=" + body.get("token").asText() + ";")
                .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=");
        assertThat(api.locker.actions()).contains("operator:prop operator.login prop");
    }

    @Test
    void session_tells_who_is_logged_in_by_cookie_with_the_same_csrf_token() {
        JsonNode login = ApiServer.json(api.post("/login", "{\"user\":\"zto\",\"password\":\"zto-pw\"}"));
        String cookie = Sessions.COOKIE + "=" + login.get("token").asText();

        HttpResponse<String> session = api.get("/session", "Cookie", cookie);

        assertThat(session.statusCode()).isEqualTo(200);
        JsonNode body = ApiServer.json(session);
        assertThat(body.get("user").asText()).isEqualTo("zto");
        assertThat(body.get("roles").toString()).isEqualTo("[\"courier-company\"]");
        assertThat(body.get("company").asText()).isEqualTo("ZTO");
        assertThat(body.get("csrfToken").asText()).isEqualTo(login.get("csrfToken").asText());
        assertThat(body.get("authenticatedBy").asText()).isEqualTo("cookie");
        assertThat(ApiServer.json(api.get("/session", api.bearer("tech"))).get("authenticatedBy").asText())
                .isEqualTo("bearer");
    }

    @Test
    void a_cookie_session_needs_the_csrf_header_to_change_anything_and_a_bearer_token_does_not() {
        JsonNode login = ApiServer.json(api.post("/login", "{\"user\":\"prop\",\"password\":\"prop-pw\"}"));
        String cookie = Sessions.COOKIE + "=" + login.get("token").asText();

        // reads need no CSRF token
        assertThat(api.get("/alarms", "Cookie", cookie).statusCode()).isEqualTo(200);

        HttpResponse<String> missing = api.post("/alarms/7/ack", "{}", "Cookie", cookie);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(ApiServer.json(missing).get("error").asText()).isEqualTo("csrf_token_missing");
        HttpResponse<String> wrong = api.post("/alarms/7/ack", "{}", "Cookie", cookie, "X-CSRF-Token", "forged");
        assertThat(ApiServer.json(wrong).get("error").asText()).isEqualTo("csrf_token_invalid");
        // another session's token does not fit this one
        String other = ApiServer.json(api.post("/login", "{\"user\":\"tech\",\"password\":\"tech-pw\"}"))
                .get("csrfToken").asText();
        assertThat(api.post("/alarms/7/ack", "{}", "Cookie", cookie, "X-CSRF-Token", other).statusCode())
                .isEqualTo(403);
        assertThat(api.locker.alarms.get(0).acknowledged()).isFalse();

        HttpResponse<String> ok = api.post("/alarms/7/ack", "{}", "Cookie", cookie, "X-CSRF-Token",
                login.get("csrfToken").asText());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(ok).get("acknowledgedBy").asText()).isEqualTo("operator:prop");

        assertThat(api.post("/compartments/g1/2/disable", "{\"reason\":\"x\"}", api.bearer("prop")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void logout_by_cookie_ends_the_session_clears_the_cookie_and_is_audited() {
        JsonNode login = ApiServer.json(api.post("/login", "{\"username\":\"prop\",\"password\":\"prop-pw\"}"));
        String cookie = Sessions.COOKIE + "=" + login.get("token").asText();

        HttpResponse<String> out = api.post("/auth/logout", "", "Cookie", cookie, "X-CSRF-Token",
                login.get("csrfToken").asText());

        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(api.get("/session", "Cookie", cookie).statusCode()).isEqualTo(401);
        assertThat(api.locker.actions()).contains("operator:prop operator.logout prop");
    }

    @Test
    void a_refused_login_sets_no_cookie_and_is_audited() {
        HttpResponse<String> response = api.post("/login", "{\"user\":\"prop\",\"password\":\"wrong\"}");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(api.locker.actions()).contains("anonymous operator.login_refused prop");
        HttpResponse<String> missing = api.post("/login", "{\"password\":\"x\"}");
        assertThat(ApiServer.json(missing).get("field").asText()).isEqualTo("user");
    }
}
