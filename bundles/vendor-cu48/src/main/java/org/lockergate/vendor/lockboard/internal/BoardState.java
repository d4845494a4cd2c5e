package org.lockergate.vendor.lockboard.internal;

/**
 * One board's sensors at one poll.
 *
 * @param doorClosed by channel − 1
 * @param itemPresent by channel − 1
 * @param faultBits the board's fault bits (bit 0 = a door is jammed); 0 when the protocol has none
 * @param firmware the firmware version as text, {@code null} when the protocol does not tell
 */
public record BoardState(boolean[] doorClosed, boolean[] itemPresent, int faultBits, String firmware) {

    public boolean door(int channel) {
        return channel <= doorClosed.length && doorClosed[channel - 1];
    }

    public boolean item(int channel) {
        return channel <= itemPresent.length && itemPresent[channel - 1];
    }
}
