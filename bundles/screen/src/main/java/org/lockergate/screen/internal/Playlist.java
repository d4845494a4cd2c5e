package org.lockergate.screen.internal;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * A playlist as the cloud pushed it (validated by {@link PlaylistParser}).
 *
 * @param playlistId the cloud's id; pushing the same id again replaces it
 * @param notice a public notice (outage, holiday announcement): shown before every advertisement
 * @param priority higher first among playlists of the same kind
 * @param groups the cabinet groups it targets
 * @param schedule when it is shown
 * @param items what is shown, in order
 */
public record Playlist(String playlistId, boolean notice, int priority, Set<String> groups, Schedule schedule,
        List<Item> items) {

    /**
     * One image or short video.
     *
     * @param itemId unique in its playlist
     * @param type {@code image} or {@code video}
     * @param url where the gateway downloads it from (http or https)
     * @param sha256 lower-case hex SHA-256 of the file: the gateway serves only bytes with exactly this hash
     * @param durationSeconds how long the cabinet shows it
     */
    public record Item(String itemId, String type, String url, String sha256, int durationSeconds) {
    }

    /**
     * When a playlist is shown: between {@code from} (inclusive) and {@code until} (exclusive), both optional, and
     * within the daily hours {@code hoursFrom}–{@code hoursUntil} in the gateway's zone (both null: all day; a window
     * may pass midnight, 22:00–06:00).
     */
    public record Schedule(Instant from, Instant until, LocalTime hoursFrom, LocalTime hoursUntil) {

        static final Schedule ALWAYS = new Schedule(null, null, null, null);

        public boolean activeAt(Instant now, ZoneId zone) {
            if (from != null && now.isBefore(from)) {
                return false;
            }
            if (until != null && !now.isBefore(until)) {
                return false;
            }
            if (hoursFrom == null) {
                return true;
            }
            LocalTime time = now.atZone(zone).toLocalTime();
            return hoursFrom.isBefore(hoursUntil)
                    ? !time.isBefore(hoursFrom) && time.isBefore(hoursUntil)
                    : !time.isBefore(hoursFrom) || time.isBefore(hoursUntil);
        }
    }
}
