package org.lockergate.console.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The fan-out behind {@code /api/v1/stream}: a numbered sequence of events, a short replay buffer for browsers
 * that reconnect with {@code Last-Event-ID}, and one bounded queue per connected browser.
 *
 * <p>{@link #publish} never blocks: it runs on EventAdmin's delivery thread, so a browser that reads slowly only
 * overflows its own queue (the queue is then emptied and the browser gets a fresh snapshot instead of the lost
 * events); the core and the other browsers never wait for it.
 */
final class EventStream {

    /** Put in a closed browser's queue to wake its writer at once. */
    static final StreamEvent CLOSED = new StreamEvent(-1, StreamEvent.Kind.REGISTRY, null, "{}");

    private final String epoch;
    private final int replaySize;
    private final int queueSize;
    private final int maxClients;
    private final ArrayDeque<StreamEvent> replay = new ArrayDeque<>();
    private final Set<Client> clients = new CopyOnWriteArraySet<>();
    private long seq;

    /**
     * @param epoch identifies this gateway run in event ids, so an id from before a restart is never replayed
     * @param replaySize events kept for {@code Last-Event-ID}
     * @param queueSize events queued per browser before it is considered too slow
     * @param maxClients streams open at once (each holds one HTTP thread)
     */
    EventStream(String epoch, int replaySize, int queueSize, int maxClients) {
        this.epoch = epoch;
        this.replaySize = Math.max(1, replaySize);
        this.queueSize = Math.max(1, queueSize);
        this.maxClients = Math.max(1, maxClients);
    }

    String epoch() {
        return epoch;
    }

    /** Numbers an event, keeps it for replay and offers it to every viewer allowed to see it. */
    StreamEvent publish(StreamEvent.Kind kind, String company, String json) {
        StreamEvent event;
        synchronized (this) {
            event = new StreamEvent(++seq, kind, company, json);
            replay.addLast(event);
            while (replay.size() > replaySize) {
                replay.removeFirst();
            }
        }
        for (Client client : clients) {
            client.offer(event);
        }
        return event;
    }

    /** The last sequence number handed out (a snapshot taken now includes every event up to it). */
    synchronized long lastSeq() {
        return seq;
    }

    /** The wire id of a sequence number. */
    String id(long sequence) {
        return epoch + "-" + sequence;
    }

    /**
     * The events after {@code lastEventId} this viewer may see, or {@code null} when they cannot be replayed
     * (no id, another gateway run, or older than the replay buffer): the browser then needs a snapshot.
     */
    synchronized List<StreamEvent> replayAfter(String lastEventId, Viewer viewer) {
        long after = parse(lastEventId);
        if (after < 0 || after > seq) {
            return null;
        }
        long oldest = replay.isEmpty() ? seq + 1 : replay.peekFirst().seq();
        if (after + 1 < oldest) {
            return null; // events in between were dropped from the buffer
        }
        List<StreamEvent> out = new ArrayList<>();
        for (StreamEvent e : replay) {
            if (e.seq() > after && viewer.sees(e)) {
                out.add(e);
            }
        }
        return out;
    }

    private long parse(String lastEventId) {
        if (lastEventId == null) {
            return -1;
        }
        int dash = lastEventId.lastIndexOf('-');
        if (dash <= 0 || !lastEventId.substring(0, dash).equals(epoch)) {
            return -1;
        }
        try {
            return Long.parseLong(lastEventId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Registers a browser; {@code null} when {@link #maxClients} streams are already open. */
    Client connect(Viewer viewer) {
        synchronized (clients) {
            if (clients.size() >= maxClients) {
                return null;
            }
            Client client = new Client(viewer, queueSize);
            clients.add(client);
            return client;
        }
    }

    void disconnect(Client client) {
        client.close();
        clients.remove(client);
    }

    int clientCount() {
        return clients.size();
    }

    /** The connected browsers (for tests and diagnostics). */
    List<Client> clients() {
        return List.copyOf(clients);
    }

    /** Ends every stream (the component stops). */
    void closeAll() {
        for (Client client : clients) {
            disconnect(client);
        }
    }

    /** One connected browser. */
    static final class Client {
        final Viewer viewer;
        private final BlockingQueue<StreamEvent> queue;
        private final AtomicBoolean overflowed = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile int dropped;

        Client(Viewer viewer, int queueSize) {
            this.viewer = viewer;
            this.queue = new ArrayBlockingQueue<>(queueSize);
        }

        void offer(StreamEvent event) {
            if (closed.get() || !viewer.sees(event)) {
                return;
            }
            if (!queue.offer(event)) {
                // too slow: drop its backlog; the writer sends a fresh snapshot instead
                queue.clear();
                overflowed.set(true);
                dropped++;
            }
        }

        /** The next event, or {@code null} after {@code millis} without one (time for a heartbeat). */
        StreamEvent next(long millis) throws InterruptedException {
            return queue.poll(millis, TimeUnit.MILLISECONDS);
        }

        /** Whether the queue overflowed since the last call (the browser then needs a snapshot). */
        boolean takeOverflow() {
            boolean was = overflowed.getAndSet(false);
            if (was) {
                queue.clear();
            }
            return was;
        }

        /** Drops queued events already contained in a snapshot taken at {@code seq}. */
        void skipThrough(long seq) {
            queue.removeIf(e -> e.seq() <= seq);
        }

        int queued() {
            return queue.size();
        }

        int overflows() {
            return dropped;
        }

        boolean closed() {
            return closed.get();
        }

        void close() {
            closed.set(true);
            queue.clear();
            queue.offer(CLOSED); // wakes the writer now rather than at the next heartbeat
        }
    }
}
