package org.lockergate.console.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.Parcel;
import org.lockergate.identity.Operator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/stream}: the console's live updates as Server-Sent Events.
 *
 * <p>It lives in the REST API's servlet context, so the web bundle's {@code AuthFilter} authenticates it like
 * every other API call and leaves the operator as a request attribute. A new stream (or one whose
 * {@code Last-Event-ID} can no longer be replayed) starts with a {@code snapshot} event holding the groups, every
 * compartment's state and size and the open alarms; then {@code compartment}, {@code parcel}, {@code alarm},
 * {@code cabinet} and {@code registry} events follow from the EventAdmin topics of {@link LockerTopics}, with
 * a {@code : heartbeat} comment when nothing happens. Parcels are sent masked (no pickup code, no phone);
 * courier-company viewers get only their own company's parcels (see {@link Viewer}).
 *
 * <p>Each stream holds one HTTP thread that waits on its own bounded queue; EventAdmin only offers to the
 * queues, so a slow browser never holds up the core (see {@link EventStream}).
 */
@Component(service = {Servlet.class, EventHandler.class}, configurationPid = StreamServlet.PID,
        property = {EventConstants.EVENT_TOPIC + "=" + LockerTopics.COMPARTMENT_CHANGED,
                EventConstants.EVENT_TOPIC + "=" + LockerTopics.PARCEL_CHANGED,
                EventConstants.EVENT_TOPIC + "=" + LockerTopics.ALARM_CHANGED,
                EventConstants.EVENT_TOPIC + "=" + LockerTopics.CABINET_CHANGED,
                EventConstants.EVENT_TOPIC + "=" + LockerTopics.REGISTRY_CHANGED,
                EventConstants.EVENT_TOPIC + "=" + StreamServlet.MANAGEMENT_PROGRESS})
