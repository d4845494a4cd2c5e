package org.lockergate.screen.internal;

import java.net.URI;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a playlist from the JSON-friendly values of a cloud command and checks every field; the first fault is
 * refused with 400 {@code bad_playlist} and the {@code field} that is wrong.
 *
 * <pre>
 * {"playlistId":"ad-2026-12","notice":false,"priority":10,"groups":["g1","g2"],
 *  "schedule":{"from":"2026-12-01T00:00:00+08:00","until":"2027-01-01T00:00:00+08:00","hours":"08:00-22:00"},
 *  "items":[{"itemId":"a1","type":"image","url":"https://cdn…/a1.png","sha256":"…64 hex…","durationSeconds":10}]}
 * </pre>
 */
public final class PlaylistParser {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final Pattern HOURS = Pattern.compile("([0-2][0-9]:[0-5][0-9])-([0-2][0-9]:[0-5][0-9])");

    private final int maxItems;

    public PlaylistParser(int maxItems) {
        this.maxItems = maxItems;
    }

    public Playlist parse(Object value) throws ScreenException {
        if (!(value instanceof Map<?, ?> map)) {
            throw ScreenException.bad("playlist", "须为对象", "must be an object");
        }
        String playlistId = id(map.get("playlistId"), "playlistId");
        boolean notice = bool(map.get("notice"), "notice");
        int priority = integer(map.get("priority"), "priority", 0, -1000, 1000);
        Set<String> groups = new LinkedHashSet<>();
        if (!(map.get("groups") instanceof List<?> list) || list.isEmpty()) {
            throw ScreenException.bad("groups", "须为非空的柜组列表", "must be a non-empty list of cabinet groups");
        }
        for (int i = 0; i < list.size(); i++) {
            groups.add(id(list.get(i), "groups[" + i + "]"));
        }
        Playlist.Schedule schedule = schedule(map.get("schedule"));
        if (!(map.get("items") instanceof List<?> rawItems) || rawItems.isEmpty()) {
            throw ScreenException.bad("items", "须为非空列表", "must be a non-empty list");
        }
        if (rawItems.size() > maxItems) {
            throw ScreenException.bad("items", "最多 " + maxItems + " 项", "has more than " + maxItems + " entries");
        }
        List<Playlist.Item> items = new ArrayList<>();
        Set<String> itemIds = new HashSet<>();
        for (int i = 0; i < rawItems.size(); i++) {
            String at = "items[" + i + "]";
            if (!(rawItems.get(i) instanceof Map<?, ?> item)) {
                throw ScreenException.bad(at, "须为对象", "must be an object");
            }
            String itemId = id(item.get("itemId"), at + ".itemId");
            if (!itemIds.add(itemId)) {
                throw ScreenException.bad(at + ".itemId", "重复：" + itemId, "repeats " + itemId);
            }
            String type = item.get("type") instanceof String s ? s : "";
            if (!type.equals("image") && !type.equals("video")) {
                throw ScreenException.bad(at + ".type", "须为 image 或 video", "must be image or video");
            }
            String url = item.get("url") instanceof String s ? s.strip() : "";
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw ScreenException.bad(at + ".url", "无效", "is not a URL");
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw ScreenException.bad(at + ".url", "须为 http 或 https 地址", "must be an http or https URL");
            }
            String sha = item.get("sha256") instanceof String s ? s.strip().toLowerCase(java.util.Locale.ROOT) : "";
            if (!SHA256.matcher(sha).matches()) {
                throw ScreenException.bad(at + ".sha256", "须为 64 位十六进制 SHA-256", "must be 64 hex digits (SHA-256)");
            }
            int max = type.equals("video") ? 60 : 300;
            int duration = integer(item.get("durationSeconds"), at + ".durationSeconds", 10, 1, max);
            items.add(new Playlist.Item(itemId, type, url, sha, duration));
        }
        return new Playlist(playlistId, notice, priority, Set.copyOf(groups), schedule, List.copyOf(items));
    }

    private static Playlist.Schedule schedule(Object value) throws ScreenException {
        if (value == null) {
            return Playlist.Schedule.ALWAYS;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw ScreenException.bad("schedule", "须为对象", "must be an object");
        }
        Instant from = time(map.get("from"), "schedule.from");
        Instant until = time(map.get("until"), "schedule.until");
        if (from != null && until != null && !until.isAfter(from)) {
            throw ScreenException.bad("schedule.until", "须晚于 schedule.from", "must be after schedule.from");
        }
        LocalTime hoursFrom = null;
        LocalTime hoursUntil = null;
        if (map.get("hours") != null) {
            var m = map.get("hours") instanceof String s ? HOURS.matcher(s.strip()) : null;
            try {
                if (m == null || !m.matches()) {
                    throw new DateTimeParseException("pattern", "", 0);
                }
                hoursFrom = LocalTime.parse(m.group(1));
                hoursUntil = LocalTime.parse(m.group(2));
            } catch (DateTimeParseException e) {
                throw ScreenException.bad("schedule.hours", "须为 HH:mm-HH:mm", "must be HH:mm-HH:mm");
            }
            if (hoursFrom.equals(hoursUntil)) {
                throw ScreenException.bad("schedule.hours", "起止时间不能相同", "must not start and end at the same time");
            }
        }
        return new Playlist.Schedule(from, until, hoursFrom, hoursUntil);
    }

    private static Instant time(Object value, String field) throws ScreenException {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(String.valueOf(value)).toInstant();
        } catch (DateTimeParseException e) {
            throw ScreenException.bad(field, "须为带时区的 ISO-8601 时间", "must be an ISO-8601 time with an offset");
        }
    }

    private static String id(Object value, String field) throws ScreenException {
        if (!(value instanceof String s) || !ID.matcher(s).matches()) {
            throw ScreenException.bad(field, "须为 1–64 个 A-Z a-z 0-9 . _ - : @ 字符",
                    "must be 1-64 of A-Z a-z 0-9 . _ - : @");
        }
        return s;
    }

    private static boolean bool(Object value, String field) throws ScreenException {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw ScreenException.bad(field, "须为 true 或 false", "must be true or false");
    }

    private static int integer(Object value, String field, int fallback, int min, int max) throws ScreenException {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() >= min
                && n.longValue() <= max) {
            return n.intValue();
        }
        throw ScreenException.bad(field, "须为 " + min + " 到 " + max + " 的整数", "must be a whole number from " + min
                + " to " + max);
    }
}
