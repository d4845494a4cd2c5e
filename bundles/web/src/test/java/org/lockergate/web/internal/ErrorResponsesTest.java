package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {

    private static final String LOGIN = "{\"username\":\"admin\",\"password\":\"admin-pw\"}";

    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer(true,
                "/test/failing", new FailingResource(),
                "/test/teapot", new SendErrorServlet(),
                "/test/escaping", new EscapingServlet());
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void an_unknown_path_is_404_not_found_once_authenticated() {
        HttpResponse<String> response = api.get("/groups/g1/parcels", api.bearer("admin"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertJsonError(response, "not_found", 404);
        assertThat(api.get("/", api.bearer("admin")).statusCode()).isEqualTo(404);
    }

    @Test
    void a_wrong_method_is_405_with_allow() {
        HttpResponse<String> response = api.post("/health", "{}");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertJsonError(response, "method_not_allowed", 405);

        HttpResponse<String> login = api.get("/auth/login");
        assertThat(login.statusCode()).isEqualTo(405);
        assertThat(login.headers().firstValue("Allow")).hasValue("POST");

        HttpResponse<String> delete = api.send("DELETE", "/bundles", null, BodyPublishers.noBody(),
                api.bearer("admin"));
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void head_is_answered_where_get_is() {
        HttpResponse<String> response = api.send("HEAD", "/health", null, BodyPublishers.noBody());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void malformed_json_is_400_bad_request() {
        HttpResponse<String> response = api.post("/auth/login", "{\"username\":\"admin\",");

        assertThat(response.statusCode()).isEqualTo(400);
        assertJsonError(response, "bad_request", 400);
        assertThat(ApiServer.json(response).get("message").asText()).isEqualTo("请求体不是有效的 JSON");
    }

    @Test
    void a_body_that_is_not_an_object_or_has_duplicate_keys_is_400() {
        assertJsonError(api.post("/auth/login", "[1,2]"), "bad_request", 400);
        assertJsonError(api.post("/auth/login", ""), "bad_request", 400);
        assertJsonError(api.post("/auth/login",
                "{\"username\":\"x\",\"username\":\"admin\",\"password\":\"admin-pw\"}"), "bad_request", 400);
    }

    @Test
    void a_body_over_64_kib_is_413_with_or_without_content_length() {
        String big = "{\"username\":\"admin\",\"password\":\"" + "x".repeat(70 * 1024) + "\"}";

        HttpResponse<String> sized = api.post("/auth/login", big);
        assertThat(sized.statusCode()).isEqualTo(413);
        assertJsonError(sized, "payload_too_large", 413);
        assertThat(ApiServer.json(sized).get("maxBytes").asInt()).isEqualTo(65536);

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = api.send("POST", "/auth/login", "application/json",
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertJsonError(chunked, "payload_too_large", 413);
    }

    @Test
    void exactly_64_kib_is_still_read() {
        String prefix = "{\"username\":\"admin\",\"password\":\"admin-pw\",\"pad\":\"";
        String body = prefix + "x".repeat(65536 - prefix.length() - 2) + "\"}";
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(65536);

        assertThat(api.post("/auth/login", body).statusCode()).isEqualTo(200);
    }

    @Test
    void a_body_that_is_not_utf8_json_is_415() {
        HttpResponse<String> text = api.send("POST", "/auth/login", "text/plain", BodyPublishers.ofString(LOGIN));
        assertThat(text.statusCode()).isEqualTo(415);
        assertJsonError(text, "unsupported_media_type", 415);

        HttpResponse<String> none = api.send("POST", "/auth/login", null, BodyPublishers.ofString(LOGIN));
        assertThat(none.statusCode()).isEqualTo(415);

        HttpResponse<String> latin1 = api.send("POST", "/auth/login", "application/json; charset=ISO-8859-1",
                BodyPublishers.ofString(LOGIN));
        assertThat(latin1.statusCode()).isEqualTo(415);

        HttpResponse<String> utf8 = api.send("POST", "/auth/login", "Application/JSON; charset=\"UTF-8\"",
                BodyPublishers.ofString(LOGIN));
        assertThat(utf8.statusCode()).isEqualTo(200);
    }

    @Test
    void messages_are_chinese_by_default_and_english_when_preferred() {
        HttpResponse<String> chinese = api.get("/bundles");
        assertThat(ApiServer.json(chinese).get("message").asText()).startsWith("需要登录");
        assertThat(chinese.headers().firstValue("Content-Language")).hasValue("zh-CN");

        HttpResponse<String> english = api.get("/bundles", "Accept-Language", "en-US,en;q=0.9,zh-CN;q=0.5");
        assertThat(ApiServer.json(english).get("message").asText())
                .isEqualTo("Login required: send a valid Bearer token in the Authorization header");
        assertThat(english.headers().firstValue("Content-Language")).hasValue("en");
        assertThat(ApiServer.json(english).get("error").asText()).isEqualTo("unauthorized");

        HttpResponse<String> chineseFirst = api.get("/bundles", "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8");
        assertThat(ApiServer.json(chineseFirst).get("message").asText()).startsWith("需要登录");

        HttpResponse<String> frenchThenEnglish = api.get("/bundles", "Accept-Language", "fr-FR, en;q=0.5");
        assertThat(ApiServer.json(frenchThenEnglish).get("message").asText()).startsWith("Login required");

        HttpResponse<String> frenchOnly = api.get("/bundles", "Accept-Language", "fr-FR");
        assertThat(ApiServer.json(frenchOnly).get("message").asText()).startsWith("需要登录");
    }

    @Test
    void every_response_carries_nosniff_and_no_store() {
        for (HttpResponse<String> response : new HttpResponse[] {
                api.get("/health"), api.get("/openapi.json"), api.get("/bundles"), api.post("/auth/login", "{")}) {
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
    }

    @Test
    void an_unexpected_exception_is_500_without_any_detail() {
        HttpResponse<String> response = api.get("/test/failing", api.bearer("admin"));

        assertThat(response.statusCode()).isEqualTo(500);
        assertJsonError(response, "internal_error", 500);
        assertThat(response.body()).doesNotContain("database password", "IllegalStateException", "at org.");
    }

    @Test
    void errors_the_container_raises_are_json_too() {
        HttpResponse<String> teapot = api.get("/test/teapot", api.bearer("admin"));
        assertThat(teapot.statusCode()).isEqualTo(418);
        assertJsonError(teapot, "client_error", 418);
        assertThat(teapot.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));

        HttpResponse<String> escaped = api.get("/test/escaping", "Authorization", "Bearer " + api.identity.tokenFor("admin"),
                "Accept-Language", "en");
        assertThat(escaped.statusCode()).isEqualTo(500);
        assertJsonError(escaped, "internal_error", 500);
        assertThat(escaped.body()).doesNotContain("secret", "Exception");
    }

    private static void assertJsonError(HttpResponse<String> response, String code, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    /** A resource with a bug. */
    static final class FailingResource extends ApiServlet {
        private static final long serialVersionUID = 1L;

        FailingResource() {
            super("GET");
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            throw new IllegalStateException("database password is hunter2");
        }
    }

    /** A plain servlet that lets the container write the error. */
    static final class SendErrorServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.sendError(418, "<html>teapot</html>");
        }
    }

    /** A plain servlet whose exception reaches the container. */
    static final class EscapingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            throw new IllegalStateException("secret");
        }
    }
}
