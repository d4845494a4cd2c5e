package org.lockergate.devices.coap;

/**
 * One entry of the playlist a simulated cabinet observes at {@code /screen/{groupId}}.
 *
 * @param playlistId its playlist
 * @param itemId the item
 * @param type {@code image} or {@code video}
 * @param notice a public notice
 * @param durationSeconds how long it is shown
 * @param sha256 the media's hash
 * @param cached whether the cabinet fetched the media (Block2) and its hash matched
 */
public record ScreenItem(String playlistId, String itemId, String type, boolean notice, int durationSeconds,
        String sha256, boolean cached) {
}
