package org.lockergate.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.lockergate.health.HealthReport;
import org.osgi.framework.Bundle;

/**
 * The API's filter and servlets in a real Jetty 12 (the one Felix HTTP embeds) on 127.0.0.1 and an ephemeral
 * port, mapped as the whiteboard maps them: a context at {@code /api/v1}, the auth filter on {@code /*} for
 * REQUEST dispatches, each resource at its {@code PATH}, the fallback at {@code /*} and as the 4xx/5xx error page.
 * The services are in-memory fakes the tests change at will.
 */
final class ApiServer implements AutoCloseable {

    final FakeIdentityService identity = new FakeIdentityService();
    final List<Bundle> bundles = new CopyOnWriteArrayList<>();
    volatile HealthReport healthReport = HealthReport.of(Instant.parse("2026-01-01T00:00:00Z"), List.of());

    final AuthFilter authFilter = new AuthFilter();
    final HealthServlet healthServlet = new HealthServlet();
    final LoginServlet loginServlet = new LoginServlet();
    final LogoutServlet logoutServlet = new LogoutServlet();
    final PasswordServlet passwordServlet = new PasswordServlet();
    final BundlesServlet bundlesServlet = new BundlesServlet();
    final FeeQuoteServlet feeQuoteServlet = new FeeQuoteServlet();
    final StatisticsServlet statisticsServlet = new StatisticsServlet();
    final CostSharingServlet costSharingServlet = new CostSharingServlet();
    final FakeLocker locker = new FakeLocker();
    final SessionLoginServlet sessionLoginServlet = new SessionLoginServlet();
    final SessionServlet sessionServlet = new SessionServlet();
    final GroupsServlet groupsServlet = new GroupsServlet();
    final CabinetsServlet cabinetsServlet = new CabinetsServlet();
    final CompartmentsServlet compartmentsServlet = new CompartmentsServlet();
    final ParcelsServlet parcelsServlet = new ParcelsServlet();
    final EventsServlet eventsServlet = new EventsServlet();
    final AuditServlet auditServlet = new AuditServlet();
    final AlarmsServlet alarmsServlet = new AlarmsServlet();
    final CouriersServlet couriersServlet = new CouriersServlet();

    private final Server server = new Server();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    ApiServer() throws Exception {
        this(true);
    }

    /**
     * @param withAuthFilter false to leave the auth filter out, as if it were not registered
     * @param extraServlets test-only servlets as pairs of (path, servlet)
     */
    ApiServer(boolean withAuthFilter, Object... extraServlets) throws Exception {
        authFilter.identity = identity;
        healthServlet.health = () -> healthReport;
        loginServlet.identity = identity;
        logoutServlet.identity = identity;
        passwordServlet.identity = identity;
        bundlesServlet.activate(FakeBundles.context(bundles));
        loginServlet.audit = locker;
        logoutServlet.audit = locker;
        passwordServlet.audit = locker;
        sessionLoginServlet.identity = identity;
        sessionLoginServlet.audit = locker;
        groupsServlet.queries = locker;
        cabinetsServlet.queries = locker;
        compartmentsServlet.queries = locker;
        compartmentsServlet.maintenance = locker;
        parcelsServlet.queries = locker;
        parcelsServlet.clock = java.time.Clock.fixed(FakeLocker.T0.plusSeconds(3 * 3600), java.time.ZoneOffset.UTC);
        eventsServlet.queries = locker;
        auditServlet.queries = locker;
        alarmsServlet.alarms = locker;
        alarmsServlet.queries = locker;
        couriersServlet.queries = locker;

        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler(ApiContext.PATH);
        if (withAuthFilter) {
            context.addFilter(new FilterHolder(authFilter), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(healthServlet), HealthServlet.PATH);
        context.addServlet(new ServletHolder(new OpenApiServlet()), OpenApiServlet.PATH);
        context.addServlet(new ServletHolder(loginServlet), LoginServlet.PATH);
        context.addServlet(new ServletHolder(logoutServlet), LogoutServlet.PATH);
        context.addServlet(new ServletHolder(passwordServlet), PasswordServlet.PATH);
        context.addServlet(new ServletHolder(bundlesServlet), BundlesServlet.PATH);
        context.addServlet(new ServletHolder(feeQuoteServlet), FeeQuoteServlet.PATH);
        context.addServlet(new ServletHolder(statisticsServlet), StatisticsServlet.PATH);
        context.addServlet(new ServletHolder(costSharingServlet), CostSharingServlet.PATH);
        context.addServlet(new ServletHolder(sessionLoginServlet), SessionLoginServlet.PATH);
        context.addServlet(new ServletHolder(sessionServlet), SessionServlet.PATH);
        context.addServlet(new ServletHolder(groupsServlet), GroupsServlet.PATH);
        context.addServlet(new ServletHolder(cabinetsServlet), CabinetsServlet.PATH);
        context.addServlet(new ServletHolder(compartmentsServlet), CompartmentsServlet.PATH);
        context.addServlet(new ServletHolder(parcelsServlet), ParcelsServlet.PATH);
        context.addServlet(new ServletHolder(eventsServlet), EventsServlet.PATH);
        context.addServlet(new ServletHolder(auditServlet), AuditServlet.PATH);
        context.addServlet(new ServletHolder(alarmsServlet), AlarmsServlet.PATH);
        context.addServlet(new ServletHolder(couriersServlet), CouriersServlet.PATH);
        context.addServlet(new ServletHolder(new FallbackServlet()), FallbackServlet.PATH);
        for (int i = 0; i < extraServlets.length; i += 2) {
            context.addServlet(new ServletHolder((Servlet) extraServlets[i + 1]), (String) extraServlets[i]);
        }
        ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler();
        errorPages.addErrorPage(400, 599, "/error-page"); // lands on the fallback, as a DispatcherType.ERROR
        context.setErrorHandler(errorPages);
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + ApiContext.PATH);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, BodyPublishers.noBody(), headers);
    }

    /** POST with {@code Content-Type: application/json}. */
    HttpResponse<String> post(String path, String json, String... headers) {
        return send("POST", path, "application/json", BodyPublishers.ofString(json), headers);
    }

    HttpResponse<String> send(String method, String path, String contentType, BodyPublisher body,
            String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return client.send(request.build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code Authorization} header pair for a fresh token of this user. */
    String[] bearer(String username) {
        return new String[] {"Authorization", "Bearer " + identity.tokenFor(username)};
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
