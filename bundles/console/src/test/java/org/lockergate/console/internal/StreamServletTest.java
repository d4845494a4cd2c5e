package org.lockergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.model.SizeClass;
import org.osgi.service.event.Event;

/** {@code /api/v1/stream} over real HTTP behind the web bundle's AuthFilter. */
class StreamServletTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Sse> open = new ArrayList<>();
    private ConsoleServer server;

    @AfterEach
    void close() throws Exception {
        open.forEach(Sse::close);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anonymous_and_bad_tokens_get_401_from_the_api_auth_filter() throws Exception {
        server = new ConsoleServer(15, 64);
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(server.base.resolve("/api/v1/stream"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(server.base.resolve("/api/v1/stream"))
                .header("Authorization", "Bearer nope").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(401);
    }

    @Test
    void a_stream_starts_with_a_snapshot_and_then_carries_compartment_and_alarm_changes() throws Exception {
        server = new ConsoleServer(15, 64);
        server.compartments.add(compartment("1", CompartmentState.FREE));
        server.compartments.add(compartment("2", CompartmentState.OCCUPIED));
        server.alarms.add(new Alarm(7, AlarmType.FORCED_OPEN, "g1", "g1-c1", "2", "柜门被撬", Instant.EPOCH, null,
                null, null));
        Sse sse = connect(ConsoleServer.STAFF_TOKEN, null);
        assertThat(sse.response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/event-stream"));

        Message snapshot = sse.next();
        assertThat(snapshot.event).isEqualTo("snapshot");
        assertThat(snapshot.data.get("compartments")).hasSize(2);
        assertThat(snapshot.data.get("compartments").get(0).get("size").asText()).isEqualTo("M");
        assertThat(snapshot.data.get("alarms").get(0).get("type").asText()).isEqualTo("forced_open");
        assertThat(snapshot.data.get("groups").get(0).get("name").asText()).isEqualTo("幸福里 1 号柜组");

        server.stream.handleEvent(event(LockerTopics.COMPARTMENT_CHANGED, LockerTopics.GROUP_ID, "g1",
                LockerTopics.CABINET_ID, "g1-c1", LockerTopics.COMPARTMENT, "1", LockerTopics.STATE, "RESERVED"));
        Message change = sse.next();
        assertThat(change.event).isEqualTo("compartment");
        assertThat(change.data.get("label").asText()).isEqualTo("1");
        assertThat(change.data.get("state").asText()).isEqualTo("RESERVED");
        assertThat(change.id).startsWith(server.stream.stream.epoch() + "-");

        server.stream.handleEvent(event(LockerTopics.ALARM_CHANGED, LockerTopics.ALARM_ID, 7L, LockerTopics.TYPE,
                "forced_open", LockerTopics.STATE, "acknowledged", LockerTopics.GROUP_ID, "g1"));
        Message alarm = sse.next();
        assertThat(alarm.event).isEqualTo("alarm");
        assertThat(alarm.data.get("alarmId").asLong()).isEqualTo(7);
        assertThat(alarm.data.get("state").asText()).isEqualTo("acknowledged");
        assertThat(alarm.data.get("alarm").get("message").asText()).isEqualTo("柜门被撬");
    }

    @Test
    void parcels_are_masked_and_a_courier_company_sees_only_its_own() throws Exception {
        server = new ConsoleServer(15, 64);
        server.parcels.add(parcel("p-zto", "ZTO"));
        server.parcels.add(parcel("p-jt", "JT"));
        server.alarms.add(new Alarm(3, AlarmType.DOOR_JAMMED, "g1", "g1-c1", "1", "m", Instant.EPOCH, null, null,
                null));
        Sse zto = connect(ConsoleServer.ZTO_TOKEN, null);
        Sse staff = connect(ConsoleServer.STAFF_TOKEN, null);
        Message ztoSnapshot = zto.next();
        assertThat(ztoSnapshot.data.get("alarms")).as("no alarms for a courier company").isEmpty();
        assertThat(ztoSnapshot.data.get("company").asText()).isEqualTo("ZTO");
        staff.next();

        server.stream.handleEvent(parcelEvent("p-jt"));
        server.stream.handleEvent(event(LockerTopics.ALARM_CHANGED, LockerTopics.ALARM_ID, 3L, LockerTopics.TYPE,
                "door_jammed", LockerTopics.STATE, "raised"));
        server.stream.handleEvent(parcelEvent("p-zto"));

        Message own = zto.next();
        assertThat(own.event).isEqualTo("parcel");
        assertThat(own.data.get("parcelId").asText()).as("JT's parcel and the alarm were not sent").isEqualTo("p-zto");
        assertThat(own.data.get("company").asText()).isEqualTo("ZTO");
        assertThat(own.data.has("phoneMasked")).isFalse();
        assertThat(own.raw).doesNotContain("13800001234").doesNotContain("pickupCode");

        assertThat(List.of(staff.next().event, staff.next().event, staff.next().event))
                .containsExactly("parcel", "alarm", "parcel");
    }

    @Test
    void management_progress_goes_to_staff_only() throws Exception {
        server = new ConsoleServer(15, 64);
        Sse zto = connect(ConsoleServer.ZTO_TOKEN, null);
        Sse staff = connect(ConsoleServer.STAFF_TOKEN, null);
        zto.next();
        staff.next();

        server.stream.handleEvent(event(StreamServlet.MANAGEMENT_PROGRESS, "operation", "bundle.update", "target",
                "org.lockergate.vendor.cu48", "stage", "ROLLED_BACK", "percent", 100, "message",
                "已自动回滚到 1.0.0 / Rolled back", "actor", "operator:demo-tech"));
        server.stream.handleEvent(parcelEvent("p-none"));

        Message progress = staff.next();
        assertThat(progress.event).isEqualTo("management");
        assertThat(progress.data.get("stage").asText()).isEqualTo("ROLLED_BACK");
        assertThat(progress.data.get("target").asText()).isEqualTo("org.lockergate.vendor.cu48");
        assertThat(progress.data.get("percent").asInt()).isEqualTo(100);
        assertThat(progress.data.get("actor").asText()).isEqualTo("operator:demo-tech");
        // the courier company's next event is not the management progress
        server.parcels.add(parcel("p-zto2", "ZTO"));
        server.stream.handleEvent(parcelEvent("p-zto2"));
        assertThat(zto.next().event).isEqualTo("parcel");
    }

    @Test
    void a_browser_that_reconnects_with_last_event_id_gets_what_it_missed_without_a_snapshot() throws Exception {
        server = new ConsoleServer(15, 64);
        server.compartments.add(compartment("1", CompartmentState.FREE));
        Sse first = connect(ConsoleServer.STAFF_TOKEN, null);
        first.next();
        server.stream.handleEvent(compartmentEvent("1", "RESERVED"));
        String seen = first.next().id;
        first.close();
        server.stream.handleEvent(compartmentEvent("1", "OCCUPIED"));
        server.stream.handleEvent(compartmentEvent("1", "OPENING"));

        Sse again = connect(ConsoleServer.STAFF_TOKEN, seen);
        Message m1 = again.next();
        Message m2 = again.next();
        assertThat(List.of(m1.event, m2.event)).containsExactly("compartment", "compartment");
        assertThat(List.of(m1.data.get("state").asText(), m2.data.get("state").asText()))
                .containsExactly("OCCUPIED", "OPENING");

        Sse stale = connect(ConsoleServer.STAFF_TOKEN, "another-run-3");
        assertThat(stale.next().event).as("an id from another gateway run").isEqualTo("snapshot");
    }

    @Test
    void a_quiet_stream_sends_heartbeat_comments() throws Exception {
        server = new ConsoleServer(1, 64);
        Sse sse = connect(ConsoleServer.STAFF_TOKEN, null);
        sse.next();
        String line;
        long deadline = System.currentTimeMillis() + 5_000;
        do {
            line = sse.lines.poll(5, TimeUnit.SECONDS);
        } while (line != null && !line.startsWith(":") && System.currentTimeMillis() < deadline);
        assertThat(line).isEqualTo(": heartbeat");
    }

    @Test
    void a_browser_that_stops_reading_does_not_hold_up_events_or_other_browsers() throws Exception {
        server = new ConsoleServer(15, 8);
        server.compartments.add(compartment("1", CompartmentState.FREE));
        // a stalled browser: connected, never reads (its socket buffer fills up, then its queue)
        java.net.Socket stalled = new java.net.Socket("127.0.0.1", server.base.getPort());
        stalled.getOutputStream().write(("GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + ConsoleServer.STAFF_TOKEN + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        stalled.setReceiveBufferSize(1024);
        Sse reader = connect(ConsoleServer.STAFF_TOKEN, null);
        reader.next();
        String padding = "x".repeat(2000); // big events fill the stalled socket quickly
        long start = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            server.stream.handleEvent(event(LockerTopics.REGISTRY_CHANGED, LockerTopics.GROUP_ID, padding + i));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("2000 events published with a stalled browser in " + millis + " ms");
        // the stalled browser only overflowed its own queue; the reader learns of the next change promptly, as
        // the event itself or, when its own queue overflowed during the burst, as a fresh snapshot that holds it
        server.compartments.set(0, compartment("1", CompartmentState.OCCUPIED)); // durable before the event
        server.stream.handleEvent(compartmentEvent("1", "OCCUPIED"));
        java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
        Message m;
        do {
            m = reader.nextOrNull(10);
            if (m != null) {
                seen.merge(m.event(), 1, Integer::sum);
            }
        } while (m != null && !showsOccupied(m));
        System.out.println("the reading browser got " + seen);
        assertThat(m).as("the reading browser got the change after the burst " + seen).isNotNull();
        assertThat(server.stream.stream.clients()).as("both streams still open").hasSize(2)
                .anySatisfy(c -> assertThat(c.overflows()).as("the stalled one overflowed").isPositive());
        stalled.close();
    }

    // ---- helpers ----

    private static boolean showsOccupied(Message m) {
        if (m.event().equals("compartment")) {
            return m.data().get("state").asText().equals("OCCUPIED");
        }
        return m.event().equals("snapshot")
                && m.data().get("compartments").get(0).get("state").asText().equals("OCCUPIED");
    }

    private static Compartment compartment(String label, CompartmentState state) {
        return new Compartment("g1", "g1-c1", label, SizeClass.M, 1, Integer.parseInt(label), state, true,
                state == CompartmentState.OCCUPIED, null, null);
    }

    private static Parcel parcel(String id, String company) {
        return new Parcel(id, "g1", "g1-c1", "1", SizeClass.S, "WB-" + id, company, company + "-0001",
                "138******34", ParcelState.DEPOSITED, null, Instant.EPOCH, Instant.EPOCH, null, 0, false);
    }

    private static Event compartmentEvent(String label, String state) {
        return event(LockerTopics.COMPARTMENT_CHANGED, LockerTopics.GROUP_ID, "g1", LockerTopics.CABINET_ID,
                "g1-c1", LockerTopics.COMPARTMENT, label, LockerTopics.STATE, state);
    }

    private static Event parcelEvent(String parcelId) {
        return event(LockerTopics.PARCEL_CHANGED, LockerTopics.GROUP_ID, "g1", LockerTopics.CABINET_ID, "g1-c1",
                LockerTopics.COMPARTMENT, "1", LockerTopics.PARCEL_ID, parcelId, LockerTopics.STATE, "DEPOSITED");
    }

    private static Event event(String topic, Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Event(topic, props);
    }

    private Sse connect(String token, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.base.resolve("/api/v1/stream"))
                .header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        Sse sse = new Sse(response);
        open.add(sse);
        return sse;
    }

    record Message(String id, String event, JsonNode data, String raw) {
    }

    /** Reads one SSE response line by line on its own thread. */
    static final class Sse {
        final HttpResponse<Stream<String>> response;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;

        Sse(HttpResponse<Stream<String>> response) {
            this.response = response;
            reader = new Thread(() -> {
                try {
                    response.body().forEach(lines::add);
                } catch (RuntimeException e) {
                    // closed
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        Message next() throws Exception {
            Message m = nextOrNull(10);
            assertThat(m).as("an event within 10 s").isNotNull();
            return m;
        }

        Message nextOrNull(int seconds) throws Exception {
            String id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            while (true) {
                String line = lines.poll(seconds, TimeUnit.SECONDS);
                if (line == null) {
                    return null;
                }
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        return new Message(id, event, StreamServlet.MAPPER.readTree(data.toString()), data.toString());
                    }
                    id = null;
                    event = null;
                    continue;
                }
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        }

        void close() {
            response.body().close();
            reader.interrupt();
        }
    }
}
