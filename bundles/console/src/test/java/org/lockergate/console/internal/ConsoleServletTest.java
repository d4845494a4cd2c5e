package org.lockergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The page and its files, anonymous, from the root of the HTTP port. */
class ConsoleServletTest {

    private static ConsoleServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        server = new ConsoleServer(15, 16);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base.resolve(path)).timeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void the_root_answers_the_page_in_chinese_without_a_redirect_or_a_login() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow().replace(" ", "")).isEqualToIgnoringCase(
                "text/html;charset=utf-8");
        assertThat(page.body()).contains("<html lang=\"zh-CN\">").contains("<script type=\"module\" src=\"/app.js\">");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'").contains("connect-src 'self'"));
        assertThat(page.body()).as("no CDN: every script and style from the gateway").doesNotContain("http://")
                .doesNotContain("https://");
    }

    @Test
    void the_files_are_served_with_their_types_and_revalidated_by_etag() throws Exception {
        for (String name : new String[] {"app.js", "messages.js", "charts.js"}) {
            HttpResponse<String> js = get("/" + name);
            assertThat(js.statusCode()).as(name).isEqualTo(200);
            assertThat(js.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        }
        HttpResponse<String> css = get("/app.css");
        assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
        String etag = css.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/app.css", "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void nothing_outside_the_console_folder_is_served() throws Exception {
        for (String path : new String[] {"/nope.js", "/org/lockergate/console/internal/ConsoleServlet.class",
                "/%2e%2e/%2e%2e/META-INF/MANIFEST.MF", "/..%2fapp.js", "/App.js", "/.hidden.js"}) {
            assertThat(get(path).statusCode()).as(path).isIn(400, 404); // Jetty refuses ambiguous paths itself
        }
    }

    /** Both message tables hold the same keys, so switching language never shows a raw key. */
    @Test
    void the_chinese_and_english_tables_have_the_same_keys() throws Exception {
        String source;
        try (InputStream in = ConsoleServlet.class.getResourceAsStream(ConsoleServlet.FOLDER + "messages.js")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int en = source.indexOf("\n  en: {");
        assertThat(en).isPositive();
        Set<String> zh = keys(source.substring(0, en));
        Set<String> english = keys(source.substring(en));
        assertThat(zh).hasSizeGreaterThan(80);
        assertThat(english).isEqualTo(zh);
        // every key the page and the script use is in the tables
        Set<String> used = new LinkedHashSet<>();
        for (String file : new String[] {"index.html", "app.js"}) {
            try (InputStream in = ConsoleServlet.class.getResourceAsStream(ConsoleServlet.FOLDER + file)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Matcher m = Pattern.compile("(?:data-i18n(?:-placeholder)?=\"|t\\(')([a-z]+\\.[A-Za-z_.]+)").matcher(text);
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).hasSizeGreaterThan(30);
        assertThat(zh).containsAll(used);
    }

    private static Set<String> keys(String table) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile("'([a-z]+\\.[A-Za-z_]+)':").matcher(table);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
