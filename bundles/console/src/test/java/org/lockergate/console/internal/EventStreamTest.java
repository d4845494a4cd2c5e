package org.lockergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamTest {

    private static final Viewer STAFF = new Viewer("prop", true, null);
    private static final Viewer ZTO = new Viewer("zto", false, "ZTO");

    @Test
    void a_slow_browser_overflows_only_its_own_queue_and_then_needs_a_snapshot() throws Exception {
        EventStream stream = new EventStream("e1", 100, 4, 8);
        EventStream.Client slow = stream.connect(STAFF);
        EventStream.Client fast = stream.connect(STAFF);
        for (int i = 0; i < 10; i++) {
            stream.publish(StreamEvent.Kind.COMPARTMENT, null, "{\"n\":" + i + "}"); // never blocks
            assertThat(fast.next(0).json()).isEqualTo("{\"n\":" + i + "}");
        }
        assertThat(slow.takeOverflow()).as("the slow one fell behind").isTrue();
        assertThat(slow.queued()).isZero();
        assertThat(slow.takeOverflow()).as("reported once").isFalse();
        assertThat(fast.takeOverflow()).isFalse();
        assertThat(slow.overflows()).isPositive();
    }

    @Test
    void a_courier_company_gets_its_own_parcels_and_the_grid_but_no_other_parcels_and_no_alarms() throws Exception {
        EventStream stream = new EventStream("e1", 100, 16, 8);
        EventStream.Client zto = stream.connect(ZTO);
        EventStream.Client staff = stream.connect(STAFF);
        stream.publish(StreamEvent.Kind.PARCEL, "JT", "{\"company\":\"JT\"}");
        stream.publish(StreamEvent.Kind.ALARM, null, "{\"alarm\":1}");
        stream.publish(StreamEvent.Kind.PARCEL, "ZTO", "{\"company\":\"ZTO\"}");
        stream.publish(StreamEvent.Kind.PARCEL, null, "{\"company\":null}");
        stream.publish(StreamEvent.Kind.COMPARTMENT, null, "{\"label\":\"1\"}");
        assertThat(drain(zto)).containsExactly("{\"company\":\"ZTO\"}", "{\"label\":\"1\"}");
        assertThat(drain(staff)).hasSize(5);
    }

    @Test
    void last_event_id_replays_what_was_missed_or_asks_for_a_snapshot() {
        EventStream stream = new EventStream("run2", 3, 16, 8);
        for (int i = 1; i <= 5; i++) {
            stream.publish(StreamEvent.Kind.PARCEL, i % 2 == 0 ? "ZTO" : "JT", "{\"n\":" + i + "}");
        }
        assertThat(stream.replayAfter("run2-3", STAFF)).extracting(StreamEvent::seq).containsExactly(4L, 5L);
        assertThat(stream.replayAfter("run2-3", ZTO)).extracting(StreamEvent::seq).containsExactly(4L);
        assertThat(stream.replayAfter("run2-5", STAFF)).isEmpty();
        assertThat(stream.replayAfter("run2-2", STAFF)).as("event 3 is still kept").hasSize(3);
        assertThat(stream.replayAfter("run2-1", STAFF)).as("event 2 fell out of the buffer").isNull();
        assertThat(stream.replayAfter("run1-4", STAFF)).as("an id from before a restart").isNull();
        assertThat(stream.replayAfter("run2-9", STAFF)).as("an id from the future").isNull();
        assertThat(stream.replayAfter("garbage", STAFF)).isNull();
        assertThat(stream.replayAfter(null, STAFF)).isNull();
    }

    @Test
    void streams_are_limited_and_a_closed_one_frees_its_place() {
        EventStream stream = new EventStream("e", 10, 10, 2);
        EventStream.Client a = stream.connect(STAFF);
        assertThat(stream.connect(STAFF)).isNotNull();
        assertThat(stream.connect(STAFF)).isNull();
        stream.disconnect(a);
        assertThat(stream.connect(STAFF)).isNotNull();
        assertThat(a.closed()).isTrue();
    }

    @Test
    void closing_wakes_a_waiting_writer_at_once() throws Exception {
        EventStream stream = new EventStream("e", 10, 10, 2);
        EventStream.Client c = stream.connect(STAFF);
        stream.publish(StreamEvent.Kind.COMPARTMENT, null, "{}");
        stream.closeAll();
        assertThat(c.next(30_000)).as("woken by the close, not by the 30 s timeout").isSameAs(EventStream.CLOSED);
        assertThat(stream.clientCount()).isZero();
    }

    @Test
    void a_snapshot_drops_queued_events_it_already_contains() throws Exception {
        EventStream stream = new EventStream("e", 10, 10, 2);
        EventStream.Client c = stream.connect(STAFF);
        stream.publish(StreamEvent.Kind.COMPARTMENT, null, "{\"n\":1}");
        stream.publish(StreamEvent.Kind.COMPARTMENT, null, "{\"n\":2}");
        long through = stream.lastSeq();
        stream.publish(StreamEvent.Kind.COMPARTMENT, null, "{\"n\":3}");
        c.skipThrough(through);
        assertThat(drain(c)).containsExactly("{\"n\":3}");
    }

    private static List<String> drain(EventStream.Client client) throws InterruptedException {
        List<String> out = new java.util.ArrayList<>();
        StreamEvent e;
        while ((e = client.next(0)) != null) {
            out.add(e.json());
        }
        return out;
    }
}
