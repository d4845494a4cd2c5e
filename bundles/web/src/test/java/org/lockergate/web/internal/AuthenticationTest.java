package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthenticationTest {

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
    void bundles_without_a_token_is_401_with_a_bearer_challenge() {
        HttpResponse<String> response = api.get("/bundles");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"lockergate\"");
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("unauthorized");
        assertThat(body.get("status").asInt()).isEqualTo(401);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    @Test
    void bundles_with_an_unknown_token_is_401_invalid_token() {
        HttpResponse<String> response = api.get("/bundles", "Authorization", "Bearer not-a-token");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"lockergate\", error=\"invalid_token\"");
        assertThat(ApiServer.json(response).get("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void other_authorization_schemes_are_not_credentials() {
        HttpResponse<String> response = api.get("/bundles", "Authorization", "Basic YWRtaW46YWRtaW4tcHc=");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"lockergate\"");
    }

    @Test
    void the_scheme_name_is_case_insensitive() {
        String token = api.identity.tokenFor("admin");

        assertThat(api.get("/bundles", "Authorization", "bearer " + token).statusCode()).isEqualTo(200);
    }

    @Test
    void a_property_user_is_403_on_bundles() {
        HttpResponse<String> response = api.get("/bundles", api.bearer("prop"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(ApiServer.json(response).get("error").asText()).isEqualTo("forbidden");
    }

    @Test
    void an_unknown_path_without_a_token_is_401_not_404() {
        assertThat(api.get("/groups").statusCode()).isEqualTo(401);
        assertThat(api.get("/health/../bundles").statusCode()).isEqualTo(401);
        assertThat(api.get("/health/").statusCode()).isEqualTo(401);
    }

    @Test
    void without_an_identity_service_protected_paths_fail_closed_with_503() {
        api.authFilter.identity = null;

        HttpResponse<String> response = api.get("/bundles", "Authorization", "Bearer anything");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(ApiServer.json(response).get("service").asText()).isEqualTo("identity");
        assertThat(api.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void a_resource_reached_without_the_filter_fails_closed() throws Exception {
        try (ApiServer unfiltered = new ApiServer(false)) {
            HttpResponse<String> response = unfiltered.get("/bundles", unfiltered.bearer("admin"));

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(ApiServer.json(response).get("error").asText()).isEqualTo("unauthorized");
        }
    }
}
