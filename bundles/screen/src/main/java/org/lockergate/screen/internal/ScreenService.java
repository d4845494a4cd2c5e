package org.lockergate.screen.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Screen content without OSGi: the playlists (kept as the cloud sent them in {@code data/screen/playlists.json}),
 * the media cache, what each group shows now, and the impression counters ({@code data/screen/impressions.json}).
 *
 * <p>Durable state is two small files written atomically rather than store tables: a playlist set is a handful of
 * documents replaced as a whole, read at start and kept in memory; impressions are a few counters per cabinet and
 * item, flushed to the outbox as one event per period. Neither needs queries, joins or the store's group commit, and
 * keeping them out of H2 leaves the store migrations to the locker's own data.
 */
public final class ScreenService {

    private static final Logger LOG = LoggerFactory.getLogger(ScreenService.class);

    /** The outbox event type of the billing report. */
    public static final String IMPRESSIONS_EVENT = "screen.impressions";

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path folder;
    private final PlaylistParser parser;
    private final MediaCache media;
    private final Object lock = new Object();
    /** Guarded by lock: playlist id → the raw document as pushed, and its parsed form. */
    private final Map<String, Map<String, Object>> raw = new TreeMap<>();
    private final Map<String, Playlist> playlists = new TreeMap<>();
    /** Guarded by lock: "cabinet|group|playlist|item" → plays not yet reported. */
    private final Map<String, Long> counts = new TreeMap<>();
    /** Guarded by lock: the last report id per cabinet, so a report the cabinet sends twice counts once. */
    private final Map<String, String> lastReport = new TreeMap<>();
    private Instant periodStart;
    /** A report written to the file but not yet confirmed in the outbox (sent again, same id, after a crash). */
    private Map<String, Object> pendingReport;

    public ScreenService(Path folder, int maxItems, long maxMediaBytes, Duration downloadTimeout) {
        this.folder = folder;
        this.parser = new PlaylistParser(maxItems);
        this.media = new MediaCache(folder.resolve("media"), maxMediaBytes, downloadTimeout);
    }

    public MediaCache media() {
        return media;
    }

