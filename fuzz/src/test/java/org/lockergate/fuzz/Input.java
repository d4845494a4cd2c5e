package org.lockergate.fuzz;

import java.util.Arrays;

/**
 * The fuzz targets' input layout: the first byte picks the options (content type, command name, …), the rest is the
 * payload. Simple enough that seed files can be written by hand: {@code printf '\x00{"boot":1,…}'}.
 */
public final class Input {

    private Input() {
    }

    /** The option byte (0 for an empty input). */
    public static int options(byte[] input) {
        return input.length == 0 ? 0 : input[0] & 0xFF;
    }

    /** Everything after the option byte. */
    public static byte[] payload(byte[] input) {
        return input.length <= 1 ? new byte[0] : Arrays.copyOfRange(input, 1, input.length);
    }

    /** Option {@code bit} (0-7) of the option byte. */
    public static boolean bit(byte[] input, int bit) {
        return (options(input) & (1 << bit)) != 0;
    }

    /** One of {@code values}, chosen by the low bits of the option byte. */
    @SafeVarargs
    public static <T> T pick(byte[] input, T... values) {
        return values[options(input) % values.length];
    }
}
