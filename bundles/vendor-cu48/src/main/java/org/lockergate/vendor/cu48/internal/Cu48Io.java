package org.lockergate.vendor.cu48.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.transport.modbus.ModbusBus;
import org.lockergate.transport.modbus.ModbusException;
import org.lockergate.vendor.lockboard.internal.BoardIo;
import org.lockergate.vendor.lockboard.internal.BoardState;

/**
 * CU48 boards through the Modbus transport (DESIGN.md §4): unit id = board number; one poll of a board is two
 * requests, discrete inputs 0–95 (doors closed 0–47, items 48–95) and input registers 0–3 (firmware, channel count,
 * fault bits, unlock counter); an unlock writes holding register 0 (pulse ms, clamped to 50–5000, only when it
 * differs from what this bundle last wrote) and then coil channel − 1.
 */
final class Cu48Io implements BoardIo {

    static final int CHANNELS = 48;
    static final int PULSE_MIN = 50;
    static final int PULSE_MAX = 5000;

    private final ModbusBus bus;
    private final Map<Integer, Integer> pulseWritten = new ConcurrentHashMap<>();

    Cu48Io(ModbusBus bus) {
        this.bus = bus;
    }

    @Override
    public CompletableFuture<BoardState> read(int board) {
        CompletableFuture<boolean[]> inputs = bus.readDiscreteInputs(board, 0, 2 * CHANNELS);
        CompletableFuture<int[]> registers = bus.readInputRegisters(board, 0, 4);
        return inputs.thenCombine(registers, (bits, regs) -> {
            boolean[] doors = new boolean[CHANNELS];
            boolean[] items = new boolean[CHANNELS];
            System.arraycopy(bits, 0, doors, 0, CHANNELS);
            System.arraycopy(bits, CHANNELS, items, 0, CHANNELS);
            return new BoardState(doors, items, regs[2], firmware(regs[0]));
        });
    }

    @Override
    public CompletableFuture<Boolean> doorClosed(int board, int channel) {
        return bus.readDiscreteInputs(board, channel - 1, 1).thenApply(bits -> bits[0]);
    }

    @Override
    public CompletableFuture<Void> pulse(int board, int channel, Duration pulse) {
        int millis = (int) Math.max(PULSE_MIN, Math.min(PULSE_MAX, pulse.toMillis()));
        CompletableFuture<Void> ready = Integer.valueOf(millis).equals(pulseWritten.get(board))
                ? CompletableFuture.completedFuture(null)
                : bus.writeRegister(board, 0, millis).thenRun(() -> pulseWritten.put(board, millis));
        return ready.exceptionallyCompose(e -> CompletableFuture.failedFuture(notSent(e, "pulse length " + millis
                + " ms")))
                .thenCompose(v -> bus.writeCoil(board, channel - 1, true).exceptionallyCompose(e -> {
                    ModbusException m = modbus(e);
                    if (m != null && !m.isNoAnswer()) {
                        return CompletableFuture.failedFuture(new NotSent("coil " + (channel - 1) + ": "
                                + m.getMessage(), m));
                    }
                    return CompletableFuture.failedFuture(e);
                }));
    }

    @Override
    public void close() {
        bus.close();
    }

    /** A failure before the coil write: nothing was pulsed. */
    private static Throwable notSent(Throwable e, String what) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof NotSent ? cause : new NotSent(what + ": " + cause.getMessage(), cause);
    }

    private static ModbusException modbus(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof ModbusException m ? m : null;
    }

    static String firmware(int register) {
        return (register >> 8) + "." + (register & 0xFF);
    }
}
