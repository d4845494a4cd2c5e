package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.SizeClass;

class ConcurrentDepositTest {

    @TempDir
    Path dir;

    @Test
    void two_couriers_depositing_from_eight_threads_never_share_a_compartment() throws Exception {
        try (Harness h = new Harness(dir)) {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                labels.add("S:" + (100 + i));
            }
            h.attach("c2", "g1", new FakeDriver(), Harness.specs(labels.toArray(String[]::new)));
            String jt = h.session("JT-0001");
            String zto = h.session("ZTO-0001");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String session = t % 2 == 0 ? jt : zto;
                Callable<List<String>> work = () -> {
                    start.await();
                    List<String> won = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        try {
                            DepositResult r = h.core.kiosk.deposit("g1", Harness.request(session, SizeClass.S,
                                    "13800001234", true));
                            won.add(r.compartment());
                        } catch (LockerException e) {
                            assertThat(e.code()).isEqualTo("full");
                        }
                    }
                    return won;
                };
                futures.add(pool.submit(work));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                all.addAll(f.get());
            }
            pool.shutdown();

            assertThat(all).hasSize(67).doesNotHaveDuplicates();
            assertThat(h.core.queries.compartments("g1")).allSatisfy(c -> assertThat(c.parcelId()).isNotNull());
            assertThat(h.core.queries.parcels("g1", List.of(), 1000)).hasSize(67);
        }
    }
}
