package org.lockergate.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.report.CapacityReports;
import org.lockergate.api.report.GroupCapacity;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Capacity planning (admin, technician, property): {@code GET /api/v1/capacity?from=&to=[&groupId=][&format=csv
 * [&part=sizes|hours|overflow]]} — per group and size the utilisation, deposits turned away, overflow and the
 * recommendation of compartments to add or move; {@code POST /api/v1/capacity?from=&to=} sends the report of every
 * group to the cloud now (outbox event {@code capacity.report}) and answers its outbox sequence number.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.capacity")
@HttpWhiteboardServletPattern(CapacityServlet.PATH)
public class CapacityServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/capacity";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile CapacityReports reports;

    public CapacityServlet() {
        super("GET", "POST");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
        LocalDate[] range = range(request);
        String part = StatisticsServlet.blankToNull(request.getParameter("part"));
        if (part != null && !List.of("sizes", "hours", "overflow").contains(part)) {
            throw ApiException.badRequest("bad_request.part", "part");
        }
        boolean csv = Csv.wanted(request);
        List<GroupCapacity> groups;
        try {
            groups = service().capacity(range[0], range[1],
                    StatisticsServlet.blankToNull(request.getParameter("groupId")));
        } catch (IllegalStateException e) {
            throw ApiException.serviceUnavailable("locker");
        }
        if (!csv) {
            Json.send(response, 200, groups);
            return;
        }
        String name = "capacity-" + range[0] + "-" + range[1];
        List<List<Object>> lines = new ArrayList<>();
        if ("hours".equals(part)) {
            for (GroupCapacity g : groups) {
                for (GroupCapacity.HourLine h : g.hours()) {
                    lines.add(List.of(g.groupId(), h.hour(), h.size(), h.compartmentSeconds(), h.averageOccupied(),
                            h.peakOccupied(), h.turnedAway()));
                }
            }
            Csv.send(response, name + "-hours.csv", List.of("groupId", "hour", "size", "compartmentSeconds",
                    "averageOccupiedMilli", "peakOccupied", "turnedAway"), lines);
        } else if ("overflow".equals(part)) {
            for (GroupCapacity g : groups) {
                for (GroupCapacity.Overflow o : g.overflow()) {
                    lines.add(List.of(g.groupId(), o.to(), o.full(), o.quota()));
                }
            }
            Csv.send(response, name + "-overflow.csv", List.of("groupId", "to", "turnedAwayFull",
                    "turnedAwayQuota"), lines);
        } else {
            for (GroupCapacity g : groups) {
                for (GroupCapacity.SizeLine s : g.sizes()) {
                    lines.add(List.of(g.groupId(), g.from(), g.to(), s.size(), s.compartments(), s.deposits(),
                            s.turnedAwayFull(), s.turnedAwayQuota(), s.fullPermille(), g.targetPermille(),
                            s.peakNeed(), s.compartmentSeconds(), s.recommendedExtra(), s.moveIn(), s.add(),
                            s.spare(), s.moves().stream().map(m -> m.fromGroupId() + ":" + m.count())
                                    .collect(Collectors.joining(" "))));
                }
            }
            Csv.send(response, name + ".csv", List.of("groupId", "from", "to", "size", "compartments", "deposits",
                    "turnedAwayFull", "turnedAwayQuota", "fullPermille", "targetPermille", "peakNeed",
                    "compartmentSeconds", "recommendedExtra", "moveIn", "add", "spare", "moves"), lines);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Operator operator = requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
        LocalDate[] range = range(request);
        long seq;
        try {
            seq = service().publish(range[0], range[1], "operator:" + operator.username());
        } catch (IllegalStateException | LockerException e) {
            throw ApiException.serviceUnavailable("locker");
        }
        Json.send(response, 202, Map.of("event", "capacity.report", "seq", seq, "from", range[0].toString(), "to",
                range[1].toString()));
    }

    private CapacityReports service() {
        CapacityReports r = reports;
        if (r == null) {
            throw ApiException.serviceUnavailable("capacity");
        }
        return r;
    }

    private static LocalDate[] range(HttpServletRequest request) {
        LocalDate from = StatisticsServlet.date(request, "from");
        LocalDate to = StatisticsServlet.date(request, "to");
        if (to.isBefore(from)) {
            throw ApiException.badRequest("bad_request.range", "to");
        }
        if (from.plusDays(366).isBefore(to)) {
            throw ApiException.badRequest("bad_request.range_too_long", "to");
        }
        return new LocalDate[] {from, to};
    }
}
