package org.lockergate.devices.lockboards;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.List;

/**
 * CU48 lock boards on one Modbus TCP server (a serial-to-TCP gateway with N boards on its RS-485 line), with the
 * register map of DESIGN.md §4: coils 0–47 write 1 = unlock pulse for channel 1–48 (read back as 0: the board clears
 * them); discrete inputs 0–47 door closed, 48–95 item present; input registers 0 firmware, 1 channel count, 2 fault
 * bits (bit 0 = a door is jammed), 3 unlock counter; holding register 0 pulse length in ms (50–5000). Exceptions: 01
 * unknown function, 02 bad address, 03 bad value (and count), 04 in the {@link LockBoard.Fault#EXCEPTION} fault.
 * A unit id without a board never answers (nothing on the line at that address).
 *
 * <p>Written on the wire protocol directly (MBAP header + PDU) rather than on a library's slave, so it checks the
 * gateway's client independently and can answer every exception and fault the specification names.
 */
public final class Cu48Simulator extends BoardServer {

    public static final int CHANNELS = 48;
    public static final int FIRMWARE = 0x0105;

    private Cu48Simulator(InetAddress bind, int port, List<Integer> units) throws IOException {
        super("cu48", bind, port, units, CHANNELS, FIRMWARE);
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param port TCP port, 0 for an ephemeral one
     * @param units the boards' unit ids (1–247)
     */
    public static Cu48Simulator start(int port, int... units) throws IOException {
        return start(null, port, units);
    }

    /** Starts a server on {@code bind} (null = 127.0.0.1). */
    public static Cu48Simulator start(InetAddress bind, int port, int... units) throws IOException {
        if (units.length == 0) {
            throw new IllegalArgumentException("at least one unit id");
        }
        List<Integer> list = new java.util.ArrayList<>();
        for (int unit : units) {
            if (unit < 1 || unit > 247) {
                throw new IllegalArgumentException("unit id must be 1-247: " + unit);
            }
            list.add(unit);
        }
        return new Cu48Simulator(bind, port, list);
    }

    @Override
    void serve(InputStream input, OutputStream out) throws IOException, InterruptedException {
        DataInputStream in = new DataInputStream(input);
        while (!closed()) {
            int tx;
            try {
                tx = in.readUnsignedShort();
            } catch (EOFException e) {
                return;
            }
            int protocol = in.readUnsignedShort();
            int length = in.readUnsignedShort();
            if (length < 2 || length > 254) {
                return; // not Modbus TCP: drop the connection
            }
            int unit = in.readUnsignedByte();
            byte[] pdu = new byte[length - 1];
            in.readFully(pdu);
            if (protocol != 0) {
                continue;
            }
            LockBoard board = boards().get(unit);
            if (board == null || !answers(board)) {
                continue;
            }
            byte[] answer = board.fault() == LockBoard.Fault.EXCEPTION ? exception(pdu[0], 4) : handle(board, pdu);
            if (board.fault() == LockBoard.Fault.GARBAGE) {
                out.write(frame(tx + 1, unit, answer));
                out.write(new byte[] {(byte) 0xFF, 0x00, 0x13});
                out.flush();
                continue;
            }
            out.write(frame(tx, unit, answer));
            out.flush();
        }
    }

    private static byte[] frame(int tx, int unit, byte[] pdu) {
        byte[] out = new byte[7 + pdu.length];
        out[0] = (byte) (tx >> 8);
        out[1] = (byte) tx;
        out[4] = (byte) ((pdu.length + 1) >> 8);
        out[5] = (byte) (pdu.length + 1);
        out[6] = (byte) unit;
        System.arraycopy(pdu, 0, out, 7, pdu.length);
        return out;
    }

    /** Executes one request PDU against a board; returns the answer PDU. */
    static byte[] handle(LockBoard board, byte[] pdu) {
        int function = pdu[0] & 0xFF;
        try {
            return switch (function) {
                case 1 -> bits(function, word(pdu, 1), word(pdu, 3), CHANNELS, i -> false);
                case 2 -> bits(function, word(pdu, 1), word(pdu, 3), 2 * CHANNELS,
                        i -> i < CHANNELS ? board.doorClosed(i + 1) : board.itemPresent(i - CHANNELS + 1));
                case 3 -> registers(function, word(pdu, 1), word(pdu, 3), 1, i -> board.pulseMillis());
                case 4 -> registers(function, word(pdu, 1), word(pdu, 3), 4, i -> switch (i) {
                    case 0 -> board.firmware();
                    case 1 -> board.channels();
                    case 2 -> board.faultBits();
                    default -> board.unlockCounter();
                });
                case 5 -> writeCoil(board, pdu);
                case 6 -> writeRegister(board, pdu);
                case 15 -> writeCoils(board, pdu);
                case 16 -> writeRegisters(board, pdu);
                default -> exception(function, 1);
            };
        } catch (ArrayIndexOutOfBoundsException e) {
            return exception(function, 3);
        } catch (ModbusError e) {
            return exception(function, e.code);
        }
    }

    private static byte[] bits(int function, int address, int count, int size, java.util.function.IntPredicate bit) {
        if (count < 1 || count > 2000) {
            throw new ModbusError(3);
        }
        if (address + count > size) {
            throw new ModbusError(2);
        }
        int bytes = (count + 7) / 8;
        byte[] out = new byte[2 + bytes];
        out[0] = (byte) function;
        out[1] = (byte) bytes;
        for (int i = 0; i < count; i++) {
            if (bit.test(address + i)) {
                out[2 + i / 8] |= (byte) (1 << (i % 8));
            }
        }
        return out;
    }

    private static byte[] registers(int function, int address, int count, int size,
            java.util.function.IntUnaryOperator value) {
        if (count < 1 || count > 125) {
            throw new ModbusError(3);
        }
        if (address + count > size) {
            throw new ModbusError(2);
        }
        byte[] out = new byte[2 + 2 * count];
        out[0] = (byte) function;
        out[1] = (byte) (2 * count);
        for (int i = 0; i < count; i++) {
            int v = value.applyAsInt(address + i);
            out[2 + 2 * i] = (byte) (v >> 8);
            out[3 + 2 * i] = (byte) v;
        }
        return out;
    }

    private static byte[] writeCoil(LockBoard board, byte[] pdu) {
        int address = word(pdu, 1);
        int value = word(pdu, 3);
        if (value != 0xFF00 && value != 0x0000) {
            throw new ModbusError(3);
        }
        if (address >= CHANNELS) {
            throw new ModbusError(2);
        }
        if (value == 0xFF00) {
            board.unlock(address + 1);
        }
        return java.util.Arrays.copyOf(pdu, 5);
    }

    private static byte[] writeRegister(LockBoard board, byte[] pdu) {
        int address = word(pdu, 1);
        int value = word(pdu, 3);
        if (address != 0) {
            throw new ModbusError(2);
        }
        if (value < 50 || value > 5000) {
            throw new ModbusError(3);
        }
        board.pulseMillis(value);
        return java.util.Arrays.copyOf(pdu, 5);
    }

    private static byte[] writeCoils(LockBoard board, byte[] pdu) {
        int address = word(pdu, 1);
        int count = word(pdu, 3);
        if (count < 1 || count > 1968 || (pdu[5] & 0xFF) != (count + 7) / 8) {
            throw new ModbusError(3);
        }
        if (address + count > CHANNELS) {
            throw new ModbusError(2);
        }
        for (int i = 0; i < count; i++) {
            if ((pdu[6 + i / 8] & (1 << (i % 8))) != 0) {
                board.unlock(address + i + 1);
            }
        }
        return java.util.Arrays.copyOf(pdu, 5);
    }

    private static byte[] writeRegisters(LockBoard board, byte[] pdu) {
        int address = word(pdu, 1);
        int count = word(pdu, 3);
        if (count < 1 || count > 123 || (pdu[5] & 0xFF) != 2 * count) {
            throw new ModbusError(3);
        }
        if (address != 0 || count != 1) {
            throw new ModbusError(2);
        }
        int value = word(pdu, 6);
        if (value < 50 || value > 5000) {
            throw new ModbusError(3);
        }
        board.pulseMillis(value);
        return java.util.Arrays.copyOf(pdu, 5);
    }

    static byte[] exception(int function, int code) {
        return new byte[] {(byte) (function | 0x80), (byte) code};
    }

    private static int word(byte[] pdu, int offset) {
        return ((pdu[offset] & 0xFF) << 8) | (pdu[offset + 1] & 0xFF);
    }

    private static final class ModbusError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        ModbusError(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }
}
