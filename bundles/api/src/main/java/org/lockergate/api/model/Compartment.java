package org.lockergate.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One compartment (格口).
 *
 * @param groupId its group
 * @param cabinetId its cabinet
 * @param label the door label, unique within the group (a string: "12", "B07")
 * @param size its size class
 * @param board lock board number, from 1
 * @param channel channel on the board, from 1
 * @param state the compartment state
 * @param doorClosed last reported door sensor
 * @param itemPresent last reported occupancy sensor
 * @param occupiedSince when the current parcel's door closed, {@code null} when empty
 * @param parcelId the parcel in it (or reserved for it), {@code null} when none
 */
public record Compartment(String groupId, String cabinetId, String label, SizeClass size, int board, int channel,
        CompartmentState state, boolean doorClosed, boolean itemPresent, Instant occupiedSince, String parcelId) {

    public Compartment {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(cabinetId, "cabinetId");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(state, "state");
    }
}
