package org.lockergate.vendor.lockboard.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A cabinet's lock boards as a vendor protocol reaches them. Boards and channels are numbered as in the descriptor
 * (channels from 1); each implementation maps them to its protocol's addresses. Stages complete on transport threads.
 */
public interface BoardIo extends AutoCloseable {

    /** Every channel's door and item sensor and the board's fault bits, in as few requests as the protocol allows. */
    CompletableFuture<BoardState> read(int board);

    /** One door's sensor, read fresh (open verification). */
    CompletableFuture<Boolean> doorClosed(int board, int channel);

    /**
     * One unlock pulse. Fails with {@link NotSent} when the pulse certainly did not reach the board; any other failure
     * means the pulse may have been delivered.
     */
    CompletableFuture<Void> pulse(int board, int channel, Duration pulse);

    /** Releases the connection (queued requests fail). */
    @Override
    void close();

    /** The pulse certainly did not reach the board (refused, not connected, queue full, closed). */
    final class NotSent extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        public NotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
