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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.locker.ParcelQuery;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/**
 * Parcels, masked (R18: the phone as {@code 138******34}, never the pickup code), newest first and paged:
 * {@code GET /api/v1/parcels[?groupId][&state=DEPOSITED,OVERDUE][&company=ZTO][&overdue=true][&olderThanHours=48]
 * [&limit=50][&cursor=…]} with an ETag, and {@code GET /parcels/{parcelId}}. Roles admin, technician, property
 * and courier-company; a courier-company viewer sees only its own company's parcels: its lists are filtered to
 * it, asking for another company is 403 (as for statistics), and another company's single parcel is 404 (its
 * existence is not revealed).
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.parcels")
@HttpWhiteboardServletPattern(ParcelsServlet.PATH)
public class ParcelsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/parcels/*";

    /** The paths of openapi.json this servlet serves. */
    public static final List<String> DOCUMENTED = List.of("/parcels", "/parcels/{parcelId}");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile LockerQueries queries;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile GatewayClock gatewayClock;

    transient Clock clock = Clock.systemUTC();

    public ParcelsServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Operator operator = requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY, Role.COURIER_COMPANY);
        LockerQueries q = Locker.queries(queries);
        Instant now = now();
        List<String> path = Params.segments(request);
        if (path.size() == 1) {
            Parcel parcel = Locker.read(() -> q.parcel(path.get(0))).orElseThrow(ApiException::notFound);
            if (!operator.hasAnyRole(Role.TECHNICIAN, Role.PROPERTY)
                    && !parcel.companyCode().equals(operator.company())) {
                throw ApiException.notFound(); // another company's parcel: not revealed
            }
            Json.send(response, 200, Views.ParcelView.of(parcel, now));
            return;
        }
        if (!path.isEmpty()) {
            throw ApiException.notFound();
        }
        String company = StatisticsServlet.ownCompany(operator, request.getParameter("company"));
        List<ParcelState> states = new ArrayList<>(Params.enums(request, "state", ParcelState.class));
        if (Params.bool(request, "overdue")) {
            if (states.isEmpty()) {
                states.addAll(Views.ParcelView.OVERDUE);
            } else {
                states.retainAll(Views.ParcelView.OVERDUE);
                if (states.isEmpty()) {
                    Json.sendTagged(request, response, new Page<>(List.of(), null, null));
                    return;
                }
            }
        }
        int olderThanHours = Params.integer(request, "olderThanHours", 0, 0, 24 * 366);
        Instant depositedBefore = olderThanHours == 0 ? null : now.minus(Duration.ofHours(olderThanHours));
        int limit = Params.limit(request);
        String[] cursor = decodeCursor(Params.text(request, "cursor"));
        Instant after = cursor == null ? null : Instant.parse(cursor[0]);
        ParcelQuery query = new ParcelQuery(Params.text(request, "groupId"), states, company, depositedBefore,
                after, cursor == null ? null : cursor[1], limit);
        List<Parcel> parcels = Locker.read(() -> q.parcels(query));
        Parcel last = parcels.isEmpty() ? null : parcels.get(parcels.size() - 1);
        String next = last == null || last.reservedAt() == null ? null : encodeCursor(last);
        Json.sendTagged(request, response, Page.of(request, parcels.stream().map(p -> Views.ParcelView.of(p, now))
                .toList(), limit, next));
    }

    private Instant now() {
        GatewayClock c = gatewayClock;
        return c == null ? clock.instant() : c.now();
    }

    /** Keyset cursor: the last row's reservation time and id, opaque to clients. */
    static String encodeCursor(Parcel last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((last.reservedAt() + "|" + last.parcelId())
                .getBytes(StandardCharsets.UTF_8));
    }

    static String[] decodeCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = text.split("\\|", 2);
            if (parts.length == 2 && !parts[1].isEmpty()) {
                Instant.parse(parts[0]);
                return parts;
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // the 400 below
        }
        throw ApiException.badRequest("bad_request.bad_cursor", "cursor");
    }
}
