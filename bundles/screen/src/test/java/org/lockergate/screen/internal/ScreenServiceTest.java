package org.lockergate.screen.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Playlists against a real HTTP server on 127.0.0.1: validation, hashes, schedules, impressions. */
class ScreenServiceTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Set<String> GROUPS = Set.of("g1", "g2");

    @TempDir
    Path data;

    private HttpServer http;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private ScreenService screen;
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        http.start();
        screen = new ScreenService(data.resolve("screen"), 10, 64 * 1024, Duration.ofSeconds(5));
        screen.load(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String serve(String name, byte[] body) {
        files.put("/" + name, body);
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/" + name;
    }

    private Map<String, Object> item(String id, String url, String sha) {
        return Map.of("itemId", id, "type", "image", "url", url, "sha256", sha, "durationSeconds", 8);
    }

    @Test
    void a_playlist_is_cached_and_served_notices_first() throws Exception {
        byte[] ad = "PNG ad bytes".getBytes(StandardCharsets.UTF_8);
        byte[] notice = "停电通知".getBytes(StandardCharsets.UTF_8);
        screen.set(Map.of("playlistId", "ads", "priority", 5, "groups", List.of("g1"), "items",
                List.of(item("a1", serve("a1.png", ad), MediaCache.sha256(ad)))), GROUPS::contains);
        screen.set(Map.of("playlistId", "outage", "notice", true, "groups", List.of("g1", "g2"), "items",
                List.of(item("n1", serve("n1.png", notice), MediaCache.sha256(notice)))), GROUPS::contains);

        Map<String, Object> g1 = screen.current("g1", Instant.parse("2026-12-01T03:00:00Z"), SHANGHAI);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) g1.get("items");
        assertThat(items).extracting(i -> i.get("itemId")).containsExactly("n1", "a1");
        assertThat(items.get(1).get("media")).isEqualTo("/screen/media/" + MediaCache.sha256(ad));
        assertThat(screen.media().read(MediaCache.sha256(ad))).hasValueSatisfying(b -> assertThat(b).isEqualTo(ad));
        assertThat(g1.get("idleOnly")).isEqualTo(true);

        // survives a restart
        ScreenService again = new ScreenService(data.resolve("screen"), 10, 64 * 1024, Duration.ofSeconds(5));
        again.load(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(again.current("g1", Instant.parse("2026-12-01T03:00:00Z"), SHANGHAI).get("version"))
                .isEqualTo(g1.get("version"));
    }

    @Test
    void media_whose_hash_does_not_match_is_refused_and_never_served() {
        byte[] real = "the real picture".getBytes(StandardCharsets.UTF_8);
        String claimed = MediaCache.sha256("another picture".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> screen.set(Map.of("playlistId", "p", "groups", List.of("g1"), "items",
                List.of(item("x1", serve("x.png", real), claimed))), GROUPS::contains))
                .isInstanceOfSatisfying(ScreenException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo("hash_mismatch");
                    assertThat(e.getMessage()).contains("x1", claimed, MediaCache.sha256(real));
                    assertThat(e.extra()).containsEntry("actual", MediaCache.sha256(real));
                });
        assertThat(screen.playlists()).isEmpty();
        assertThat(screen.media().read(claimed)).isEmpty();
        assertThat(screen.media().read(MediaCache.sha256(real))).isEmpty();
    }

    @Test
    void unknown_groups_bad_fields_and_oversized_media_are_refused_precisely() {
        byte[] small = "x".getBytes(StandardCharsets.UTF_8);
        String url = serve("s.png", small);
        assertThatThrownBy(() -> screen.set(Map.of("playlistId", "p", "groups", List.of("g1", "g9", "g7"), "items",
                List.of(item("i", url, MediaCache.sha256(small)))), GROUPS::contains))
                .isInstanceOfSatisfying(ScreenException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("unknown_groups");
                    assertThat(e.extra()).containsEntry("groups", List.of("g7", "g9"));
                });
        assertThatThrownBy(() -> screen.set(Map.of("playlistId", "p", "groups", List.of("g1"), "items",
                List.of(Map.of("itemId", "i", "type", "gif", "url", url, "sha256", MediaCache.sha256(small)))),
                GROUPS::contains)).isInstanceOfSatisfying(ScreenException.class,
                        e -> assertThat(e.extra()).containsEntry("field", "items[0].type"));
        assertThatThrownBy(() -> screen.set(Map.of("playlistId", "p", "groups", List.of("g1"), "schedule",
                Map.of("hours", "25:00-3"), "items", List.of(item("i", url, MediaCache.sha256(small)))),
                GROUPS::contains)).isInstanceOfSatisfying(ScreenException.class,
                        e -> assertThat(e.extra()).containsEntry("field", "schedule.hours"));
        byte[] big = new byte[70 * 1024];
        assertThatThrownBy(() -> screen.set(Map.of("playlistId", "p", "groups", List.of("g1"), "items",
                List.of(item("big", serve("big.mp4", big), MediaCache.sha256(big)))), GROUPS::contains))
                .isInstanceOfSatisfying(ScreenException.class, e -> assertThat(e.code()).isEqualTo("media_too_large"));
        assertThat(screen.playlists()).isEmpty();
    }

    @Test
    void the_schedule_follows_the_clock_with_a_window_past_midnight() throws Exception {
        byte[] b = "night".getBytes(StandardCharsets.UTF_8);
        screen.set(Map.of("playlistId", "night", "groups", List.of("g2"), "schedule", Map.of("from",
                "2026-12-01T00:00:00+08:00", "until", "2026-12-03T00:00:00+08:00", "hours", "22:00-06:00"), "items",
                List.of(item("n", serve("n", b), MediaCache.sha256(b)))), GROUPS::contains);
        assertThat(count("g2", "2026-12-01T23:30:00+08:00")).isEqualTo(1);
        assertThat(count("g2", "2026-12-02T05:59:00+08:00")).isEqualTo(1);
        assertThat(count("g2", "2026-12-02T06:00:00+08:00")).isZero();
        assertThat(count("g2", "2026-12-02T12:00:00+08:00")).isZero();
        assertThat(count("g2", "2026-11-30T23:30:00+08:00")).as("before from").isZero();
        assertThat(count("g2", "2026-12-03T23:30:00+08:00")).as("after until").isZero();
        assertThat(count("g1", "2026-12-01T23:30:00+08:00")).as("another group").isZero();
    }

    private int count(String group, String at) {
        return ((List<?>) screen.current(group, java.time.OffsetDateTime.parse(at).toInstant(), SHANGHAI)
                .get("items")).size();
    }

    @Test
    void impressions_are_counted_once_and_reported_per_period_on_the_clock() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        screen.countPlays("c1", "g1", mapper.readTree(
                "{\"reportId\":\"r1\",\"plays\":[{\"playlistId\":\"ads\",\"itemId\":\"a1\",\"count\":3}]}"));
        assertThat(screen.countPlays("c1", "g1", mapper.readTree(
                "{\"reportId\":\"r1\",\"plays\":[{\"playlistId\":\"ads\",\"itemId\":\"a1\",\"count\":3}]}")))
                .as("the same report again").isZero();
        screen.countPlays("c2", "g1", mapper.readTree(
                "{\"plays\":[{\"playlistId\":\"ads\",\"itemId\":\"a1\",\"count\":2}]}"));
        assertThatThrownBy(() -> screen.countPlays("c1", "g1", mapper.readTree("{\"plays\":[{\"playlistId\":\"ads\","
                + "\"itemId\":\"a1\",\"count\":0}]}"))).isInstanceOf(ScreenException.class);

        List<Map<String, Object>> outbox = new ArrayList<>();
        Duration hour = Duration.ofHours(1);
        assertThat(screen.reportIfDue(t0.plusSeconds(3599), hour, r -> outbox.add(r))).isEmpty();
        // the store is down: the report stays pending and goes with the same id later
        assertThat(screen.reportIfDue(t0.plusSeconds(3600), hour, r -> false)).isEmpty();
        ScreenService restarted = new ScreenService(data.resolve("screen"), 10, 1024, Duration.ofSeconds(1));
        restarted.load(t0.plusSeconds(3700));
        Map<String, Object> report = restarted.reportIfDue(t0.plusSeconds(3700), hour, r -> outbox.add(r)).orElseThrow();
        assertThat(outbox).hasSize(1);
        assertThat(report.get("from")).isEqualTo(t0.toString());
        assertThat((List<?>) report.get("impressions")).hasSize(2);
        assertThat(report.toString()).contains("plays=3", "plays=2", "cabinetId=c1", "cabinetId=c2");
        assertThat(restarted.unreported()).isEmpty();
        assertThat(restarted.reportIfDue(t0.plusSeconds(9000), hour, r -> outbox.add(r))).as("nothing counted")
                .isEmpty();
        assertThat(Files.readString(data.resolve("screen/impressions.json"))).contains("\"pendingReport\":null");
    }
}
