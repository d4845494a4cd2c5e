package org.lockergate.console.internal;

import jakarta.servlet.DispatcherType;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.lockergate.web.internal.AuthFilter;

/**
 * The console's servlets in a real Jetty 12 on 127.0.0.1, placed as the whiteboard places them: the page at
 * {@code /} of the root context, the stream in a {@code /api/v1} context behind the web bundle's real
 * {@link AuthFilter} (with an identity service that knows two tokens).
 */
final class ConsoleServer implements AutoCloseable {

    static final String STAFF_TOKEN = "staff-token";
    static final String ZTO_TOKEN = "zto-token";

    final List<Compartment> compartments = new CopyOnWriteArrayList<>();
    final List<Parcel> parcels = new CopyOnWriteArrayList<>();
    final List<Alarm> alarms = new CopyOnWriteArrayList<>();
    final StreamServlet stream = new StreamServlet();
    final ConsoleServlet page = new ConsoleServlet();
    private final Server server = new Server();
    final URI base;

    ConsoleServer(int heartbeatSeconds, int queueSize) throws Exception {
        stream.queries = queries();
        stream.alarms = alarmService();
        stream.activate(config(heartbeatSeconds, queueSize));

        AuthFilter auth = new AuthFilter();
        Field identity = AuthFilter.class.getDeclaredField("identity");
        identity.setAccessible(true);
        identity.set(auth, identity());

        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler api = new ServletContextHandler("/api/v1");
        api.addFilter(new FilterHolder(auth), "/*", EnumSet.of(DispatcherType.REQUEST));
        api.addServlet(new ServletHolder(stream), StreamServlet.PATH);
        ServletContextHandler root = new ServletContextHandler("/");
        root.addServlet(new ServletHolder(page), ConsoleServlet.PATTERN);
        server.setHandler(new ContextHandlerCollection(api, root));
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    static StreamServlet.Config config(int heartbeatSeconds, int queueSize) {
        Map<String, Object> values = Map.of("heartbeatSeconds", heartbeatSeconds, "queueSize", queueSize,
                "replaySize", 1000, "maxClients", 4);
        return (StreamServlet.Config) Proxy.newProxyInstance(StreamServlet.Config.class.getClassLoader(),
                new Class<?>[] {StreamServlet.Config.class}, (p, m, a) -> values.get(m.getName()));
    }

    private static IdentityService identity() {
        Operator staff = new Operator("demo-property", Set.of(Role.PROPERTY), null);
        Operator zto = new Operator("demo-zto", Set.of(Role.COURIER_COMPANY), "ZTO");
        return (IdentityService) Proxy.newProxyInstance(IdentityService.class.getClassLoader(),
                new Class<?>[] {IdentityService.class}, (p, m, a) -> {
                    if (m.getName().equals("authenticate")) {
                        return STAFF_TOKEN.equals(a[0]) ? Optional.of(staff)
                                : ZTO_TOKEN.equals(a[0]) ? Optional.of(zto) : Optional.empty();
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private LockerQueries queries() {
        return new LockerQueries() {
            @Override
            public List<CabinetGroup> groups() {
                return List.of(new CabinetGroup("g1", "幸福里 1 号柜组", null));
            }

            @Override
            public Optional<CabinetGroup> group(String groupId) {
                return groups().stream().filter(g -> g.groupId().equals(groupId)).findFirst();
            }

            @Override
            public List<Cabinet> cabinets(String groupId) {
                return List.of(new Cabinet("g1-c1", "g1", "sim", "SIM-48", "1.0.0", true, Instant.EPOCH));
            }

            @Override
            public List<Compartment> compartments(String groupId) {
                return List.copyOf(compartments);
            }

            @Override
            public List<Parcel> parcels(String groupId, List<ParcelState> states, int limit) {
                return List.copyOf(parcels);
            }

            @Override
            public Optional<Parcel> parcel(String parcelId) {
                return parcels.stream().filter(p -> p.parcelId().equals(parcelId)).findFirst();
            }

            @Override
            public List<AuditEntry> audit(Instant from, int limit) {
                return List.of();
            }

            @Override
            public List<OutboxEvent> outbox(int limit) {
                return List.of();
            }
        };
    }

    private AlarmService alarmService() {
        return (AlarmService) Proxy.newProxyInstance(AlarmService.class.getClassLoader(),
                new Class<?>[] {AlarmService.class}, (p, m, a) -> {
                    if (m.getName().equals("open")) {
                        return List.copyOf(alarms);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Override
    public void close() throws Exception {
        stream.deactivate();
        server.stop();
    }
}
