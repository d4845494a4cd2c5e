package org.lockergate.vendor.kerong.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.lockergate.vendor.kerong.internal.KerongCodec.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One serial-to-TCP server with Kerong boards on its line: one TCP connection, one worker, one command in flight, a
 * queue. Before each command the input is cleared (a late answer or noise never counts for the next command); the
 * answer is the first valid status frame of the addressed board within the timeout, found by the codec through any
 * garbage. Status reads are retried; unlocks never are. A failed connect backs off (doubling up to a limit) and
 * requests meanwhile fail at once. Buses share nothing, so a dead server never delays another.
 */
final class KerongBus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KerongBus.class);

    /** Why a command failed. */
    static final class KerongException extends IOException {
        private static final long serialVersionUID = 1L;
        final boolean notSent;

        KerongException(String message, boolean notSent, Throwable cause) {
            super(message, cause);
            this.notSent = notSent;
        }
    }

    /**
     * @param timeout answer timeout
     * @param retries further attempts of a status read
     * @param queueLimit most commands waiting
     * @param backoffMin first wait after a failed connect
     * @param backoffMax longest wait
     */
    record Options(Duration timeout, int retries, int queueLimit, Duration backoffMin, Duration backoffMax) {
        static final Options DEFAULTS = new Options(Duration.ofMillis(300), 1, 64, Duration.ofMillis(250),
                Duration.ofSeconds(10));
    }

    private record Command(Object owner, int addr, int cmd, CompletableFuture<Frame> future) {
    }

    private final String host;
    private final int port;
    private final String name;
    private final Options options;
    private final LinkedBlockingQueue<Command> queue = new LinkedBlockingQueue<>();
    private final KerongCodec.Decoder decoder = new KerongCodec.Decoder();
    private final Thread worker;
    private volatile boolean closed;
    private Socket socket;
    private Duration backoff;
    private long nextConnect;

    KerongBus(String host, int port, Options options) {
        this.host = host;
        this.port = port;
        this.name = host + ":" + port;
        this.options = options;
        this.worker = new Thread(this::work, "LockerGate-kerong-" + name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    String name() {
        return name;
    }

    /** Sends {@code 02 addr cmd 03 SUM}; completes with the board's status answer. */
    CompletableFuture<Frame> send(Object owner, int addr, int cmd) {
        CompletableFuture<Frame> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new KerongException("Kerong 总线 " + name + " 已关闭 / Kerong bus " + name
                    + " is closed", true, null));
        } else if (queue.size() >= options.queueLimit()) {
            future.completeExceptionally(new KerongException("Kerong 总线 " + name + " 排队已满 / Kerong bus " + name
                    + " has " + queue.size() + " commands waiting", true, null));
        } else {
            queue.add(new Command(owner, addr, cmd, future));
        }
        return future;
    }

    /** Fails the queued commands of one owner. */
    void cancel(Object owner) {
        for (Iterator<Command> it = queue.iterator(); it.hasNext();) {
            Command c = it.next();
            if (c.owner() == owner) {
                it.remove();
                c.future().completeExceptionally(new KerongException("closed before sending", true, null));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        Command c;
        while ((c = queue.poll()) != null) {
            c.future().completeExceptionally(new KerongException("Kerong bus " + name + " closed", true, null));
        }
    }

    private void work() {
        try {
            while (!closed) {
                Command command;
                try {
                    command = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                if (command != null && !command.future().isDone()) {
                    run(command);
                }
            }
        } finally {
            disconnect();
            Command c;
            while ((c = queue.poll()) != null) {
                c.future().completeExceptionally(new KerongException("Kerong bus " + name + " closed", true, null));
            }
        }
    }

    private void run(Command command) {
        boolean unlock = command.cmd() != KerongCodec.STATUS;
        int attempts = unlock ? 1 : 1 + options.retries();
        String what = String.format("command %02X to address %02X", command.cmd(), command.addr());
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Socket current;
            try {
                current = connect();
            } catch (IOException e) {
                command.future().completeExceptionally(new KerongException("无法连接 Kerong 总线 " + name + " / cannot"
                        + " reach Kerong bus " + name + ": " + e.getMessage() + " (" + what + " not sent)", true, e));
                return;
            }
            try {
                Frame answer = exchange(current, command);
                command.future().complete(answer);
                return;
            } catch (SocketTimeoutException e) {
                if (attempt == attempts) {
                    command.future().completeExceptionally(new KerongException("Kerong 板 " + (command.addr() >> 4)
                            + "（" + name + "）在 " + options.timeout().toMillis() + " ms 内未应答 / Kerong board "
                            + (command.addr() >> 4) + " on " + name + " did not answer " + what + " within "
                            + options.timeout().toMillis() + " ms (" + attempt + " attempts)", false, e));
                }
            } catch (IOException e) {
                disconnect();
                if (attempt == attempts) {
                    command.future().completeExceptionally(new KerongException("与 " + name + " 的连接中断 / connection to "
                            + name + " broke during " + what + ": " + e.getMessage(), false, e));
                }
            }
        }
    }

    /** Clears stale input, writes the command, reads until the addressed board's status answer or the timeout. */
    private Frame exchange(Socket current, Command command) throws IOException {
        InputStream in = current.getInputStream();
        OutputStream out = current.getOutputStream();
        byte[] chunk = new byte[256];
        while (in.available() > 0) {
            int n = in.read(chunk, 0, Math.min(chunk.length, in.available()));
            if (n < 0) {
                throw new IOException("connection closed by the server");
            }
        }
        decoder.reset();
        out.write(KerongCodec.command(command.addr(), command.cmd()));
        out.flush();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no answer");
            }
            current.setSoTimeout((int) Math.max(1, left));
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("connection closed by the server");
            }
            for (Frame frame : decoder.feed(chunk, 0, n)) {
                if (frame.cmd() == KerongCodec.STATUS_ANSWER && frame.board() == command.addr() >> 4) {
                    return frame;
                }
                LOG.debug("Kerong bus {}: ignoring {}", name, frame);
            }
        }
    }

    private Socket connect() throws IOException {
        if (socket != null && !socket.isClosed()) {
            return socket;
        }
        long now = System.nanoTime();
        if (backoff != null && now - nextConnect < 0) {
            throw new IOException("backing off, next connect in " + TimeUnit.NANOSECONDS.toMillis(nextConnect - now)
                    + " ms");
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(100, options.timeout().toMillis() * 4));
            s.setTcpNoDelay(true);
            socket = s;
            if (backoff != null) {
                LOG.info("Kerong 总线 {} 已重新连接 / Kerong bus {} connected again", name, name);
            }
            backoff = null;
            return s;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
            backoff = backoff == null ? options.backoffMin()
                    : (backoff.multipliedBy(2).compareTo(options.backoffMax()) > 0 ? options.backoffMax()
                            : backoff.multipliedBy(2));
            nextConnect = now + backoff.toNanos();
            LOG.warn("无法连接 Kerong 总线 {}（{}），{} ms 后重试 / Cannot connect to Kerong bus {} ({}), retrying in {} ms",
                    name, e.getMessage(), backoff.toMillis(), name, e.getMessage(), backoff.toMillis());
            throw e;
        }
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
            socket = null;
        }
    }

    /** Frames skipped as noise / rejected for a bad checksum, for diagnostics and tests. */
    long noise() {
        return decoder.noise();
    }

    long rejected() {
        return decoder.rejected();
    }
}
