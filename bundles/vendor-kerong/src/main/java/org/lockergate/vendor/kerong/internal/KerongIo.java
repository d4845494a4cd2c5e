package org.lockergate.vendor.kerong.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.lockergate.vendor.lockboard.internal.BoardIo;
import org.lockergate.vendor.lockboard.internal.BoardState;

/**
 * Kerong boards through a {@link KerongBus}. Board numbers of the descriptor are the board address + 1 (addresses
 * 0–15 on the DIP switch; people count from 1); lock index = channel − 1. A poll is one status command per board.
 * Kerong boards have no fault bits, no firmware query and a fixed pulse: the pulse length is ignored.
 */
final class KerongIo implements BoardIo {

    static final int CHANNELS = 16;

    private final KerongBus bus;
    private final Runnable release;

    KerongIo(KerongBus bus, Runnable release) {
        this.bus = bus;
        this.release = release;
    }

    @Override
    public CompletableFuture<BoardState> read(int board) {
        return bus.send(this, address(board), KerongCodec.STATUS).thenApply(KerongIo::state);
    }

    @Override
    public CompletableFuture<Boolean> doorClosed(int board, int channel) {
        return bus.send(this, address(board), KerongCodec.STATUS).thenApply(frame -> frame.locked(channel));
    }

    @Override
    public CompletableFuture<Void> pulse(int board, int channel, Duration pulse) {
        return bus.send(this, address(board) | (channel - 1), KerongCodec.UNLOCK).<Void>thenApply(frame -> null)
                .exceptionallyCompose(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof KerongBus.KerongException k && k.notSent) {
                        return CompletableFuture.failedFuture(new NotSent(k.getMessage(), k));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    @Override
    public void close() {
        bus.cancel(this);
        release.run();
    }

    static int address(int board) {
        if (board < 1 || board > 16) {
            throw new IllegalArgumentException("Kerong board numbers are 1-16 (address + 1): " + board);
        }
        return (board - 1) << 4;
    }

    static BoardState state(KerongCodec.Frame frame) {
        boolean[] doors = new boolean[CHANNELS];
        boolean[] items = new boolean[CHANNELS];
        for (int channel = 1; channel <= CHANNELS; channel++) {
            doors[channel - 1] = frame.locked(channel);
            items[channel - 1] = frame.present(channel);
        }
        return new BoardState(doors, items, 0, null);
    }
}