    /** Reads the playlists and counters written before a restart. */
    public void load(Instant now) {
        synchronized (lock) {
            periodStart = now;
            Path file = folder.resolve("playlists.json");
            if (Files.isRegularFile(file)) {
                try {
                    Map<String, Map<String, Object>> stored = mapper.readValue(file.toFile(),
                            new TypeReference<Map<String, Map<String, Object>>>() { });
                    for (Map.Entry<String, Map<String, Object>> e : stored.entrySet()) {
                        try {
                            playlists.put(e.getKey(), parser.parse(e.getValue()));
                            raw.put(e.getKey(), e.getValue());
                        } catch (ScreenException bad) {
                            LOG.warn("Stored playlist {} no longer valid, dropped: {}", e.getKey(), bad.getMessage());
                        }
                    }
                } catch (IOException e) {
                    LOG.error("屏幕播放列表文件无法读取 / Cannot read {}: {}", file, e.getMessage());
                }
            }
            Path impressions = folder.resolve("impressions.json");
            if (Files.isRegularFile(impressions)) {
                try {
                    JsonNode node = mapper.readTree(impressions.toFile());
                    node.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
                    node.path("lastReport").fields().forEachRemaining(e -> lastReport.put(e.getKey(),
                            e.getValue().asText()));
                    if (node.hasNonNull("periodStart")) {
                        periodStart = Instant.parse(node.get("periodStart").asText());
                    }
                    if (node.hasNonNull("pendingReport")) {
                        pendingReport = mapper.convertValue(node.get("pendingReport"),
                                new TypeReference<Map<String, Object>>() { });
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.error("屏幕展示计数文件无法读取 / Cannot read {}: {}", impressions, e.getMessage());
                }
            }
        }
    }

    /**
     * Validates a pushed playlist, caches its media (every hash checked) and keeps it.
     *
     * @param knownGroup whether a group id is configured on this gateway
     * @return the playlist, with its media cached
     * @throws ScreenException 400 {@code unknown_groups} naming them, 400 {@code bad_playlist}, 422
     *     {@code hash_mismatch}, 413 {@code media_too_large}, 502 {@code download_failed}; nothing changes then
     */
    public Playlist set(Object document, Predicate<String> knownGroup) throws ScreenException {
        Playlist playlist = parser.parse(document);
        List<String> unknown = playlist.groups().stream().filter(g -> !knownGroup.test(g)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new ScreenException(400, "unknown_groups", "播放列表指向未知的柜组 " + unknown
                    + " / The playlist names unknown cabinet groups " + unknown, Map.of("groups", unknown));
        }
        for (Playlist.Item item : playlist.items()) {
            media.fetch(item); // throws before anything changes
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = mapper.convertValue(document, LinkedHashMap.class);
        synchronized (lock) {
            raw.put(playlist.playlistId(), copy);
            playlists.put(playlist.playlistId(), playlist);
            savePlaylists();
        }
        return playlist;
    }

    /** Removes a playlist; returns the groups it targeted (empty when unknown). */
    public Set<String> delete(String playlistId) throws ScreenException {
        synchronized (lock) {
            Playlist gone = playlists.remove(playlistId);
            raw.remove(playlistId);
            if (gone == null) {
                return Set.of();
            }
            savePlaylists();
            Set<String> keep = new HashSet<>();
            playlists.values().forEach(p -> p.items().forEach(i -> keep.add(i.sha256())));
            media.retainOnly(keep);
            return gone.groups();
        }
    }

    public List<Playlist> playlists() {
        synchronized (lock) {
            return List.copyOf(playlists.values());
        }
    }

    /**
     * What a group's cabinets show now: the items of every playlist targeting the group and active at {@code now},
     * public notices first, then by priority (higher first) and playlist id; only items whose media is cached.
     */
    public Map<String, Object> current(String groupId, Instant now, ZoneId zone) {
        List<Playlist> active;
        synchronized (lock) {
            active = playlists.values().stream()
                    .filter(p -> p.groups().contains(groupId) && p.schedule().activeAt(now, zone))
                    .sorted(Comparator.comparing((Playlist p) -> !p.notice())
                            .thenComparing(Comparator.comparingInt(Playlist::priority).reversed())
                            .thenComparing(Playlist::playlistId))
                    .toList();
        }
        List<Map<String, Object>> items = new ArrayList<>();
        StringBuilder version = new StringBuilder(groupId);
        for (Playlist playlist : active) {
            for (Playlist.Item item : playlist.items()) {
                long size = media.size(item.sha256());
                if (size < 0) {
                    continue;
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("playlistId", playlist.playlistId());
                entry.put("itemId", item.itemId());
                entry.put("type", item.type());
                entry.put("notice", playlist.notice());
                entry.put("durationSeconds", item.durationSeconds());
                entry.put("sha256", item.sha256());
                entry.put("bytes", size);
                entry.put("media", "/screen/media/" + item.sha256());
                items.add(entry);
                version.append('|').append(playlist.playlistId()).append('/').append(item.itemId()).append('/')
                        .append(item.sha256()).append('/').append(item.durationSeconds());
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("groupId", groupId);
        body.put("version", MediaCache.sha256(version.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16));
        body.put("idleOnly", true);
        body.put("items", items);
        return body;
    }

    /**
     * Adds the plays a cabinet reports: {@code {"reportId":"…","plays":[{"playlistId","itemId","count"}]}}.
     *
     * @return how many plays were counted (0 for a report id already counted)
     */
    public long countPlays(String cabinetId, String groupId, JsonNode body) throws ScreenException {
        JsonNode plays = body.path("plays");
        if (!plays.isArray() || plays.isEmpty() || plays.size() > 1000) {
            throw new ScreenException(400, "bad_impressions", "plays 须为 1–1000 项的列表 / plays must be a list of "
                    + "1-1000 entries", Map.of("field", "plays"));
        }
        Map<String, Long> add = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < plays.size(); i++) {
            JsonNode play = plays.get(i);
            String playlistId = play.path("playlistId").asText("");
            String itemId = play.path("itemId").asText("");
            if (!PlaylistParser.ID.matcher(playlistId).matches() || !PlaylistParser.ID.matcher(itemId).matches()) {
                throw new ScreenException(400, "bad_impressions", "plays[" + i + "] 缺少 playlistId 或 itemId / plays["
                        + i + "] needs playlistId and itemId", Map.of("field", "plays[" + i + "]"));
            }
            if (!play.path("count").canConvertToInt() || play.path("count").asInt() < 1
                    || play.path("count").asInt() > 100_000) {
                throw new ScreenException(400, "bad_impressions", "plays[" + i + "].count 须为 1–100000 / plays[" + i
                        + "].count must be 1-100000", Map.of("field", "plays[" + i + "].count"));
            }
            add.merge(cabinetId + "|" + groupId + "|" + playlistId + "|" + itemId, play.path("count").asLong(),
                    Long::sum);
            total += play.path("count").asLong();
        }
        String reportId = body.path("reportId").asText("");
        synchronized (lock) {
            if (!reportId.isEmpty() && reportId.equals(lastReport.get(cabinetId))) {
                return 0; // the cabinet sent it again (lost ACK): counted once
            }
            add.forEach((key, n) -> counts.merge(key, n, Long::sum));
            if (!reportId.isEmpty()) {
                lastReport.put(cabinetId, reportId);
            }
            saveImpressions();
        }
        return total;
    }

    /** Plays counted and not yet reported, by "cabinet|group|playlist|item". */
    public Map<String, Long> unreported() {
        synchronized (lock) {
            return Map.copyOf(counts);
        }
    }

    /**
     * When a period of {@code period} has passed since the last report and plays were counted, takes them out as
     * one report ({@code screen.impressions} data) and hands it to {@code outbox}; the counters restart only after
     * the outbox write succeeded. A report written to the file but not yet handed over (a crash in between) goes
     * again first, with the same {@code reportId}, so the cloud can drop a duplicate.
     *
     * @param outbox writes the event durably; returns normally only when it is written
     * @return the report handed over, if any
     */
    public Optional<Map<String, Object>> reportIfDue(Instant now, Duration period,
            Function<Map<String, Object>, Boolean> outbox) {
        Map<String, Object> report;
        synchronized (lock) {
            if (pendingReport == null) {
                if (periodStart == null) {
                    periodStart = now;
                }
                if (now.isBefore(periodStart.plus(period))) {
                    return Optional.empty();
                }
                if (counts.isEmpty()) {
                    periodStart = now;
                    saveImpressions();
                    return Optional.empty();
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Map.Entry<String, Long> e : counts.entrySet()) {
                    String[] key = e.getKey().split("\\|", 4);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("cabinetId", key[0]);
                    row.put("groupId", key[1]);
                    row.put("playlistId", key[2]);
                    row.put("itemId", key[3]);
                    row.put("plays", e.getValue());
                    rows.add(row);
                }
                report = new LinkedHashMap<>();
                report.put("reportId", UUID.randomUUID().toString());
                report.put("from", periodStart.toString());
                report.put("until", now.toString());
                report.put("impressions", rows);
                pendingReport = report;
                counts.clear();
                periodStart = now;
                saveImpressions();
            } else {
                report = pendingReport;
            }
        }
        if (!Boolean.TRUE.equals(outbox.apply(report))) {
            return Optional.empty(); // stays pending, tried again at the next tick
        }
        synchronized (lock) {
            if (pendingReport == report) {
                pendingReport = null;
                saveImpressions();
            }
        }
        return Optional.of(report);
    }

    /** The groups any playlist targets. */
    public Set<String> targetedGroups() {
        synchronized (lock) {
            Set<String> groups = new HashSet<>();
            playlists.values().forEach(p -> groups.addAll(p.groups()));
            return groups;
        }
    }

    private void savePlaylists() {
        try {
            AtomicFiles.write(folder.resolve("playlists.json"), mapper.writeValueAsBytes(raw));
        } catch (IOException e) {
            LOG.error("屏幕播放列表无法保存 / Cannot save the playlists to {}: {}", folder, e.getMessage());
        }
    }

    private void saveImpressions() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("periodStart", periodStart == null ? null : periodStart.toString());
        state.put("counts", counts);
        state.put("lastReport", lastReport);
        state.put("pendingReport", pendingReport);
        try {
            AtomicFiles.write(folder.resolve("impressions.json"), mapper.writeValueAsBytes(state));
        } catch (IOException e) {
            LOG.error("屏幕展示计数无法保存 / Cannot save the impression counters to {}: {}", folder, e.getMessage());
        }
    }
}
