package org.lockergate.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One cabinet of a group, as the gateway last knew it.
 *
 * @param cabinetId stable id, unique in the gateway
 * @param groupId the group it belongs to
 * @param vendor the {@code lockergate.vendor} of the bundle that drives it ({@code coap}, {@code cu48}, …)
 * @param model vendor's model name
 * @param firmware firmware version as reported
 * @param online whether a driver is attached and the cabinet answers
 * @param lastSeen last heartbeat or event, {@code null} if never seen
 */
public record Cabinet(String cabinetId, String groupId, String vendor, String model, String firmware,
        boolean online, Instant lastSeen) {

    public Cabinet {
        Objects.requireNonNull(cabinetId, "cabinetId");
        Objects.requireNonNull(groupId, "groupId");
    }
}