@HttpWhiteboardContextSelect(StreamServlet.API_CONTEXT)
@HttpWhiteboardServletName("org.lockergate.console.stream")
@HttpWhiteboardServletPattern(StreamServlet.PATH)
@Designate(ocd = StreamServlet.Config.class)
public class StreamServlet extends HttpServlet implements EventHandler {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StreamServlet.class);

    public static final String PID = "org.lockergate.console.stream";
    /** The web bundle's API context (name {@code org.lockergate.web.api}, path {@code /api/v1}). */
    public static final String API_CONTEXT = "(osgi.http.whiteboard.context.name=org.lockergate.web.api)";
    public static final String PATH = "/stream";
    /** The request attribute under which the web bundle's AuthFilter leaves the authenticated operator. */
    static final String OPERATOR_ATTRIBUTE = "org.lockergate.web.operator";

    static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    @ObjectClassDefinition(name = "LockerGate console stream",
            description = "Server-Sent Events for the operator console at /api/v1/stream")
    public @interface Config {
        @AttributeDefinition(name = "Heartbeat (s)", description = "A comment line is sent after this long without"
                + " an event, so proxies keep the connection and a vanished browser is noticed")
        int heartbeatSeconds() default 15;

        @AttributeDefinition(name = "Queue per browser", description = "Events queued for one browser; when it"
                + " reads slower than that, its backlog is dropped and it gets a fresh snapshot")
        int queueSize() default 256;

        @AttributeDefinition(name = "Replay buffer", description = "Events kept for browsers that reconnect"
                + " with Last-Event-ID")
        int replaySize() default 1000;

        @AttributeDefinition(name = "Streams at most", description = "Streams open at once (each holds one HTTP"
                + " thread); more answer 503")
        int maxClients() default 32;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile LockerQueries queries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile AlarmService alarms;

    transient volatile EventStream stream;
    transient volatile long heartbeatMillis = 15_000;

    public StreamServlet() {
    }

    @Activate
    void activate(Config config) {
        heartbeatMillis = Math.max(1, config.heartbeatSeconds()) * 1000L;
        stream = new EventStream(Long.toString(System.currentTimeMillis(), 36), config.replaySize(),
                config.queueSize(), config.maxClients());
    }

    @Deactivate
    void deactivate() {
        EventStream s = stream;
        if (s != null) {
            s.closeAll();
        }
    }

    /**
     * The management service's progress topic ({@code org.lockergate.management.Progress.TOPIC}), by name: the
     * console shows updates and rollbacks live without depending on the management bundle.
     */
    static final String MANAGEMENT_PROGRESS = "org/lockergate/management/PROGRESS";

    // ---- EventAdmin side: never blocks on a browser ----

    @Override
    public void handleEvent(Event event) {
        EventStream s = stream;
        if (s == null) {
            return;
        }
        try {
            Map<String, Object> data = new LinkedHashMap<>();
            switch (event.getTopic()) {
                case LockerTopics.COMPARTMENT_CHANGED -> {
                    copy(event, data, LockerTopics.GROUP_ID, LockerTopics.CABINET_ID);
                    data.put("label", str(event, LockerTopics.COMPARTMENT));
                    copy(event, data, LockerTopics.STATE);
                    s.publish(StreamEvent.Kind.COMPARTMENT, null, json(data));
                }
                case LockerTopics.PARCEL_CHANGED -> {
                    String company = parcelEvent(event, data);
                    s.publish(StreamEvent.Kind.PARCEL, company, json(data));
                }
                case LockerTopics.ALARM_CHANGED -> {
                    alarmEvent(event, data);
                    s.publish(StreamEvent.Kind.ALARM, null, json(data));
                }
                case LockerTopics.CABINET_CHANGED -> {
                    copy(event, data, LockerTopics.GROUP_ID, LockerTopics.CABINET_ID, LockerTopics.ONLINE);
                    s.publish(StreamEvent.Kind.CABINET, null, json(data));
                }
                case LockerTopics.REGISTRY_CHANGED -> {
                    copy(event, data, LockerTopics.GROUP_ID, LockerTopics.CABINET_ID);
                    s.publish(StreamEvent.Kind.REGISTRY, null, json(data));
                }
                case MANAGEMENT_PROGRESS -> {
                    copy(event, data, "operation", "target", "stage", "percent", "message", "actor");
                    s.publish(StreamEvent.Kind.MANAGEMENT, null, json(data));
                }
                default -> {
                    // not subscribed
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Console stream: event {} not forwarded", event.getTopic(), e);
        }
    }

    /** Fills a parcel event from the masked parcel; returns its company (for the per-viewer filter). */
    private String parcelEvent(Event event, Map<String, Object> data) {
        String parcelId = str(event, LockerTopics.PARCEL_ID);
        data.put("parcelId", parcelId);
        copy(event, data, LockerTopics.GROUP_ID, LockerTopics.CABINET_ID, LockerTopics.COMPARTMENT,
                LockerTopics.STATE);
        LockerQueries q = queries;
        Optional<Parcel> parcel = q == null || parcelId == null ? Optional.empty() : q.parcel(parcelId);
        if (parcel.isEmpty()) {
            return null; // unknown company: only staff see it
        }
        Parcel p = parcel.get();
        data.put("company", p.companyCode());
        data.put("waybill", p.waybill());
        data.put("size", p.size());
        data.put("reservedAt", p.reservedAt());
        data.put("depositedAt", p.depositedAt());
        data.put("closedAt", p.closedAt());
        return p.companyCode();
    }

    private void alarmEvent(Event event, Map<String, Object> data) {
        Object id = event.getProperty(LockerTopics.ALARM_ID);
        data.put("alarmId", id instanceof Number n ? n.longValue() : id);
        copy(event, data, LockerTopics.TYPE, LockerTopics.STATE, LockerTopics.GROUP_ID, LockerTopics.CABINET_ID,
                LockerTopics.COMPARTMENT);
        AlarmService service = alarms;
        if (service != null && id instanceof Number n) {
            for (Alarm a : service.open()) {
                if (a.alarmId() == n.longValue()) {
                    data.put("alarm", alarm(a));
                    break;
                }
            }
        }
    }

    // ---- browser side: one HTTP thread per stream ----

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EventStream s = stream;
        Object attribute = request.getAttribute(OPERATOR_ATTRIBUTE);
        if (!(attribute instanceof Operator operator)) {
            // fail closed: without the web bundle's AuthFilter in front nobody is authenticated
            error(response, 401, "unauthorized", "未登录 / Not signed in");
            return;
        }
        if (s == null) {
            error(response, 503, "service_unavailable", "实时推送未就绪 / The live stream is not ready");
            return;
        }
        Viewer viewer = Viewer.of(operator);
        EventStream.Client client = s.connect(viewer);
        if (client == null) {
            response.setHeader("Retry-After", "30");
            error(response, 503, "too_many_streams", "实时连接过多，请稍后再试 / Too many live connections, try again later");
            return;
        }
        try {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Accel-Buffering", "no"); // a reverse proxy must not buffer the stream
            PrintWriter out = response.getWriter();
            out.write("retry: 3000\n\n");
            String lastEventId = request.getHeader("Last-Event-ID");
            if (lastEventId == null) {
                lastEventId = request.getParameter("lastEventId"); // fetch-based clients may pass it this way
            }
            List<StreamEvent> missed = s.replayAfter(lastEventId, viewer);
            if (missed == null) {
                snapshot(out, s, client);
            } else {
                for (StreamEvent e : missed) {
                    write(out, s, e);
                }
                // the queue may hold some of the replayed events too (they arrived while we replayed)
                client.skipThrough(missed.isEmpty() ? parseSeq(lastEventId) : missed.get(missed.size() - 1).seq());
            }
            flush(out, response);
            while (!client.closed()) {
                if (client.takeOverflow()) {
                    if (client.overflows() == 1) {
                        LOG.info("Console stream of {} fell behind; it gets fresh snapshots instead of the events it"
                                + " could not take", viewer.username());
                    }
                    snapshot(out, s, client);
                } else {
                    StreamEvent e = client.next(heartbeatMillis);
                    if (e == EventStream.CLOSED) {
                        break;
                    } else if (e == null) {
                        out.write(": heartbeat\n\n");
                    } else {
                        write(out, s, e);
                    }
                }
                flush(out, response);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("Console stream of {} ended: {}", viewer.username(), e.toString());
        } finally {
            s.disconnect(client);
        }
    }

    private static long parseSeq(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    private static void flush(PrintWriter out, HttpServletResponse response) throws IOException {
        out.flush();
        if (out.checkError()) {
            throw new IOException("browser gone"); // PrintWriter swallows write errors
        }
        response.flushBuffer();
    }

    private static void write(PrintWriter out, EventStream s, StreamEvent e) {
        out.write("id: " + s.id(e.seq()) + "\nevent: " + e.kind().wireName() + "\ndata: " + e.json() + "\n\n");
    }

    /** The whole picture this viewer may see, as of the current sequence number. */
    private void snapshot(PrintWriter out, EventStream s, EventStream.Client client) throws IOException {
        long through = s.lastSeq(); // every event up to here is already durable, so the reads below include it
        Map<String, Object> data = snapshot(client.viewer);
        client.skipThrough(through);
        out.write("id: " + s.id(through) + "\nevent: snapshot\ndata: " + json(data) + "\n\n");
    }

    Map<String, Object> snapshot(Viewer viewer) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("at", Instant.now());
        data.put("user", viewer.username());
        data.put("staff", viewer.staff());
        data.put("company", viewer.company());
        LockerQueries q = queries;
        if (q != null) {
            data.put("groups", q.groups().stream().map(g -> Map.of("groupId", g.groupId(),
                    "name", g.name() == null ? g.groupId() : g.name())).toList());
            data.put("cabinets", q.cabinets(null).stream().map(c -> Map.of("groupId", c.groupId(),
                    "cabinetId", c.cabinetId(), "online", c.online())).toList());
            data.put("compartments", q.compartments(null).stream().map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("groupId", c.groupId());
                m.put("cabinetId", c.cabinetId());
                m.put("label", c.label());
                m.put("size", c.size());
                m.put("state", c.state());
                m.put("doorClosed", c.doorClosed());
                m.put("occupiedSince", c.occupiedSince());
                return m;
            }).toList());
        } else {
            data.put("groups", List.of());
            data.put("cabinets", List.of());
            data.put("compartments", List.of());
        }
        AlarmService a = alarms;
        data.put("alarms", viewer.staff() && a != null ? a.open().stream().map(StreamServlet::alarm).toList()
                : List.of());
        return data;
    }

    static Map<String, Object> alarm(Alarm a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alarmId", a.alarmId());
        m.put("type", a.type().wireName());
        m.put("severity", a.type().severity());
        m.put("groupId", a.groupId());
        m.put("cabinetId", a.cabinetId());
        m.put("compartment", a.compartment());
        m.put("message", a.message());
        m.put("raisedAt", a.raisedAt());
        m.put("clearedAt", a.clearedAt());
        m.put("acknowledgedAt", a.acknowledgedAt());
        m.put("acknowledgedBy", a.acknowledgedBy());
        m.put("active", a.active());
        m.put("acknowledged", a.acknowledged());
        return m;
    }

    private static void error(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json(Map.of("error", code, "message", message, "status", status)));
    }

    private static void copy(Event event, Map<String, Object> data, String... names) {
        for (String name : names) {
            Object value = event.getProperty(name);
            data.put(name, value == null ? null : value instanceof Boolean || value instanceof Number ? value
                    : value.toString());
        }
    }

    private static String str(Event event, String name) {
        Object value = event.getProperty(name);
        return value == null ? null : value.toString();
    }

    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value); // one line: SSE data must not hold a newline
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
