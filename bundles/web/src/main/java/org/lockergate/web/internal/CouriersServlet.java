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
import java.util.List;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Courier;
import org.lockergate.api.model.CourierCompany;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/**
 * {@code GET /api/v1/couriers[?company=ZTO]} (admin, technician, property, courier-company): the courier companies
 * with their funding share and couriers (names masked, never a PIN). A courier-company viewer gets only its own
 * company; asking for another is 403. Their statistics and cost sharing: {@code /statistics}, {@code /cost-sharing}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.couriers")
@HttpWhiteboardServletPattern(CouriersServlet.PATH)
public class CouriersServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/couriers";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile LockerQueries queries;

    public CouriersServlet() {
        super("GET");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Operator operator = requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY, Role.COURIER_COMPANY);
        String company = StatisticsServlet.ownCompany(operator, request.getParameter("company"));
        LockerQueries q = Locker.queries(queries);
        List<Views.CompanyView> out = Locker.read(() -> {
            List<Courier> couriers = q.couriers(company);
            return q.companies().stream()
                    .filter(c -> company == null || c.code().equals(company))
                    .map(c -> view(c, couriers))
                    .toList();
        });
        Json.send(response, 200, out);
    }

    private static Views.CompanyView view(CourierCompany company, List<Courier> couriers) {
        return new Views.CompanyView(company.code(), company.name(), company.fundingSharePercent(), couriers.stream()
                .filter(c -> company.code().equals(c.companyCode()))
                .map(c -> new Views.CourierView(c.courierId(), Views.CourierView.maskName(c.name()), c.active()))
                .toList());
    }
}
