package org.lockergate.shell.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandProcessor;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.ShellSessions;

/**
 * The remote shell's TCP listener: one accept thread, one pool thread per session, at most
 * {@link ShellSettings#maxSessions()} sessions. Plain Java, so tests run it without a framework; {@link RemoteShell}
 * is the DS component around it.
 */
final class ShellServer implements RemoteShellEndpoint, AutoCloseable {

    /** How long {@link #close()} waits for session threads (a command may ignore its interrupt) before giving up. */
    private static final long STOP_WAIT_MILLIS = 1000;

    private final CommandProcessor processor;
    private final IdentityService identity;
    private final ShellSessions shellSessions;
    private final ShellSettings settings;
    private final ShellLog log;
    private final Semaphore slots;
    private final Set<ShellSession> sessions = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor pool;
    private final Object lock = new Object();

    private ServerSocket serverSocket;
    private Thread acceptThread;
    private volatile boolean closed;

    ShellServer(CommandProcessor processor, IdentityService identity, ShellSessions shellSessions,
            ShellSettings settings, ShellLog log) {
        this.processor = processor;
        this.identity = identity;
        this.shellSessions = shellSessions;
        this.settings = settings;
        this.log = log;
        this.slots = new Semaphore(settings.maxSessions());
        // The semaphore keeps tasks <= maxSessions; the queue only covers the moment a thread is finishing.
        this.pool = new ThreadPoolExecutor(settings.maxSessions(), settings.maxSessions(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("lockergate-shell-session-"));
        this.pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Binds and starts accepting. A failure is logged as one ERROR line naming the address and port, then thrown.
     */
    void start() throws IOException {
        String wanted = settings.bindAddress() + ":" + settings.port();
        ServerSocket socket = new ServerSocket();
        try {
            InetAddress address = InetAddress.getByName(settings.bindAddress());
            wanted = ShellSession.hostAndPort(address, settings.port());
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, settings.port()), 50);
        } catch (IOException | SecurityException e) {
            closeQuietly(socket);
            pool.shutdownNow();
            String[] why = explain(e);
            log.error("远程 shell 无法监听 " + wanted + "（" + why[0] + "）/ Remote shell cannot listen on " + wanted
                    + " (" + why[1] + ")");
            throw e instanceof IOException io ? io : new IOException(e);
        }
        synchronized (lock) {
            serverSocket = socket;
            acceptThread = threads("lockergate-shell-accept").newThread(this::acceptLoop);
            acceptThread.start();
        }
        String bound = ShellSession.hostAndPort(socket.getInetAddress(), socket.getLocalPort());
        log.info("Remote shell listening on " + bound);
        if (!socket.getInetAddress().isLoopbackAddress()) {
            log.warn("Remote shell listens on " + bound + ", beyond this host, without TLS: passwords cross the"
                    + " network in clear text. Prefer 127.0.0.1 and SSH port forwarding.");
        }
    }

    @Override
    public InetSocketAddress address() {
        synchronized (lock) {
            if (serverSocket == null) {
                throw new IllegalStateException("remote shell not started");
            }
            return new InetSocketAddress(serverSocket.getInetAddress(), serverSocket.getLocalPort());
        }
    }

    @Override
    public int activeSessions() {
        return sessions.size();
    }

    /**
     * Stops listening and ends every session. Threads blocked in accept, read or write are released by closing their
     * sockets, running commands are interrupted; one still running after {@value #STOP_WAIT_MILLIS} ms is left
     * behind (logged), so a stuck command never keeps the bundle from stopping.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (serverSocket != null) {
                closeQuietly(serverSocket);
            }
        }
        for (ShellSession session : sessions) {
            session.close();
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                log.warn("Remote shell stopped; " + pool.getActiveCount()
                        + " command(s) ignored the interrupt and keep running in the background");
            }
            Thread accept = acceptThread;
            if (accept != null) {
                accept.join(STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (serverSocket != null) {
            log.info("Remote shell stopped");
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Remote shell accept failed: " + e.getMessage());
                    pause();
                }
                continue;
            }
            admit(client);
        }
    }

    private void admit(Socket client) {
        if (!slots.tryAcquire()) {
            String remote = ShellSession.hostAndPort(client.getInetAddress(), client.getPort());
            log.warn("Remote shell busy: refused a connection from " + remote + " (" + settings.maxSessions()
                    + " sessions in use)");
            try (client) {
                OutputStream out = client.getOutputStream();
                out.write(Messages.busy(settings.maxSessions()).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // the client is gone already
            }
            return;
        }
        ShellSession session = new ShellSession(client, processor, identity, shellSessions, settings, log, ended -> {
            sessions.remove(ended);
            slots.release();
        });
        synchronized (lock) {
            if (closed) {
                closeQuietly(client);
                slots.release();
                return;
            }
            sessions.add(session);
        }
        log.debug("Remote shell connection from " + session.remote());
        try {
            pool.execute(session);
        } catch (RuntimeException e) { // rejected: the pool is shutting down
            sessions.remove(session);
            closeQuietly(client);
            slots.release();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100); // e.g. out of file descriptors: do not spin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The reason for a bind failure in Chinese and English. */
    private static String[] explain(Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof UnknownHostException) {
            return new String[] {"无法解析地址", "cannot resolve the address"};
        }
        if (e instanceof BindException || e instanceof SecurityException) {
            if (message.contains("in use")) {
                return new String[] {"端口已被占用", "port already in use"};
            }
            if (message.contains("assign requested address")) {
                return new String[] {"本机没有这个地址", "this host has no such address"};
            }
            if (message.contains("permission") || e instanceof SecurityException) {
                return new String[] {"没有权限，1024 以下的端口需要特权", "permission denied; ports below 1024 need privileges"};
            }
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new String[] {reason, reason};
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix.endsWith("-") ? prefix + count.incrementAndGet() : prefix);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
