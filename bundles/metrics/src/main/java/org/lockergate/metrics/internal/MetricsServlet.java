package org.lockergate.metrics.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.lockergate.identity.IdentityService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /metrics} on the HTTP port (the whiteboard's default context, outside {@code /api/v1}): the Prometheus
 * text format. Anonymous from loopback; elsewhere a bearer token ({@link MetricsAccess}), 401 without one.
 */
@Component(service = Servlet.class, configurationPid = MetricsServlet.PID)
@Designate(ocd = MetricsServlet.Config.class)
@HttpWhiteboardServletName("org.lockergate.metrics")
@HttpWhiteboardServletPattern(MetricsServlet.PATH)
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    public static final String PID = "org.lockergate.metrics";
    public static final String PATH = "/metrics";

    @ObjectClassDefinition(name = "LockerGate metrics", description = "Who may scrape /metrics from another host")
    public @interface Config {
        @AttributeDefinition(name = "Metrics token (SHA-256)", description = "Hex SHA-256 of a bearer token for "
                + "scrapers (printf %s TOKEN | sha256sum); the token itself is never stored. Empty: only operators' "
                + "tokens (admin, technician, property) and loopback.", required = false)
        String tokenSha256() default "";
    }

    @Reference
    transient MetricsComponent component;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile IdentityService identity;

    private transient volatile MetricsAccess access = new MetricsAccess("");

    @Activate
    @Modified
    void configure(Config config) {
        access = new MetricsAccess(config.tokenSha256());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        switch (access.check(request.getRemoteAddr(), request.getHeader("Authorization"), identity)) {
            case UNAUTHORIZED -> {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"lockergate-metrics\"");
                plain(response, 401, "401 需要令牌 / a bearer token is required off loopback\n");
                return;
            }
            case FORBIDDEN -> {
                plain(response, 403, "403 此账号无权读取指标 / this operator may not read metrics\n");
                return;
            }
            default -> {
            }
        }
        response.setStatus(200);
        response.setContentType(component.metrics().contentType());
        try (OutputStream out = response.getOutputStream()) {
            component.metrics().scrape(out);
        }
    }

    private static void plain(HttpServletResponse response, int status, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }
}
