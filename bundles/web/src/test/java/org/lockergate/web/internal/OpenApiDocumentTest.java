package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.Servlet;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code openapi.json} in step with the code: every servlet class of the bundle registers at its
 * {@code PATH} constant (the whiteboard pattern; {@code BundleJarIT} checks the packaged DS descriptors use the
 * same values), and every such path must be documented with exactly the methods the servlet implements. A servlet
 * on a prefix ({@code /parcels/*}) lists the documented paths it serves in its {@code DOCUMENTED} constant; their
 * methods together are the servlet's. The management bundle's paths are documented here too, marked with
 * {@value #BUNDLE_EXTENSION}, and checked against its servlet's pattern.
 */
class OpenApiDocumentTest {

    static final String BUNDLE_EXTENSION = "x-lockergate-bundle";

    /** The management bundle's servlet pattern ({@code ManagementServlet}), in this API context. */
    static final String MANAGEMENT_PREFIX = "/management/";

    private static JsonNode document;
    private static Map<String, Class<?>> servletsByPath;
    /** Documented path → the servlet serving it (its PATH, or one of its DOCUMENTED paths). */
    private static Map<String, Class<?>> servletsByDocumentedPath;

    @BeforeAll
    static void load() throws Exception {
        document = Json.MAPPER.readTree(OpenApiServlet.load());
        servletsByPath = servletsByPath();
        servletsByDocumentedPath = new TreeMap<>();
        for (Map.Entry<String, Class<?>> servlet : servletsByPath.entrySet()) {
            for (String path : documentedPaths(servlet.getValue(), servlet.getKey())) {
                assertThat(servletsByDocumentedPath.put(path, servlet.getValue())).as("one servlet for %s", path)
                        .isNull();
            }
        }
    }

    /** The documented paths of a servlet: its DOCUMENTED list, or its PATH. */
    @SuppressWarnings("unchecked")
    private static List<String> documentedPaths(Class<?> type, String pattern) throws Exception {
        try {
            return (List<String>) type.getField("DOCUMENTED").get(null);
        } catch (NoSuchFieldException e) {
            assertThat(pattern).as("%s on a prefix pattern lists its DOCUMENTED paths", type).doesNotEndWith("/*");
            return List.of(pattern);
        }
    }

    @Test
    void the_session_cookie_is_documented_as_a_second_security_scheme() {
        assertThat(document.at("/components/securitySchemes/cookieAuth/name").asText()).isEqualTo(Sessions.COOKIE);
        assertThat(document.at("/security/1").has("cookieAuth")).isTrue();
    }

    @Test
    void it_is_openapi_3_1_for_the_api_context_with_bearer_security() {
        assertThat(document.get("openapi").asText()).startsWith("3.1.");
        assertThat(document.at("/servers/0/url").asText()).isEqualTo(ApiContext.PATH);
        assertThat(document.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/security/0").has("bearerAuth")).isTrue();
        assertThat(document.at("/components/schemas/Error/required").toString())
                .isEqualTo("[\"error\",\"message\",\"status\"]");
    }

    @Test
    void every_servlet_path_is_documented_with_the_methods_it_implements() throws Exception {
        assertThat(servletsByPath).isNotEmpty();
        for (Map.Entry<String, Class<?>> servlet : servletsByPath.entrySet()) {
            Set<String> documented = new TreeSet<>();
            for (String documentedPath : documentedPaths(servlet.getValue(), servlet.getKey())) {
                JsonNode path = document.get("paths").get(documentedPath);
                assertThat(path).as("openapi.json documents %s (%s)", documentedPath,
                        servlet.getValue().getSimpleName()).isNotNull();
                assertThat(path.has(BUNDLE_EXTENSION)).isFalse();
                documented.addAll(fieldNames(path));
            }
            ApiServlet instance = (ApiServlet) servlet.getValue().getConstructor().newInstance();
            Set<String> implemented = instance.methods().stream()
                    .map(method -> method.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(documented).as("methods documented for %s", servlet.getKey())
                    .containsExactlyInAnyOrderElementsOf(implemented);
        }
    }

    @Test
    void every_documented_path_is_served_by_this_bundle_or_the_management_bundle() {
        List<String> ours = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> {
            JsonNode bundle = path.getValue().get(BUNDLE_EXTENSION);
            if (bundle == null) {
                ours.add(path.getKey());
            } else {
                assertThat(bundle.asText()).isEqualTo("org.lockergate.management");
                assertThat(path.getKey()).startsWith(MANAGEMENT_PREFIX);
                assertThat(fieldNames(path.getValue())).as(path.getKey()).isNotEmpty()
                        .allSatisfy(method -> assertThat(method).isIn("get", "put", "post", "delete",
                                BUNDLE_EXTENSION));
            }
        });
        assertThat(ours).containsExactlyInAnyOrderElementsOf(servletsByDocumentedPath.keySet());
    }

    @Test
    void the_management_bundles_reads_of_features_and_configuration_are_documented() {
        assertThat(document.at("/paths/~1management~1features/get").isMissingNode()).isFalse();
        assertThat(document.at("/paths/~1management~1configuration/get").isMissingNode()).isFalse();
        assertThat(document.at("/paths/~1management~1inventory/get").isMissingNode()).isFalse();
    }

    @Test
    void every_operation_has_an_id_a_summary_and_a_success_response_with_an_example_where_it_returns_json() {
        Set<String> ids = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (op.getKey().startsWith("x-")) {
                return;
            }
            JsonNode operation = op.getValue();
            assertThat(ids.add(operation.get("operationId").asText())).as("unique operationId").isTrue();
            assertThat(operation.get("summary").asText()).isNotBlank();
            assertThat(fieldNames(operation.get("responses"))).anyMatch(status -> status.startsWith("2"));
        }));
        for (String schema : List.of("Group", "Compartment", "Parcel", "Alarm", "AuditEntry", "Event",
                "CourierCompany", "Session", "Cabinet")) {
            assertThat(document.at("/components/schemas/" + schema + "/example").isMissingNode())
                    .as("example of %s", schema).isFalse();
        }
    }

    @Test
    void the_anonymous_operations_are_exactly_those_the_auth_filter_lets_through() {
        Set<String> anonymous = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().forEach(operation -> {
            JsonNode security = operation.get("security");
            if (security != null && security.isEmpty()) {
                anonymous.add(path.getKey());
            }
        }));
        assertThat(anonymous).containsExactlyInAnyOrderElementsOf(AuthFilter.ANONYMOUS);
    }

    @Test
    void every_reference_resolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(document.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
        }
    }

    @Test
    void it_is_served_as_json() throws Exception {
        try (ApiServer api = new ApiServer()) {
            HttpResponse<String> response = api.get("/openapi.json");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(ApiServer.json(response)).isEqualTo(document);
        }
    }

    /** Every concrete servlet class compiled into the bundle, by its PATH; the /* fallback is not an endpoint. */
    private static Map<String, Class<?>> servletsByPath() throws Exception {
        Path classes = Path.of(ApiServlet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Class<?>> byPath = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(file -> file.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
            Class<?> type = Class.forName(name.substring(0, name.length() - ".class".length()));
            if (!Servlet.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())) {
                continue;
            }
            Field path = type.getField("PATH"); // a servlet without a PATH constant fails here
            String pattern = (String) path.get(null);
            if (pattern.equals(FallbackServlet.PATH)) {
                continue;
            }
            assertThat(ApiServlet.class).as("%s extends ApiServlet", type).isAssignableFrom(type);
            assertThat(byPath.put(pattern, type)).as("one servlet for %s", pattern).isNull();
        }
        return byPath;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

}
