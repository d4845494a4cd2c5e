package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

class BundlesApiTest {

    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer();
        api.bundles.addAll(List.of(
                FakeBundles.bundle(7, "org.lockergate.web", "0.1.0.SNAPSHOT", Bundle.ACTIVE, null),
                FakeBundles.bundle(0, "org.apache.felix.framework", "7.0.5", Bundle.ACTIVE, null),
                FakeBundles.bundle(12, "org.lockergate.vendor.cu48", "1.0.0", Bundle.RESOLVED, null),
                FakeBundles.bundle(3, "org.lockergate.i18n.zh", "1.0.0", Bundle.RESOLVED, "org.lockergate.web"),
                FakeBundles.bundle(9, "org.lockergate.store", "1.2.0", Bundle.INSTALLED, null)));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void bundles_are_listed_by_id_with_state_names_and_fragments() {
        HttpResponse<String> response = api.get("/bundles", api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        JsonNode body = ApiServer.json(response);
        assertThat(body.isArray()).isTrue();
        List<Long> ids = new ArrayList<>();
        body.forEach(bundle -> ids.add(bundle.get("id").asLong()));
        assertThat(ids).containsExactly(0L, 3L, 7L, 9L, 12L);

        JsonNode fragment = body.get(1);
        assertThat(fieldNames(fragment))
                .containsExactlyInAnyOrder("id", "symbolicName", "version", "state", "location", "fragment");
        assertThat(fragment.get("symbolicName").asText()).isEqualTo("org.lockergate.i18n.zh");
        assertThat(fragment.get("version").asText()).isEqualTo("1.0.0");
        assertThat(fragment.get("state").asText()).isEqualTo("RESOLVED");
        assertThat(fragment.get("location").asText()).isEqualTo("file:bundle/org.lockergate.i18n.zh.jar");
        assertThat(fragment.get("fragment").asBoolean()).isTrue();
        assertThat(body.get(0).get("fragment").asBoolean()).isFalse();
        assertThat(body.get(0).get("state").asText()).isEqualTo("ACTIVE");
        assertThat(body.get(3).get("state").asText()).isEqualTo("INSTALLED");
    }

    @Test
    void an_admin_may_list_bundles_too() {
        assertThat(api.get("/bundles", api.bearer("admin")).statusCode()).isEqualTo(200);
    }

    @Test
    void every_bundle_state_has_its_name() {
        assertThat(BundlesServlet.stateName(Bundle.STARTING)).isEqualTo("STARTING");
        assertThat(BundlesServlet.stateName(Bundle.STOPPING)).isEqualTo("STOPPING");
        assertThat(BundlesServlet.stateName(Bundle.UNINSTALLED)).isEqualTo("UNINSTALLED");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
