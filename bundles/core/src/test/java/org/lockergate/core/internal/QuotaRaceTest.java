package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.report.TurnedAway;
import org.lockergate.api.spi.Allocation;
import org.lockergate.api.spi.AllocationPolicy;
import org.lockergate.api.spi.AllocationRequest;
import org.lockergate.core.internal.policy.SmallestFitAllocation;
import org.lockergate.core.internal.query.Reports;

/**
 * The quota decision is atomic with the reservation: couriers of one company depositing at the same moment never
 * take more than the company's pool, and every deposit turned away is recorded (capacity planning).
 */
class QuotaRaceTest {

    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir
    Path dir;

    /**
     * A quota pool of {@code pool} compartments per company. Every decision first waits (briefly) until all
     * depositing threads are deciding too: were the decision taken outside the reserve transaction, all of them
     * would decide on the same picture and the pool would be overrun.
     */
    static final class PoolOf implements AllocationPolicy {
        final int pool;
        final Harness h;
        final CountDownLatch deciding;
        final AllocationPolicy fit = new SmallestFitAllocation();

        PoolOf(int pool, Harness h, int threads) {
            this.pool = pool;
            this.h = h;
            this.deciding = new CountDownLatch(threads);
        }

        @Override
        public Allocation allocate(AllocationRequest request, List<Compartment> compartments) {
            deciding.countDown();
            try {
                deciding.await(150, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long held = compartments.stream().filter(c -> c.parcelId() != null)
                    .map(c -> h.core.queries.parcel(c.parcelId()).map(Parcel::companyCode).orElse(null))
                    .filter(request.companyCode()::equals).count();
            if (held >= pool) {
                return new Allocation(List.of(), "pool used up " + held + "/" + pool, null);
            }
            return fit.allocate(request, compartments);
        }
    }

    @Test
    void two_couriers_of_one_company_never_both_get_the_last_compartment_of_its_pool() throws Exception {
        try (Harness h = new Harness(dir)) {
            int threads = 6;
            for (int round = 0; round < 3; round++) {
                h.core.policies.allocation(new PoolOf(2, h, threads));
                String jt = h.session("JT-0001");
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<String>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        try {
                            return h.core.kiosk.deposit("g1", Harness.request(jt, SizeClass.S, "13800001234", true))
                                    .compartment();
                        } catch (LockerException e) {
                            assertThat(e.code()).isEqualTo("full");
                            return null;
                        }
                    }));
                }
                start.countDown();
                List<String> won = new ArrayList<>();
                for (Future<String> f : futures) {
                    String label = f.get();
                    if (label != null) {
                        won.add(label);
                    }
                }
                pool.shutdown();
                long held = h.core.queries.compartments("g1").stream().filter(c -> c.parcelId() != null).count();
                // the pool is 2: the first round takes both, later rounds get nothing
                assertThat(won).hasSize(round == 0 ? 2 : 0).doesNotHaveDuplicates();
                assertThat(held).isEqualTo(2);
            }
            List<TurnedAway> away = new Reports(h.core.env).turnedAway("g1", Instant.EPOCH, FAR);
            assertThat(away).hasSize(6 * 3 - 2).allSatisfy(t -> {
                assertThat(t.reason()).isEqualTo("quota"); // free compartments were left: the pool refused
                assertThat(t.companyCode()).isEqualTo("JT");
                assertThat(t.size()).isEqualTo(SizeClass.S);
            });
        }
    }

    @Test
    void a_full_group_records_the_turned_away_deposit_with_the_overflow_group_and_a_report_goes_to_the_outbox()
            throws Exception {
        try (Harness h = new Harness(dir)) {
            h.attach("c2", "g2", new FakeDriver(), Harness.specs("L:1"));
            h.deposit(SizeClass.L, "13800001234");
            h.clock.advance(java.time.Duration.ofMinutes(5));
            try {
                h.deposit(SizeClass.L, "13800001235");
                throw new AssertionError("the group has no L compartment left");
            } catch (LockerException e) {
                assertThat(e.code()).isEqualTo("full");
            }
            Reports reports = new Reports(h.core.env);
            List<TurnedAway> away = reports.turnedAway(null, Instant.EPOCH, FAR);
            assertThat(away).singleElement().satisfies(t -> {
                assertThat(t.groupId()).isEqualTo("g1");
                assertThat(t.reason()).isEqualTo("full");
                assertThat(t.full()).isTrue();
                assertThat(t.suggestedGroupId()).isEqualTo("g2"); // overflow to the nearest group with room
                assertThat(t.at()).isEqualTo(h.clock.now());
            });
            assertThat(reports.turnedAway("g2", Instant.EPOCH, FAR)).isEmpty();
            assertThat(h.core.queries.audit(Instant.EPOCH, 100)).anySatisfy(a -> {
                assertThat(a.action()).isEqualTo("deposit.turned_away");
                assertThat(a.detail()).contains("full (L)", "group g2");
            });

            // the store's use counter (wear spreading): the L compartment's door opened once
            assertThat(reports.uses("g1")).containsEntry("7", 1L).containsEntry("1", 0L).hasSize(7);
            long seq = reports.publish("capacity.report", "operator:tech", Map.of("groups", List.of("g1")));
            List<OutboxEvent> sent = h.outbox("capacity.report");
            assertThat(sent).singleElement().satisfies(e -> {
                assertThat(e.seq()).isEqualTo(seq);
                assertThat(e.stream()).isEqualTo(OutboxEvent.Stream.EVENTS);
                assertThat(h.data(e)).containsEntry("groups", List.of("g1"));
            });
        }
    }
}
