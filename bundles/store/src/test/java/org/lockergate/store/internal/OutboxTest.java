package org.lockergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.OutboxEvent.Stream;

class OutboxTest {

    @TempDir
    Path dir;
    H2Store store;
    final List<String> notified = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = new H2Store(StoreSettings.defaults(dir), DriverManagerDataSource::new, Stores.bundleMigrations(),
                Clock.systemUTC(), stream -> notified.add(stream.name()));
        assertThat(store.start()).isTrue();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void seqsHaveNoGapsPerStreamUnderConcurrencyEvenWithRollbacks() throws Exception {
        int threads = 12;
        int perThread = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    Stream stream = (thread + i) % 3 == 0 ? Stream.ALARMS : Stream.EVENTS;
                    boolean refuse = i % 10 == 9;
                    try {
                        store.write("test.outbox", tx -> {
                            tx.outbox(stream, "test.event", Stores.T0, "{\"t\":" + thread + "}");
                            if (refuse) { // a refusal after the seq was taken gives it back
                                throw new LockerException(LockerException.Kind.CONFLICT, "refused", "refused");
                            }
                            return null;
                        });
                    } catch (LockerException expected) {
                        // counted below
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (Stream stream : List.of(Stream.ALARMS, Stream.EVENTS)) {
            List<Long> seqs = seqs(stream);
            assertThat(seqs).as(stream.name()).isNotEmpty()
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertThat(Stores.count(store, "SELECT last_seq FROM outbox_stream WHERE stream = ?", stream.name()))
                    .isEqualTo(seqs.size());
        }
        long committed = threads * perThread - threads * (perThread / 10);
        assertThat(seqs(Stream.ALARMS).size() + seqs(Stream.EVENTS).size()).isEqualTo(committed);
        List<String> ids = store.pending(Stream.EVENTS, 10_000).stream().map(OutboxEvent::eventId).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.length() == 36);
    }

