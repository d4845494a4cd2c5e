package org.lockergate.devices.lockboards;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Kerong KR-CU16 boards behind one serial-to-TCP server (DESIGN.md §4): requests {@code 02 ADDR CMD 03 SUM}, with
 * ADDR = board address (0–15) in the high nibble and lock index (channel − 1) in the low nibble; 0x30 read status,
 * 0x31 unlock one, 0x33 unlock all, each answered {@code 02 ADDR 35 D1 D2 D3 D4 03 SUM} (D1/D2 bit = lock 1–8 / 9–16
 * locked, i.e. door closed; D3/D4 the same for item present); SUM = sum of the preceding bytes & 0xFF. A frame with a
 * bad checksum gets no answer, bytes before the next 0x02 are skipped, and a board address without a board never
 * answers. In the {@link LockBoard.Fault#GARBAGE} fault a board puts noise and a corrupt frame on the line before each
 * answer.
 */
public final class KerongSimulator extends BoardServer {

    public static final int CHANNELS = 16;
    public static final int STX = 0x02;
    public static final int ETX = 0x03;
    public static final int STATUS = 0x30;
    public static final int UNLOCK = 0x31;
    public static final int UNLOCK_ALL = 0x33;
    public static final int STATUS_ANSWER = 0x35;

    private volatile int badChecksums;

    private KerongSimulator(InetAddress bind, int port, List<Integer> addresses) throws IOException {
        super("kerong", bind, port, addresses, CHANNELS, 0x10);
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param port TCP port, 0 for an ephemeral one
     * @param addresses the boards' addresses (0–15, the DIP switch)
     */
    public static KerongSimulator start(int port, int... addresses) throws IOException {
        return start(null, port, addresses);
    }

    public static KerongSimulator start(InetAddress bind, int port, int... addresses) throws IOException {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("at least one board address");
        }
        List<Integer> list = new ArrayList<>();
        for (int address : addresses) {
            if (address < 0 || address > 15) {
                throw new IllegalArgumentException("board address must be 0-15: " + address);
            }
            list.add(address);
        }
        return new KerongSimulator(bind, port, list);
    }

    /** Request frames dropped for a bad checksum or a missing ETX. */
    public int badChecksums() {
        return badChecksums;
    }

    /** {@code 02 ADDR CMD 03 SUM}. */
    public static byte[] command(int addr, int cmd) {
        byte[] frame = {STX, (byte) addr, (byte) cmd, ETX, 0};
        frame[4] = sum(frame, 4);
        return frame;
    }

    /** The status answer of a board. */
    public static byte[] status(LockBoard board, int addr) {
        int locked = 0;
        int present = 0;
        for (int channel = 1; channel <= board.channels(); channel++) {
            if (board.doorClosed(channel)) {
                locked |= 1 << (channel - 1);
            }
            if (board.itemPresent(channel)) {
                present |= 1 << (channel - 1);
            }
        }
        byte[] frame = {STX, (byte) addr, STATUS_ANSWER, (byte) locked, (byte) (locked >> 8), (byte) present,
            (byte) (present >> 8), ETX, 0};
        frame[8] = sum(frame, 8);
        return frame;
    }

    static byte sum(byte[] frame, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += frame[i] & 0xFF;
        }
        return (byte) sum;
    }

    @Override
    void serve(InputStream in, OutputStream out) throws IOException, InterruptedException {
        byte[] frame = new byte[5];
        int filled = 0;
        while (!closed()) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            if (filled == 0 && b != STX) {
                continue; // noise before the next STX
            }
            frame[filled++] = (byte) b;
            if (filled < 5) {
                continue;
            }
            filled = 0;
            if ((frame[3] & 0xFF) != ETX || frame[4] != sum(frame, 4)) {
                badChecksums++;
                // resynchronise: a later STX inside this frame may start the real one
                for (int i = 1; i < 5; i++) {
                    if ((frame[i] & 0xFF) == STX) {
                        System.arraycopy(frame, i, frame, 0, 5 - i);
                        filled = 5 - i;
                        break;
                    }
                }
                continue;
            }
            answer(frame[1] & 0xFF, frame[2] & 0xFF, out);
        }
    }

    private void answer(int addr, int cmd, OutputStream out) throws IOException, InterruptedException {
        LockBoard board = boards().get(addr >> 4);
        if (board == null || board.fault() == LockBoard.Fault.EXCEPTION || !answers(board)) {
            return;
        }
        switch (cmd) {
            case STATUS -> {
                // read only
            }
            case UNLOCK -> board.unlock((addr & 0x0F) + 1);
            case UNLOCK_ALL -> {
                for (int channel = 1; channel <= CHANNELS; channel++) {
                    board.unlock(channel);
                }
            }
            default -> {
                return; // unknown command: no answer
            }
        }
        if (board.fault() == LockBoard.Fault.GARBAGE) {
            byte[] corrupt = status(board, addr);
            corrupt[8] ^= 0x5A;
            out.write(new byte[] {0x7F, (byte) 0xFF, 0x13, 0x03});
            out.write(corrupt);
            out.write(new byte[] {0x00, 0x35});
        }
        out.write(status(board, addr));
        out.flush();
    }
}
