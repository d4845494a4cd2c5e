package org.lockergate.devices.coap;

import java.util.ArrayList;
import java.util.List;

/**
 * One compartment as a cabinet describes it when it registers: its door label (unique in the group), size class,
 * lock board and channel (both numbered from 1).
 */
public record CompartmentSpec(String label, Size size, int board, int channel) {

    /** Channels per lock board in {@link #stock(int)}. */
    public static final int STOCK_CHANNELS_PER_BOARD = 24;

    public CompartmentSpec {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("compartment label is empty");
        }
        if (size == null) {
            throw new IllegalArgumentException("compartment " + label + " has no size");
        }
        if (board < 1 || channel < 1) {
            throw new IllegalArgumentException("board and channel are numbered from 1: " + label);
        }
    }

    /**
     * {@code count} compartments labelled {@code "1"} … {@code "count"} in the typical stock mix (S 69 %, M 23 %,
     * L 8 %, rounded, at least one of each from three compartments on): the small ones first, then M, then L;
     * {@value #STOCK_CHANNELS_PER_BOARD} channels per board.
     */
    public static List<CompartmentSpec> stock(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a cabinet has at least one compartment: " + count);
        }
        int large = (int) Math.round(count * 0.08);
        int medium = (int) Math.round(count * 0.23);
        if (count >= 3) {
            large = Math.max(1, large);
            medium = Math.max(1, medium);
        }
        int small = count - medium - large;
        List<CompartmentSpec> specs = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            Size size = i <= small ? Size.S : i <= small + medium ? Size.M : Size.L;
            int board = (i - 1) / STOCK_CHANNELS_PER_BOARD + 1;
            int channel = (i - 1) % STOCK_CHANNELS_PER_BOARD + 1;
            specs.add(new CompartmentSpec(Integer.toString(i), size, board, channel));
        }
        return List.copyOf(specs);
    }
}
