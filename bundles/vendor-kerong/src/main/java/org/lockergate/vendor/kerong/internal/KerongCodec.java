package org.lockergate.vendor.kerong.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Kerong KR-CU16 frames (DESIGN.md §4): {@code 02 ADDR CMD [DATA] 03 SUM}, SUM = sum of the preceding bytes & 0xFF.
 * Commands carry no data (0x30 status, 0x31 unlock one, 0x33 unlock all); the status answer 0x35 carries four bytes
 * (D1 D2 = locks 1–16 locked, D3 D4 = items 1–16 present). Pure and without I/O.
 */
final class KerongCodec {

    static final int STX = 0x02;
    static final int ETX = 0x03;
    static final int STATUS = 0x30;
    static final int UNLOCK = 0x31;
    static final int UNLOCK_ALL = 0x33;
    static final int STATUS_ANSWER = 0x35;
    /** A decoder never holds more than this; older bytes are noise. */
    static final int MAX_BUFFER = 1024;

    private KerongCodec() {
    }

    /** A decoded frame. */
    record Frame(int addr, int cmd, byte[] data) {

        int board() {
            return addr >> 4;
        }

        /** Status answer: whether lock {@code channel} (1–16) is locked, i.e. its door closed. */
        boolean locked(int channel) {
            return bit(0, channel);
        }

        /** Status answer: whether an item is present behind door {@code channel} (1–16). */
        boolean present(int channel) {
            return bit(2, channel);
        }

        private boolean bit(int offset, int channel) {
            int index = channel - 1;
            return (data[offset + index / 8] & (1 << (index % 8))) != 0;
        }

        @Override
        public String toString() {
            return String.format("frame addr %02X cmd %02X data %s", addr, cmd, hex(data));
        }
    }

    /** {@code 02 ADDR CMD 03 SUM}. */
    static byte[] command(int addr, int cmd) {
        if (addr < 0 || addr > 0xFF || cmd < 0 || cmd > 0xFF) {
            throw new IllegalArgumentException("addr and cmd are bytes");
        }
        byte[] frame = {STX, (byte) addr, (byte) cmd, ETX, 0};
        frame[4] = (byte) sum(frame, 0, 4);
        return frame;
    }

    /** A status answer frame (the simulator's side; here for tests and symmetry). */
    static byte[] statusAnswer(int addr, int locked, int present) {
        byte[] frame = {STX, (byte) addr, STATUS_ANSWER, (byte) locked, (byte) (locked >> 8), (byte) present,
            (byte) (present >> 8), ETX, 0};
        frame[8] = (byte) sum(frame, 0, 8);
        return frame;
    }

    static int sum(byte[] bytes, int offset, int length) {
        int sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += bytes[i] & 0xFF;
        }
        return sum & 0xFF;
    }

    /** Data bytes a command carries, -1 for an unknown command. */
    static int dataLength(int cmd) {
        return switch (cmd) {
            case STATUS, UNLOCK, UNLOCK_ALL -> 0;
            case STATUS_ANSWER -> 4;
            default -> -1;
        };
    }

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02X ", b & 0xFF));
        }
        return out.toString().trim();
    }

    /**
     * Turns a byte stream into frames: bytes before an STX are noise; a frame whose ETX or checksum is wrong (or
     * whose command is unknown) is dropped from its STX only, so a real frame starting inside it is still found;
     * a partial frame waits for more bytes. Not thread-safe.
     */
    static final class Decoder {

        private byte[] buffer = new byte[64];
        private int size;
        private long noise;
        private long rejected;

        /** Adds bytes; returns the complete frames found, in order. */
        List<Frame> feed(byte[] bytes, int offset, int length) {
            ensure(size + length);
            System.arraycopy(bytes, offset, buffer, size, length);
            size += length;
            List<Frame> frames = new ArrayList<>();
            while (true) {
                int start = 0;
                while (start < size && (buffer[start] & 0xFF) != STX) {
                    start++;
                }
                if (start > 0) {
                    noise += start;
                    drop(start);
                }
                if (size < 3) {
                    break;
                }
                int dataLength = dataLength(buffer[2] & 0xFF);
                if (dataLength < 0) {
                    rejected++;
                    drop(1);
                    continue;
                }
                int total = 5 + dataLength;
                if (size < total) {
                    break;
                }
                if ((buffer[3 + dataLength] & 0xFF) == ETX
                        && (buffer[4 + dataLength] & 0xFF) == sum(buffer, 0, 4 + dataLength)) {
                    frames.add(new Frame(buffer[1] & 0xFF, buffer[2] & 0xFF, Arrays.copyOfRange(buffer, 3,
                            3 + dataLength)));
                    drop(total);
                } else {
                    rejected++;
                    drop(1);
                }
            }
            if (size > MAX_BUFFER) {
                noise += size - MAX_BUFFER;
                drop(size - MAX_BUFFER);
            }
            return frames;
        }

        List<Frame> feed(byte[] bytes) {
            return feed(bytes, 0, bytes.length);
        }

        /** Forgets buffered bytes (before a new command: anything left is a stale answer or noise). */
        void reset() {
            noise += size;
            size = 0;
        }

        int buffered() {
            return size;
        }

        /** Bytes skipped as noise so far. */
        long noise() {
            return noise;
        }

        /** Frames dropped for a bad ETX, checksum or command so far. */
        long rejected() {
            return rejected;
        }

        private void drop(int count) {
            System.arraycopy(buffer, count, buffer, 0, size - count);
            size -= count;
        }

        private void ensure(int capacity) {
            if (capacity > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
            }
        }
    }
}
