package org.lockergate.upstream.mqtt.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox to the broker (DESIGN.md §4 MQTT).
 *
 * <ul>
 * <li>One drain thread publishes; streams in priority order — alarms, then business events, then telemetry — and an
 * alarm written while a page of events is being sent preempts the rest of that page.</li>
 * <li>Per stream, rows go out in seq order on one connection (Paho keeps publish order on the socket); at most
 * {@code window} rows are in flight (QoS 1; telemetry QoS 0).</li>
 * <li>A row counts as delivered only on its PUBACK (QoS 0: once written to the socket). The confirm thread marks
 * the highest <i>contiguous</i> acknowledged seq confirmed in the store, coalescing many PUBACKs into one
 * store write.</li>
 * <li>A new connection starts each stream after the highest contiguous acknowledged seq, so everything not known
 * delivered is sent again (duplicates possible, never a gap; consumers de-duplicate by eventId). After a
 * restart or crash the store's unconfirmed rows are the starting point.</li>
 * </ul>
 */
final class OutboxDrainer {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDrainer.class);
    private static final Stream[] ORDER = {Stream.ALARMS, Stream.EVENTS, Stream.TELEMETRY};
    private static final long STORE_RETRY_MS = 1_000;

    private final LockerStore store;
    private final Payloads payloads;
    private final int pageSize;
    private final long pollMillis;
    private final java.util.function.Consumer<Session> sessionBroken;

    private final Object lock = new Object();
    private Session session;
    private boolean running;
    private final AtomicBoolean[] dirty = new AtomicBoolean[ORDER.length];

    /** Per stream: highest contiguous seq acknowledged by the broker (any connection). */
    private final AtomicLongArray acked = new AtomicLongArray(ORDER.length);
    /** Per stream: highest seq confirmed in the store by this drainer. */
    private final AtomicLongArray confirmed = new AtomicLongArray(ORDER.length);
    private final AtomicLongArray published = new AtomicLongArray(ORDER.length);
    private final AtomicLong confirmWrites = new AtomicLong();
    private volatile String storeProblem;
    /** Set by a crash-like stop: the confirm thread writes nothing more. */
    private volatile boolean abandoned;

    private Thread drainThread;
    private Thread confirmThread;

    /**
     * @param sessionBroken told when a publish fails on a connection Paho still calls connected (the link then
     *     ends the connection and reconnects)
     */
    OutboxDrainer(LockerStore store, Payloads payloads, int pageSize, long pollMillis,
            java.util.function.Consumer<Session> sessionBroken) {
        this.store = store;
        this.payloads = payloads;
        this.pageSize = Math.max(1, pageSize);
        this.pollMillis = Math.max(10, pollMillis);
        this.sessionBroken = sessionBroken;
        for (int i = 0; i < dirty.length; i++) {
            dirty[i] = new AtomicBoolean(true);
        }
    }

    void start() {
        synchronized (lock) {
            running = true;
        }
        drainThread = new Thread(this::drainLoop, "lockergate-upstream-drain");
        drainThread.setDaemon(true);
        drainThread.start();
        confirmThread = new Thread(this::confirmLoop, "lockergate-upstream-confirm");
        confirmThread.setDaemon(true);
        confirmThread.start();
    }

    /**
     * Stops both threads. With {@code flush}, the confirm thread first writes what was acknowledged so far (a clean
     * stop); without, it just stops (a crash in tests: the rows are sent again after the restart).
     */
    void stop(boolean flush, long waitMillis) {
        synchronized (lock) {
            running = false;
            session = null;
            lock.notifyAll();
        }
        join(drainThread, waitMillis);
        if (!flush) {
            abandoned = true;
        }
        join(confirmThread, waitMillis);
    }

    /** A new connection: every stream restarts after its highest contiguous acknowledged seq. */
    void attach(Session s) {
        for (Stream stream : ORDER) {
            s.lastSent[stream.ordinal()] = acked.get(stream.ordinal());
        }
        synchronized (lock) {
            session = s;
            for (AtomicBoolean d : dirty) {
                d.set(true);
            }
            lock.notifyAll();
        }
    }

    void detach(Session s) {
        synchronized (lock) {
            if (session == s) {
                session = null;
            }
        }
        s.window.release(1_000_000); // unblock a drain thread waiting for room on the dead connection
    }

    /** New rows were written (EventAdmin {@code lockergate/outbox/WRITTEN}). */
    void wake(Stream stream) {
        dirty[stream.ordinal()].set(true);
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    long acked(Stream stream) {
        return acked.get(stream.ordinal());
    }

    long confirmed(Stream stream) {
        return confirmed.get(stream.ordinal());
    }

    long published(Stream stream) {
        return published.get(stream.ordinal());
    }

    long confirmWrites() {
        return confirmWrites.get();
    }

    /** The last store failure seen by the drain, or null. */
    String storeProblem() {
        return storeProblem;
    }

    // ------------------------------------------------------------------------------------------------ drain

    private void drainLoop() {
        while (true) {
            Session s;
            Stream stream;
            synchronized (lock) {
                while (true) {
                    if (!running) {
                        return;
                    }
                    stream = session == null ? null : firstDirty();
                    if (stream != null) {
                        s = session;
                        break;
                    }
                    long before = System.nanoTime();
                    try {
                        lock.wait(pollMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    if (System.nanoTime() - before >= TimeUnit.MILLISECONDS.toNanos(pollMillis)) {
                        for (AtomicBoolean d : dirty) {
                            d.set(true); // poll: covers an event that never came
                        }
                    }
                }
            }
            try {
                drainPage(s, stream);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("发件箱发送出错 / Outbox drain failed on {}: {}", stream, e.toString(), e);
                dirty[stream.ordinal()].set(true);
                pause(STORE_RETRY_MS);
            }
        }
    }

    private Stream firstDirty() {
        for (Stream stream : ORDER) {
            if (dirty[stream.ordinal()].get()) {
                return stream;
            }
        }
        return null;
    }

    private void drainPage(Session s, Stream stream) throws InterruptedException {
        int i = stream.ordinal();
        dirty[i].set(false);
        long after = s.lastSent[i];
        List<OutboxEvent> fresh;
        try {
            // on from the last row sent on this connection, not from the oldest unconfirmed row: confirms lag
            // behind PUBACKs, and re-reading the sent rows made the drain quadratic on a backlog. pendingAfter
            // returns only rows that are on disk (the store's fsync barrier).
            fresh = store.pendingAfter(stream, after, pageSize);
            if (storeProblem != null) {
                LOG.info("发件箱可读取 / The outbox is readable again");
                storeProblem = null;
            }
        } catch (StoreException e) {
            if (storeProblem == null) {
                LOG.warn("发件箱读取失败，稍后重试 / Reading the outbox failed, retrying: {}", e.getMessage());
            }
            storeProblem = e.getMessage();
            dirty[i].set(true);
            pause(STORE_RETRY_MS);
            return;
        }
        if (fresh.size() >= pageSize) {
            dirty[i].set(true); // there may be more
        }
        int qos = stream == Stream.TELEMETRY ? 0 : 1;
        for (OutboxEvent row : fresh) {
            if (stream != Stream.ALARMS && dirty[Stream.ALARMS.ordinal()].get()) {
                dirty[i].set(true); // alarms first: come back for the rest
                return;
            }
            while (!s.window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (!s.alive() || !stillCurrent(s)) {
                    dirty[i].set(true);
                    return;
                }
            }
            if (!stillCurrent(s)) {
                s.window.release();
                dirty[i].set(true);
                return;
            }
            // Recorded before the publish: the PUBACK may arrive before publish() returns.
            s.acks[i].sent(row.seq());
            try {
                s.publish(payloads.topic(row), payloads.event(row), qos, false, row, new Ack(s, row));
                s.lastSent[i] = row.seq();
                published.incrementAndGet(i);
            } catch (MqttException e) {
                s.acks[i].unsent(row.seq());
                s.window.release();
                dirty[i].set(true);
                if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                    pause(5);
                    return;
                }
                LOG.debug("publish failed on connection {}: {}", s.number, e.toString());
                sessionBroken.accept(s);
                return;
            }
        }
    }

    private boolean stillCurrent(Session s) {
        synchronized (lock) {
            return running && session == s;
        }
    }

    /** PUBACK (or failure) of one row. Runs on Paho's callback thread: no store work here. */
    private final class Ack implements IMqttActionListener {
        private final Session s;
        private final OutboxEvent row;

        Ack(Session s, OutboxEvent row) {
            this.s = s;
            this.row = row;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            s.window.release();
            int i = row.stream().ordinal();
            long highest = s.acks[i].acked(row.seq());
            if (highest > 0 && highest > acked.get(i)) {
                acked.accumulateAndGet(i, highest, Math::max);
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            s.window.release();
            // Never acknowledged on this connection: the next connection sends it again. A failure on a connection
            // that is still up would leave a hole in the window, so that connection is ended.
            if (s.alive()) {
                LOG.debug("publish of {} #{} failed on a live connection: {}", row.stream(), row.seq(),
                        String.valueOf(cause));
                sessionBroken.accept(s);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ confirm

    private void confirmLoop() {
        while (true) {
            synchronized (lock) {
                while (!confirmDue()) {
                    if (!running) {
                        return;
                    }
                    try {
                        lock.wait(pollMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            for (Stream stream : ORDER) {
                if (abandoned) {
                    return;
                }
                int i = stream.ordinal();
                long target = acked.get(i);
                if (target > confirmed.get(i)) {
                    try {
                        store.confirm(stream, target);
                        confirmed.accumulateAndGet(i, target, Math::max);
                        confirmWrites.incrementAndGet();
                    } catch (StoreException e) {
                        LOG.warn("确认发件箱失败，稍后重试 / Confirming the outbox up to {} #{} failed, retrying: {}",
                                stream, target, e.getMessage());
                        pause(STORE_RETRY_MS);
                    } catch (RuntimeException e) {
                        LOG.error("确认发件箱出错 / Confirming the outbox failed: {}", e.toString(), e);
                        pause(STORE_RETRY_MS);
                    }
                }
            }
        }
    }

    private boolean confirmDue() {
        for (Stream stream : ORDER) {
            if (acked.get(stream.ordinal()) > confirmed.get(stream.ordinal())) {
                return true;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t, long millis) {
        if (t == null) {
            return;
        }
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
