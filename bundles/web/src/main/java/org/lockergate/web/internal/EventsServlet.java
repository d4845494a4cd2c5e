package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import java.time.Instant;
import java.util.List;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.identity.Role;

/**
 * {@code GET /api/v1/events[?stream=events|alarms|telemetry][&from=ISO][&cursor=seq][&limit=50]} (admin,
 * technician, property): the outbox of one stream in {@code seq} order, sent to the cloud or not, paged by seq
 * ({@code cursor} = the last seq seen). Secrets are removed from {@code data} (see {@link Views.EventView}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.events")
@HttpWhiteboardServletPattern(EventsServlet.PATH)
public class EventsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/events";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile LockerQueries queries;

    public EventsServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
        LockerQueries q = Locker.queries(queries);
        String streamName = Params.text(request, "stream");
        OutboxEvent.Stream stream = streamName == null ? OutboxEvent.Stream.EVENTS
                : Params.oneOf("stream", OutboxEvent.Stream.class, streamName);
        Instant from = Params.instant(request, "from");
        long after = Params.longValue(request, "cursor", 0);
        int limit = Params.limit(request);
        List<OutboxEvent> rows = Locker.read(() -> q.events(stream, after, from, limit));
        String next = rows.isEmpty() ? null : String.valueOf(rows.get(rows.size() - 1).seq());
        Json.send(response, 200, Page.of(request, rows.stream().map(Views.EventView::of).toList(), limit, next));
    }
}