    @Test
    void pendingReturnsUnconfirmedRowsInSeqOrderAndConfirmMarksThem() throws Exception {
        for (int i = 1; i <= 5; i++) {
            int n = i;
            store.write("test", tx -> tx.outbox(Stream.EVENTS, "parcel.deposited", Stores.T0.plusSeconds(n),
                    "{\"n\":" + n + "}"));
        }
        store.write("test", tx -> tx.outbox(Stream.ALARMS, "door_jammed", Stores.T0, "{}"));

        List<OutboxEvent> pending = store.pending(Stream.EVENTS, 3);
        assertThat(pending).extracting(OutboxEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(pending.get(0)).satisfies(e -> {
            assertThat(e.stream()).isEqualTo(Stream.EVENTS);
            assertThat(e.type()).isEqualTo("parcel.deposited");
            assertThat(e.ts()).isEqualTo(Stores.T0.plusSeconds(1));
            assertThat(e.data()).isEqualTo("{\"n\":1}");
        });

        store.confirm(Stream.EVENTS, 3);
        assertThat(store.pending(Stream.EVENTS, 100)).extracting(OutboxEvent::seq).containsExactly(4L, 5L);
        assertThat(store.pending(Stream.ALARMS, 100)).extracting(OutboxEvent::seq).containsExactly(1L);
        store.confirm(Stream.EVENTS, 3); // again: harmless
        store.confirm(Stream.EVENTS, 5);
        assertThat(store.pending(Stream.EVENTS, 100)).isEmpty();
        assertThat(store.pending(Stream.EVENTS, 0)).isEmpty();
    }

    @Test
    void pendingAfterReadsOnFromASeqAndPendingCountCountsTheUnconfirmedRows() throws Exception {
        for (int i = 1; i <= 6; i++) {
            store.write("test", tx -> tx.outbox(Stream.EVENTS, "parcel.deposited", Stores.T0, "{}"));
        }
        store.write("test", tx -> tx.outbox(Stream.ALARMS, "door_jammed", Stores.T0, "{}"));
        assertThat(store.pendingCount(Stream.EVENTS)).isEqualTo(6);
        assertThat(store.pendingCount(Stream.ALARMS)).isEqualTo(1);
        assertThat(store.pendingCount(Stream.TELEMETRY)).isZero();

        assertThat(store.pendingAfter(Stream.EVENTS, 2, 3)).extracting(OutboxEvent::seq).containsExactly(3L, 4L, 5L);
        assertThat(store.pendingAfter(Stream.EVENTS, 5, 100)).extracting(OutboxEvent::seq).containsExactly(6L);
        assertThat(store.pendingAfter(Stream.EVENTS, 6, 100)).isEmpty();
        assertThat(store.pendingAfter(Stream.EVENTS, 0, 0)).isEmpty();

        store.confirm(Stream.EVENTS, 4);
        // rows at or below the watermark are never returned, whatever afterSeq says
        assertThat(store.pendingAfter(Stream.EVENTS, 1, 100)).extracting(OutboxEvent::seq).containsExactly(5L, 6L);
        assertThat(store.pendingAfter(Stream.EVENTS, 5, 100)).extracting(OutboxEvent::seq).containsExactly(6L);
        assertThat(store.pendingCount(Stream.EVENTS)).isEqualTo(2);
        assertThat(store.pendingCount(Stream.EVENTS))
                .isEqualTo(Stores.count(store, "SELECT COUNT(*) FROM outbox WHERE stream = 'EVENTS' AND seq > 4"));
        assertThat(store.pendingCount(Stream.ALARMS)).isEqualTo(1); // streams are independent
    }

    @Test
    void theWatermarkNeverGoesBackwardsNorPastTheLastRow() throws Exception {
        for (int i = 1; i <= 3; i++) {
            store.write("test", tx -> tx.outbox(Stream.TELEMETRY, "telemetry", Stores.T0, "{}"));
        }
        store.confirm(Stream.TELEMETRY, 2);
        store.confirm(Stream.TELEMETRY, 1); // a late confirm from another thread: nothing moves back
        assertThat(store.pending(Stream.TELEMETRY, 10)).extracting(OutboxEvent::seq).containsExactly(3L);
        assertThat(watermark(Stream.TELEMETRY)).isEqualTo(2);

        store.confirm(Stream.TELEMETRY, 99); // beyond the last row: only up to it
        assertThat(watermark(Stream.TELEMETRY)).isEqualTo(3);
        assertThat(store.pendingCount(Stream.TELEMETRY)).isZero();
        store.write("test", tx -> tx.outbox(Stream.TELEMETRY, "telemetry", Stores.T0, "{}"));
        // so a row written later is pending, not confirmed in advance
        assertThat(store.pending(Stream.TELEMETRY, 10)).extracting(OutboxEvent::seq).containsExactly(4L);
        assertThat(store.pendingCount(Stream.TELEMETRY)).isOne();
    }

    @Test
    void confirmDoesNotTouchTheConfirmedRows() throws Exception {
        for (int i = 1; i <= 2_000; i++) {
            store.write("test", tx -> tx.outbox(Stream.EVENTS, "parcel.deposited", Stores.T0, "{}"));
        }
        store.confirm(Stream.EVENTS, 1_999);
        // one watermark update: no row gets confirmed_at (the purge stamps it later)
        assertThat(Stores.count(store, "SELECT COUNT(*) FROM outbox WHERE confirmed_at IS NOT NULL")).isZero();
        assertThat(store.pending(Stream.EVENTS, 10)).extracting(OutboxEvent::seq).containsExactly(2_000L);
    }

    private long watermark(Stream stream) throws Exception {
        return Stores.count(store, "SELECT confirmed_seq FROM outbox_stream WHERE stream = ?", stream.name());
    }

    @Test
    void confirmingANotificationErasesTheClearCode() throws Exception {
        String notification = "{\"parcelId\":\"p1\",\"code\":\"73920451\",\"phoneMasked\":\"138******21\","
                + "\"nested\":{\"code\":\"keep\"}}";
        store.write("test", tx -> tx.outbox(Stream.EVENTS, "notification.requested", Stores.T0, notification));
        store.write("test", tx -> tx.outbox(Stream.EVENTS, "parcel.deposited", Stores.T0, "{\"code\":\"not-a-pin\"}"));
        store.write("test", tx -> tx.outbox(Stream.EVENTS, "notification.requested", Stores.T0,
                "{\"parcelId\":\"p2\",\"code\":\"11112222\"}"));

        store.confirm(Stream.EVENTS, 2);

        assertThat(data(1)).isEqualTo("{\"parcelId\":\"p1\",\"code\":null,\"phoneMasked\":\"138******21\","
                + "\"nested\":{\"code\":\"keep\"}}");
        assertThat(data(2)).isEqualTo("{\"code\":\"not-a-pin\"}"); // only notification.requested rows
        assertThat(data(3)).contains("11112222"); // not confirmed yet
        store.confirm(Stream.EVENTS, 3);
        assertThat(data(3)).isEqualTo("{\"parcelId\":\"p2\",\"code\":null}");
    }

    @Test
    void theListenerHearsOfDurableOutboxWritesOncePerStream() throws Exception {
        store.write("test", tx -> {
            tx.outbox(Stream.EVENTS, "a", Stores.T0, "{}");
            tx.outbox(Stream.EVENTS, "b", Stores.T0, "{}");
            tx.outbox(Stream.ALARMS, "door_jammed", Stores.T0, "{}");
            return null;
        });
        store.write("test", tx -> {
            tx.audit(Stores.T0, "test", "no.outbox", null, null);
            return null;
        });
        assertThat(notified).containsExactlyInAnyOrder("EVENTS", "ALARMS");
    }

    private List<Long> seqs(Stream stream) throws Exception {
        return store.read(tx -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = tx.connection()
                    .prepareStatement("SELECT seq FROM outbox WHERE stream = ? ORDER BY seq")) {
                ps.setString(1, stream.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
            return out;
        });
    }

    private String data(long seq) throws Exception {
        return store.read(tx -> {
            try (PreparedStatement ps = tx.connection()
                    .prepareStatement("SELECT data FROM outbox WHERE stream = 'EVENTS' AND seq = ?")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }
}
