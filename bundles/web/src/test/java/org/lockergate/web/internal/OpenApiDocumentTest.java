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
 * same values), and every such path must be documented with exactly the methods the servlet implements.
 */
class OpenApiDocumentTest {

    private static JsonNode document;
    private static Map<String, Class<?>> servletsByPath;

    @BeforeAll
    static void load() throws Exception {
        document = Json.MAPPER.readTree(OpenApiServlet.load());
        servletsByPath = servletsByPath();
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
            ApiServlet instance = (ApiServlet) servlet.getValue().getConstructor().newInstance();
            Set<String> implemented = instance.methods().stream()
                    .map(method -> method.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (servlet.getKey().endsWith("/*")) {
                // a servlet for templated sub-paths ({id}, {id}/action): documented by those paths together
                List<String> subPaths = templatedPathsOf(servlet.getKey());
                assertThat(subPaths).as("openapi.json documents sub-paths of %s", servlet.getKey()).isNotEmpty();
                Set<String> documented = new TreeSet<>();
                subPaths.forEach(sub -> documented.addAll(fieldNames(document.get("paths").get(sub))));
                assertThat(documented).as("methods documented under %s", servlet.getKey())
                        .containsExactlyInAnyOrderElementsOf(implemented);
                continue;
            }
            JsonNode path = document.get("paths").get(servlet.getKey());
            assertThat(path).as("openapi.json documents %s (%s)", servlet.getKey(), servlet.getValue().getSimpleName())
                    .isNotNull();
            assertThat(fieldNames(path)).as("methods documented for %s", servlet.getKey())
                    .containsExactlyInAnyOrderElementsOf(implemented);
        }
    }

    @Test
    void every_documented_path_is_served() {
        Set<String> served = new TreeSet<>();
        for (String path : fieldNames(document.get("paths"))) {
            served.add(servletsByPath.containsKey(path) ? path : path.replaceFirst("/\\{[^/]*}.*$", "/*"));
        }
        assertThat(served).containsExactlyInAnyOrderElementsOf(servletsByPath.keySet());
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

    /** The documented paths {@code prefix/{param}…} a {@code prefix/*} servlet serves. */
    private static List<String> templatedPathsOf(String wildcard) {
        String prefix = wildcard.substring(0, wildcard.length() - 1) + "{";
        return fieldNames(document.get("paths")).stream().filter(p -> p.startsWith(prefix)).toList();
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
