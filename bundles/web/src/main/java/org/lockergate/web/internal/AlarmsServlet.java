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
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Alarm;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/**
 * Alarms (R14; admin, technician, property): {@code GET /api/v1/alarms} the open ones (active, or cleared but
 * not acknowledged) newest first, {@code GET /alarms?status=recent[&from=ISO][&limit=50]} every alarm whatever
 * its state, both with an ETag; {@code POST /alarms/{alarmId}/ack} acknowledges one through the core's
 * AlarmService with the operator as actor (audited there, sent upstream as {@code acknowledged}); acknowledging
 * twice is not an error.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.alarms")
@HttpWhiteboardServletPattern(AlarmsServlet.PATH)
public class AlarmsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/alarms/*";

    /** The paths of openapi.json this servlet serves. */
    public static final List<String> DOCUMENTED = List.of("/alarms", "/alarms/{alarmId}/ack");

    /** How the list is chosen. */
    enum Status {
        OPEN, RECENT
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile AlarmService alarms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile LockerQueries queries;

    public AlarmsServlet() {
        super("GET", "POST");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
        if (!Params.segments(request).isEmpty()) {
            throw ApiException.methodNotAllowed("GET", "POST");
        }
        String statusText = Params.text(request, "status");
        Status status = statusText == null ? Status.OPEN : Params.oneOf("status", Status.class, statusText);
        int limit = Params.limit(request);
        List<Alarm> list;
        if (status == Status.OPEN) {
            AlarmService service = service();
            list = Locker.read(service::open).stream().limit(limit).toList();
        } else {
            Instant from = Params.instant(request, "from");
            LockerQueries q = Locker.queries(queries);
            list = Locker.read(() -> q.alarms(from, limit));
        }
        Json.sendTagged(request, response, list.stream().map(Views.AlarmView::of).toList());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = Params.segments(request);
        if (path.isEmpty()) {
            throw ApiException.methodNotAllowed("POST", "GET, HEAD");
        }
        if (path.size() != 2 || !path.get(1).equals("ack")) {
            throw ApiException.notFound();
        }
        Operator operator = requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
        long alarmId;
        try {
            alarmId = Long.parseLong(path.get(0));
        } catch (NumberFormatException e) {
            throw ApiException.notFound();
        }
        try {
            Alarm alarm = service().acknowledge(alarmId, WebAudit.actor(operator.username()));
            Json.send(response, 200, Views.AlarmView.of(alarm));
        } catch (LockerException e) {
            throw ApiException.locker(e);
        }
    }

    private AlarmService service() {
        AlarmService service = alarms;
        if (service == null) {
            throw ApiException.serviceUnavailable("alarms");
        }
        return service;
    }
}
