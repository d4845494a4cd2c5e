package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Checks the packaged bundle as Felix will see it: the manifest bnd generated and the DS descriptors of the
 * whiteboard registrations. Runs after {@code package} (failsafe), on {@code target/org.lockergate.web-*.jar}.
 */
class BundleJarIT {

    private static JarFile jar;
    private static Attributes manifest;
    private static List<Component> components;

    @BeforeAll
    static void open() throws Exception {
        Path target = Path.of("target");
        Path file;
        try (Stream<Path> files = Files.list(target)) {
            file = files.filter(path -> path.getFileName().toString().matches("org\\.lockergate\\.web-.*\\.jar"))
                    .filter(path -> !path.getFileName().toString().endsWith("-sources.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no bundle jar in " + target));
        }
        jar = new JarFile(file.toFile());
        manifest = jar.getManifest().getMainAttributes();
        components = components();
    }

    @AfterAll
    static void close() throws IOException {
        jar.close();
    }

    @Test
    void it_exports_nothing_and_embeds_no_library() {
        assertThat(manifest.getValue("Bundle-SymbolicName")).isEqualTo("org.lockergate.web");
        assertThat(manifest.getValue("Export-Package")).isNull();
        assertThat(Collections.list(jar.entries())).allSatisfy(entry -> assertThat(entry.getName())
                .doesNotStartWith("com/fasterxml").doesNotStartWith("jakarta/").doesNotStartWith("org/osgi/")
                .doesNotStartWith("org/slf4j"));
    }

    @Test
    void it_imports_servlet_jackson_and_our_apis() {
        String imports = manifest.getValue("Import-Package");
        assertThat(imports).contains("jakarta.servlet,", "jakarta.servlet.http,")
                .contains("com.fasterxml.jackson.databind;version=\"[2.18,3)\"")
                .contains("com.fasterxml.jackson.datatype.jsr310;version=\"[2.18,3)\"")
                // at least 1.1 (IdentityService.changePassword), within major version 1
                .containsPattern("org\\.lockergate\\.identity;version=\"\\[1\\.[1-9][0-9]*,2\\)\"")
                .contains("org.lockergate.health;version=\"[1.0,2)\"");
    }

    @Test
    void its_servlet_and_whiteboard_requirements_are_what_felix_http_jetty12_provides() {
        String requirements = manifest.getValue("Require-Capability");
        // org.apache.felix.http.jetty12 1.1.8 provides osgi.implementation=osgi.http version 2.0 (and 1.1)
        assertThat(requirements).contains(
                "osgi.implementation;filter:=\"(&(osgi.implementation=osgi.http)(version>=2.0.0)(!(version>=3.0.0)))\"");
        // org.apache.felix.http.servlet-api 6.1.0 provides osgi.contract=JakartaServlet versions 5.0, 6.0, 6.1
        Matcher contract = Pattern.compile("\\(osgi.contract=JakartaServlet\\)\\(version=([0-9.]+)\\)")
                .matcher(requirements);
        assertThat(contract.find()).as("JakartaServlet contract in %s", requirements).isTrue();
        assertThat(contract.group(1)).isIn("5.0.0", "6.0.0", "6.1.0");
    }

    @Test
    void the_context_is_api_v1_and_every_servlet_and_filter_selects_it() {
        Component context = only("org.osgi.service.servlet.context.ServletContextHelper");
        assertThat(context.properties().get("osgi.http.whiteboard.context.name")).containsExactly(ApiContext.NAME);
        assertThat(context.properties().get("osgi.http.whiteboard.context.path")).containsExactly("/api/v1");
        for (Component component : components) {
            if (component.provides("jakarta.servlet.Servlet") || component.provides("jakarta.servlet.Filter")) {
                assertThat(component.properties().get("osgi.http.whiteboard.context.select"))
                        .as(component.name()).containsExactly(ApiContext.SELECT);
            }
        }
        Component filter = only("jakarta.servlet.Filter");
        assertThat(filter.properties().get("osgi.http.whiteboard.filter.pattern")).containsExactly("/*");
    }

    @Test
    void every_registered_servlet_pattern_is_in_the_packaged_openapi_json() throws IOException {
        JsonNode openApi;
        try (InputStream in = jar.getInputStream(jar.getEntry("openapi.json"))) {
            openApi = Json.MAPPER.readTree(in);
        }
        TreeSet<String> patterns = new TreeSet<>();
        for (Component component : components) {
            if (component.provides("jakarta.servlet.Servlet")) {
                patterns.addAll(component.properties().getOrDefault("osgi.http.whiteboard.servlet.pattern", List.of()));
            }
        }
        assertThat(patterns.remove("/*")).as("the fallback servlet").isTrue();
        List<String> documented = new ArrayList<>();
        // paths served by the management bundle in this context are documented here too, marked as such
        openApi.get("paths").fields().forEachRemaining(path -> {
            if (!path.getValue().has(OpenApiDocumentTest.BUNDLE_EXTENSION)) {
                documented.add(path.getKey());
            }
        });
        assertThat(patterns).isNotEmpty();
        // an exact pattern is documented as itself; a prefix pattern /x/* as /x and paths below it
        for (String pattern : patterns) {
            String base = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) : pattern;
            assertThat(documented).as("documented for %s", pattern).contains(base);
        }
        assertThat(documented).allSatisfy(path -> assertThat(patterns.stream().anyMatch(pattern -> pattern
                .endsWith("/*") ? path.equals(pattern.substring(0, pattern.length() - 2))
                        || path.startsWith(pattern.substring(0, pattern.length() - 1)) : path.equals(pattern)))
                .as("%s is served by a registered pattern", path).isTrue());
    }

    @Test
    void the_fallback_is_the_error_page_for_4xx_and_5xx() {
        Component fallback = components.stream()
                .filter(component -> component.properties().containsKey("osgi.http.whiteboard.servlet.errorPage"))
                .findFirst().orElseThrow();
        assertThat(fallback.properties().get("osgi.http.whiteboard.servlet.errorPage")).containsExactly("4xx", "5xx");
        assertThat(fallback.properties().get("osgi.http.whiteboard.servlet.pattern")).containsExactly("/*");
    }

    private static Component only(String service) {
        List<Component> matching = components.stream().filter(component -> component.provides(service)).toList();
        assertThat(matching).as(service).hasSize(1);
        return matching.get(0);
    }

    private static List<Component> components() throws Exception {
        List<Component> found = new ArrayList<>();
        for (String descriptor : manifest.getValue("Service-Component").split(",")) {
            try (InputStream in = jar.getInputStream(jar.getEntry(descriptor.trim()))) {
                Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
                Map<String, List<String>> properties = new TreeMap<>();
                NodeList nodes = root.getElementsByTagName("property");
                for (int i = 0; i < nodes.getLength(); i++) {
                    Element property = (Element) nodes.item(i);
                    List<String> values = property.hasAttribute("value")
                            ? List.of(property.getAttribute("value"))
                            : Arrays.stream(property.getTextContent().split("\n")).map(String::trim)
                                    .filter(value -> !value.isEmpty()).toList();
                    properties.put(property.getAttribute("name"), values);
                }
                List<String> services = new ArrayList<>();
                NodeList provides = root.getElementsByTagName("provide");
                for (int i = 0; i < provides.getLength(); i++) {
                    services.add(((Element) provides.item(i)).getAttribute("interface"));
                }
                found.add(new Component(root.getAttribute("name"), services, properties));
            }
        }
        return found;
    }

    private record Component(String name, List<String> services, Map<String, List<String>> properties) {
        boolean provides(String service) {
            return services.contains(service);
        }
    }
}
