package org.lockergate.store.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread forces the database file to disk for every transaction that committed before the force
 * started, and releases their writers together.
 *
 * <p>Protocol. A writer commits its transaction (H2 with {@code WRITE_DELAY=0}), and only then calls
 * {@link #committed()}, which hands it a ticket — a number one higher than any ticket issued before. It then calls
 * {@link #awaitDurable(long)}. The sync thread loops: when tickets are outstanding it reads the highest ticket
 * issued so far ({@code target}), runs the {@link SyncAction} once, and on success marks everything up to
 * {@code target} durable and wakes the waiters. Because a ticket is only issued after its commit returned, and the
 * target is read before the sync starts, every transaction whose ticket is covered committed before the sync began;
 * the sync action ({@code CHECKPOINT SYNC}: store all committed changes, then {@code fsync}) therefore covers it.
 * Commits that happen while a sync runs get a higher ticket and wait for the next sync, which starts as soon as the
 * current one ends — there is no timer: a lone writer is synced immediately, and under load each sync carries
 * everything that committed during the previous one.
 *
 * <p>A failed sync is not retried: after a failed fsync the state of the OS page cache is unknown (Linux may drop
 * the dirty pages and report success next time), so every waiting writer and every later one gets the failure,
 * and the store must be restarted (it then re-reads the file). This is what PostgreSQL does since "fsyncgate".
 */
final class GroupCommit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** Forces every committed transaction to stable storage. */
    @FunctionalInterface
    interface SyncAction {
        void sync() throws Exception;
    }

    private final SyncAction action;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition done = lock.newCondition();
    private final Thread thread;

    // guarded by lock
    private long issued;
    private long durable;
    private Exception failure;
    private boolean stopping;

    // statistics (written by the sync thread only)
    private volatile long syncs;
    private volatile long syncedTickets;
    private volatile long lastSyncNanos;
    private volatile long totalSyncNanos;

    GroupCommit(SyncAction action, String threadName) {
        this.action = action;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Called right after a transaction committed; returns its ticket. */
    long committed() {
        lock.lock();
        try {
            long ticket = ++issued;
            work.signal();
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until the ticket's transaction is on disk; throws when the sync failed or the store stopped. */
    void awaitDurable(long ticket) throws SyncFailedException {
        boolean interrupted = false;
        lock.lock();
        try {
            while (durable < ticket) {
                if (failure != null) {
                    throw new SyncFailedException(failure);
                }
                if (stopping && !thread.isAlive()) {
                    throw new SyncFailedException(new IllegalStateException("the store stopped before the sync"));
                }
                try {
                    done.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    // a write that committed must not return before its fsync: keep waiting, restore the flag
                    interrupted = true;
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Issues a ticket without a transaction and waits: everything committed before this call is then on disk. */
    void barrier() throws SyncFailedException {
        awaitDurable(committed());
    }

    /** The failure that stopped syncing, or null. */
    Exception failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    long syncs() {
        return syncs;
    }

    /** Transactions (and barriers) made durable so far. */
    long syncedTickets() {
        return syncedTickets;
    }

    long lastSyncNanos() {
        return lastSyncNanos;
    }

    long totalSyncNanos() {
        return totalSyncNanos;
    }

    private void run() {
        while (true) {
            long target;
            lock.lock();
            try {
                while (issued == durable && !stopping) {
                    work.awaitUninterruptibly();
                }
                if (issued == durable) { // stopping, nothing left
                    return;
                }
                target = issued;
            } finally {
                lock.unlock();
            }
            long start = System.nanoTime();
            Exception error = null;
            try {
                action.sync();
            } catch (Exception e) {
                error = e;
            }
            long nanos = System.nanoTime() - start;
            lock.lock();
            try {
                if (error == null) {
                    syncedTickets += target - durable;
                    durable = target;
                    syncs++;
                    lastSyncNanos = nanos;
                    totalSyncNanos += nanos;
                } else {
                    failure = error;
                    stopping = true;
                }
                done.signalAll();
            } finally {
                lock.unlock();
            }
            if (error != null) {
                LOG.error("数据库同步到磁盘失败，存储停止写入 / Forcing the database to disk failed; the store accepts "
                        + "no more writes until it is restarted: {}", error.toString());
                return;
            }
        }
    }

    /** Syncs what is outstanding, then stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            stopping = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            done.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The sync that would have made a transaction durable failed (or the store stopped first). */
    static final class SyncFailedException extends Exception {

        private static final long serialVersionUID = 1L;

        SyncFailedException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
