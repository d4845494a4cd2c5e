package org.lockergate.devices.lockboards;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** The TCP side shared by both simulators (not to be extended outside this package): a listener, a thread per connection, the boards, a door-physics clock. */
public abstract class BoardServer implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Map<Integer, LockBoard> boards = new TreeMap<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ServerSocket server;
    private final ScheduledExecutorService scheduler;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    BoardServer(String kind, InetAddress bind, int port, List<Integer> addresses, int channels, int firmware)
            throws IOException {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, kind + "-doors"));
        for (int address : addresses) {
            boards.put(address, new LockBoard(address, channels, firmware, scheduler));
        }
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bind == null ? InetAddress.getLoopbackAddress() : bind, port), 50);
        acceptor = daemon(this::accept, kind + "-accept-" + server.getLocalPort());
        acceptor.start();
    }

    /** The TCP port (the ephemeral one when started with 0). */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} as a client would use it. */
    public String endpoint() {
        return server.getInetAddress().getHostAddress() + ":" + port();
    }

    /** The board with this bus address. */
    public LockBoard board(int address) {
        LockBoard board = boards.get(address);
        if (board == null) {
            throw new IllegalArgumentException("no board " + address + "; boards: " + boards.keySet());
        }
        return board;
    }

    public Map<Integer, LockBoard> boards() {
        return Collections.unmodifiableMap(boards);
    }

    /** Connections accepted so far (a client that reconnects shows here). */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Drops every open connection (the serial server restarting); the listener stays. */
    public void dropConnections() {
        for (Socket socket : connections) {
            closeQuietly(socket);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        dropConnections();
        for (LockBoard board : boards.values()) {
            board.fault(board.fault()); // wakes waiters
        }
        scheduler.shutdownNow();
    }

    boolean closed() {
        return closed;
    }

    /** Serves one connection until it closes. */
    abstract void serve(InputStream in, OutputStream out) throws IOException, InterruptedException;

    /** Waits out a board's fault before it answers: false = do not answer at all. */
    boolean answers(LockBoard board) throws InterruptedException {
        switch (board.fault()) {
            case OFFLINE -> {
                // a silent board: the request is lost; the client times out and moves on
                return false;
            }
            case SLOW -> {
                Thread.sleep(board.slowDelay().toMillis());
                return !closed && board.fault() != LockBoard.Fault.OFFLINE;
            }
            default -> {
                return true;
            }
        }
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            accepted.incrementAndGet();
            connections.add(socket);
            daemon(() -> {
                try (Socket s = socket) {
                    s.setTcpNoDelay(true);
                    serve(s.getInputStream(), s.getOutputStream());
                } catch (SocketException e) {
                    // peer went away
                } catch (IOException e) {
                    // peer went away
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    connections.remove(socket);
                }
            }, "lockboard-conn-" + THREADS.incrementAndGet()).start();
        }
    }

    static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }

    static Duration millis(long ms) {
        return Duration.ofMillis(ms);
    }
}
