package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.ParcelQuery;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Courier;
import org.lockergate.api.model.CourierCompany;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;

/** The paged reads the REST API uses (LockerQueries 1.3) against the real H2 schema. */
class PagedQueriesTest {

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void start() throws Exception {
        h = new Harness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void parcels_page_newest_first_by_keyset_and_filter_by_company_state_and_age() throws Exception {
        DepositResult first = h.deposit(SizeClass.S, "13800001234");
        h.close("1", true);
        h.clock.advance(Duration.ofMinutes(1));
        DepositResult second = h.deposit(SizeClass.S, "13800005678");
        h.close("2", true);
        h.clock.advance(Duration.ofMinutes(1));
        DepositResult third = h.deposit(SizeClass.S, "13800009999");

        List<Parcel> page1 = h.core.queries.parcels(new ParcelQuery(null, null, null, null, null, null, 2));
        assertThat(page1).extracting(Parcel::parcelId).containsExactly(third.parcelId(), second.parcelId());
        Parcel last = page1.get(1);
        List<Parcel> page2 = h.core.queries.parcels(new ParcelQuery(null, null, null, null, last.reservedAt(),
                last.parcelId(), 2));
        assertThat(page2).extracting(Parcel::parcelId).containsExactly(first.parcelId());

        assertThat(h.core.queries.parcels(new ParcelQuery("g1", null, "JT", null, null, null, 10)))
                .extracting(Parcel::parcelId).containsExactly(third.parcelId(), second.parcelId(), first.parcelId());
        assertThat(h.core.queries.parcels(new ParcelQuery(null, null, "NOPE", null, null, null, 10))).isEmpty();
        assertThat(h.core.queries.parcels(new ParcelQuery(null, List.of(ParcelState.RESERVED), null, null, null,
                null, 10))).extracting(Parcel::parcelId).containsExactly(third.parcelId());
        // deposited more than 90 s ago: only the first (the third is not deposited at all)
        assertThat(h.core.queries.parcels(new ParcelQuery(null, null, null, h.clock.now().minusSeconds(90), null,
                null, 10))).extracting(Parcel::parcelId).containsExactly(first.parcelId());
    }

    @Test
    void audit_events_alarms_and_couriers_read_in_pages() throws Exception {
        h.deposit(SizeClass.S, "13800001234");
        h.close("1", true);
        h.core.alarms.raise(AlarmType.DOOR_JAMMED, "g1", "c1", "3", "stuck");

        List<AuditEntry> all = h.core.queries.audit(null, null, 0, 1000);
        assertThat(all).isNotEmpty();
        List<AuditEntry> firstTwo = h.core.queries.audit(null, null, 0, 2);
        List<AuditEntry> rest = h.core.queries.audit(null, null, firstTwo.get(firstTwo.size() - 1).id(), 1000);
        assertThat(firstTwo.size() + rest.size()).isEqualTo(all.size());
        assertThat(h.core.queries.audit(null, Instant.EPOCH, 0, 10)).isEmpty();

        List<OutboxEvent> events = h.core.queries.events(OutboxEvent.Stream.EVENTS, 0, null, 1000);
        assertThat(events).extracting(OutboxEvent::type).contains("parcel.deposited");
        assertThat(events).isSortedAccordingTo((a, b) -> Long.compare(a.seq(), b.seq()));
        long lastSeq = events.get(events.size() - 1).seq();
        assertThat(h.core.queries.events(OutboxEvent.Stream.EVENTS, lastSeq, null, 10)).isEmpty();
        // confirmed rows stay readable (the REST events resource is history, not the drain)
        h.store.write("test.confirm", tx -> org.lockergate.core.internal.db.Db.update(tx.connection(),
                "UPDATE outbox SET confirmed_at = ? WHERE stream = 'EVENTS'", h.clock.now()));
        assertThat(h.core.queries.events(OutboxEvent.Stream.EVENTS, 0, null, 1000)).hasSameSizeAs(events);
        assertThat(h.core.queries.events(OutboxEvent.Stream.ALARMS, 0, null, 10)).extracting(OutboxEvent::type)
                .contains("door_jammed");

        assertThat(h.core.queries.alarms(null, 10)).extracting(a -> a.type()).containsExactly(AlarmType.DOOR_JAMMED);
        assertThat(h.core.queries.alarms(h.clock.now().plusSeconds(1), 10)).isEmpty();

        assertThat(h.core.queries.companies()).extracting(CourierCompany::code).containsExactly("JT", "ZTO");
        assertThat(h.core.queries.couriers("ZTO")).extracting(Courier::courierId).containsExactly("ZTO-0001");
        assertThat(h.core.queries.couriers(null)).hasSize(2);
    }
}
