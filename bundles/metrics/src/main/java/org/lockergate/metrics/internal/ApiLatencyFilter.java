package org.lockergate.metrics.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * Times every request of the REST API's servlet context ({@code /api/v1}), including those the auth filter refuses:
 * it ranks above it, so it runs first. The resource label is the servlet pattern that served the request (bounded
 * cardinality: ids never become labels).
 */
@Component(service = Filter.class, property = "service.ranking:Integer=1000")
@HttpWhiteboardContextSelect(ApiLatencyFilter.API_CONTEXT)
@HttpWhiteboardFilterName("org.lockergate.metrics.latency")
@HttpWhiteboardFilterPattern("/*")
public class ApiLatencyFilter implements Filter {

    /** The web bundle's API context (org.lockergate.web ApiContext.NAME). */
    static final String API_CONTEXT = "(osgi.http.whiteboard.context.name=org.lockergate.web.api)";

    @Reference
    MetricsComponent component;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer) {
                component.metrics().observeHttp(http.getMethod(), resource(http), answer.getStatus(),
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }

    static String resource(HttpServletRequest request) {
        try {
            HttpServletMapping mapping = request.getHttpServletMapping();
            String pattern = mapping == null ? null : mapping.getPattern();
            return pattern == null || pattern.isEmpty() ? "unknown" : pattern;
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
