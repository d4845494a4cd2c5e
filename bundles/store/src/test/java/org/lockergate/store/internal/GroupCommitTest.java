package org.lockergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.health.HealthStatus;
import org.lockergate.store.StoreException;

class GroupCommitTest {

    @TempDir
    Path dir;

    @Test
    void concurrentWritersShareSyncs() throws Exception {
        H2Store store = Stores.open(dir);
        try {
            int threads = 16;
            int perThread = 200;
            long syncsBefore = store.stats().syncs();
            long txBefore = store.stats().transactions();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        String id = thread + "-" + i;
                        store.write("test.group", tx -> {
                            tx.audit(Stores.T0, "test", "group", id, null);
                            return null;
                        });
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();

            long writes = (long) threads * perThread;
            long syncs = store.stats().syncs() - syncsBefore;
            assertThat(Stores.count(store, "SELECT COUNT(*) FROM audit_log WHERE action = 'group'")).isEqualTo(writes);
            assertThat(store.stats().transactions() - txBefore).isEqualTo(writes);
            System.out.printf("group commit: %d writes, %d syncs, %.1f writes per sync%n", writes, syncs,
                    (double) writes / syncs);
            // sharing means far fewer fsyncs than writes; on this 2-core machine under load we measured 3.8–8
            // writes per fsync, so require at least 2 (a threshold of 4 failed on busy CI runs at 3.8)
            assertThat(syncs).isPositive().isLessThan(writes / 2);
        } finally {
            store.close();
        }
    }

    @Test
    void aLoneWriterDoesNotWaitForATimer() throws Exception {
        H2Store store = Stores.open(dir);
        try {
            for (int i = 0; i < 5; i++) { // warm up
                write(store, "warm-" + i);
            }
            long best = Long.MAX_VALUE;
            long syncsBefore = store.stats().syncs();
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                write(store, "lone-" + i);
                best = Math.min(best, System.nanoTime() - start);
            }
            System.out.printf("lone write: best %.2f ms%n", best / 1e6);
            // one fsync each (a few ms on this disk), never a batching delay
            assertThat(TimeUnit.NANOSECONDS.toMillis(best)).isLessThan(100);
            assertThat(store.stats().syncs() - syncsBefore).isEqualTo(10);
        } finally {
            store.close();
        }
    }

    @Test
    void aFailedSyncFailsEveryWaitingWriterAndMakesTheStoreDown() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        H2Store store = H2Store.standalone(StoreSettings.defaults(dir), java.time.Clock.systemUTC());
        store.decorateSync(real -> () -> {
            if (failing.get()) {
                throw new IOException("Input/output error (simulated)");
            }
            real.sync();
        });
        assertThat(store.start()).isTrue();
        try {
            write(store, "ok");
            failing.set(true);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    write(store, "doomed-" + thread);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(StoreException.class) // "not acknowledged" or, if it came later,
                        .hasMessageContaining("Input/output error"); // "must be restarted": never a success
            }
            pool.shutdown();
            assertThatThrownBy(() -> write(store, "later")).isInstanceOf(StoreException.class)
                    .hasMessageContaining("must be restarted");
            assertThat(StoreHealth.check(store).status()).isEqualTo(HealthStatus.DOWN);
            assertThat(StoreHealth.check(store).message()).contains("Input/output error");
            // reads still work
            assertThat(Stores.count(store, "SELECT COUNT(*) FROM audit_log WHERE target = 'ok'")).isEqualTo(1);
        } finally {
            store.close();
        }
    }

    @Test
    void aCommitDuringASyncWaitsForTheNextSync() throws Exception {
        Semaphore entered = new Semaphore(0);
        Semaphore release = new Semaphore(0);
        AtomicInteger syncs = new AtomicInteger();
        GroupCommit gc = new GroupCommit(() -> {
            syncs.incrementAndGet();
            entered.release();
            release.acquire();
        }, "test-sync");
        gc.start();
        try {
            long first = gc.committed();
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> await(gc, first));
            assertThat(entered.tryAcquire(5, TimeUnit.SECONDS)).isTrue(); // sync 1 running, covers ticket 1 only
            long second = gc.committed();
            long third = gc.committed();
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> await(gc, second));
            CompletableFuture<Void> c = CompletableFuture.runAsync(() -> await(gc, third));
            Thread.sleep(5);
            assertThat(a).isNotDone();
            release.release(); // sync 1 ends
            a.get(5, TimeUnit.SECONDS);
            assertThat(entered.tryAcquire(5, TimeUnit.SECONDS)).isTrue(); // sync 2 starts at once, for 2 and 3
            Thread.sleep(5);
            assertThat(b).isNotDone();
            assertThat(c).isNotDone();
            release.release();
            b.get(5, TimeUnit.SECONDS);
            c.get(5, TimeUnit.SECONDS);
            assertThat(syncs).hasValue(2);
            assertThat(gc.syncedTickets()).isEqualTo(3);
        } finally {
            release.release(10);
            gc.close();
        }
    }

    @Test
    void closeSyncsWhatIsOutstanding() throws Exception {
        List<Long> log = new CopyOnWriteArrayList<>();
        GroupCommit gc = new GroupCommit(() -> log.add(System.nanoTime()), "test-sync");
        gc.start();
        long ticket = gc.committed();
        gc.close();
        gc.awaitDurable(ticket); // returns: the final sync covered it
        assertThat(log).isNotEmpty();
    }

    private static void await(GroupCommit gc, long ticket) {
        try {
            gc.awaitDurable(ticket);
        } catch (GroupCommit.SyncFailedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(H2Store store, String target) throws Exception {
        store.write("test", tx -> {
            tx.audit(Stores.T0, "test", "w", target, null);
            tx.outbox(OutboxEvent.Stream.EVENTS, "test.written", Stores.T0, "{}");
            return null;
        });
    }
}
