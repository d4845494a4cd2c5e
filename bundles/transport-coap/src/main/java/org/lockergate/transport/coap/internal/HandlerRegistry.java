package org.lockergate.transport.coap.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whiteboard of {@link CoapHandler} services: which handler serves which template. Per template shape the
 * handler with the lowest {@code service.id} (the one registered first) serves; later ones wait, refused with an
 * ERROR line, and take over when it goes away. Requests read the current {@link RouteTable} without locking.
 */
final class HandlerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerRegistry.class);

    /** Candidates per template shape, first = serving. */
    private final Map<String, TreeSet<Route>> byShape = new HashMap<>();
    /** Routes per handler service id. */
    private final Map<Long, List<Route>> byService = new HashMap<>();
    private volatile RouteTable table = RouteTable.EMPTY;
    private volatile Consumer<Route> onRemoved = route -> {};

    /** Called (outside the registry's lock) for every route that stops serving, so its observers can be told. */
    void onRemoved(Consumer<Route> listener) {
        this.onRemoved = listener == null ? route -> {} : listener;
    }

    /**
     * Adds a handler service. An unusable registration (no template, a bad method, ...) is refused with one ERROR
     * line; nothing is thrown.
     *
     * @param properties the service properties ({@value CoapHandler#PATH}, {@value CoapHandler#METHODS},
     *     {@value CoapHandler#OBSERVABLE})
     * @param serviceId the handler's {@code service.id}
     * @param owner who registered it, for log lines
     * @return the routes now serving for this handler
     */
    List<Route> add(CoapHandler handler, Map<String, ?> properties, long serviceId, String owner) {
        List<Route> routes;
        try {
            routes = routes(handler, properties, serviceId, owner);
        } catch (IllegalArgumentException e) {
            LOG.error(Messages.handlerRefused(owner, e.getMessage()));
            return List.of();
        }
        List<Route> serving = new ArrayList<>();
        List<Route> displaced = new ArrayList<>();
        synchronized (this) {
            if (byService.containsKey(serviceId)) {
                throw new IllegalStateException("handler service " + serviceId + " added twice");
            }
            byService.put(serviceId, routes);
            for (Route route : routes) {
                TreeSet<Route> candidates = byShape.computeIfAbsent(route.template().shape(),
                        shape -> new TreeSet<>((a, b) -> Long.compare(a.serviceId(), b.serviceId())));
                Route before = candidates.isEmpty() ? null : candidates.first();
                candidates.add(route);
                if (candidates.first() == route) {
                    serving.add(route);
                    if (before != null) {
                        displaced.add(before); // an older service id arriving late (rare): it wins, logged below
                    }
                } else {
                    LOG.error(Messages.routeConflict(route, candidates.first()));
                }
            }
            table = RouteTable.of(active());
        }
        for (Route route : displaced) {
            LOG.error(Messages.routeConflict(route, serving.stream()
                    .filter(r -> r.template().shape().equals(route.template().shape())).findFirst().orElseThrow()));
            onRemoved.accept(route);
        }
        for (Route route : serving) {
            LOG.info(Messages.routeAdded(route));
        }
        return serving;
    }

    /** Removes a handler service; a handler waiting for the same template takes over. */
    void remove(long serviceId) {
        List<Route> removedServing = new ArrayList<>();
        List<Route> promoted = new ArrayList<>();
        synchronized (this) {
            List<Route> routes = byService.remove(serviceId);
            if (routes == null) {
                return;
            }
            for (Route route : routes) {
                String shape = route.template().shape();
                TreeSet<Route> candidates = byShape.get(shape);
                if (candidates == null) {
                    continue;
                }
                boolean wasServing = candidates.first() == route;
                candidates.remove(route);
                if (wasServing) {
                    removedServing.add(route);
                    if (!candidates.isEmpty()) {
                        promoted.add(candidates.first());
                    }
                }
                if (candidates.isEmpty()) {
                    byShape.remove(shape);
                }
            }
            table = RouteTable.of(active());
        }
        for (Route route : removedServing) {
            LOG.info(Messages.routeRemoved(route));
            onRemoved.accept(route);
        }
        for (Route route : promoted) {
            LOG.info(Messages.routeTakenOver(route));
        }
    }

    /** The route serving a path (segments, no slashes). */
    Optional<Route> match(List<String> path) {
        return table.match(path);
    }

    /** The routes serving now, for diagnostics and tests. */
    synchronized List<Route> routes() {
        return List.copyOf(active());
    }

    private Collection<Route> active() {
        List<Route> active = new ArrayList<>();
        for (TreeSet<Route> candidates : byShape.values()) {
            active.add(candidates.first());
        }
        return active;
    }

    /** The routes a registration asks for, or an exception whose message says what is wrong. */
    static List<Route> routes(CoapHandler handler, Map<String, ?> properties, long serviceId, String owner) {
        Set<String> templates = strings(properties.get(CoapHandler.PATH));
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("service property " + CoapHandler.PATH + " is missing");
        }
        Set<String> methodNames = strings(properties.get(CoapHandler.METHODS));
        if (methodNames.isEmpty()) {
            throw new IllegalArgumentException("service property " + CoapHandler.METHODS
                    + " is missing (GET, POST, PUT, DELETE)");
        }
        Set<CoapMethod> methods = EnumSet.noneOf(CoapMethod.class);
        for (String name : methodNames) {
            try {
                methods.add(CoapMethod.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(CoapHandler.METHODS + " has '" + name
                        + "', not one of GET, POST, PUT, DELETE");
            }
        }
        boolean observable = bool(properties.get(CoapHandler.OBSERVABLE));
        if (observable && !methods.contains(CoapMethod.GET)) {
            throw new IllegalArgumentException(CoapHandler.OBSERVABLE + "=true needs GET in " + CoapHandler.METHODS);
        }
        List<Route> routes = new ArrayList<>();
        Set<String> shapes = new LinkedHashSet<>();
        for (String text : templates) {
            PathTemplate template = PathTemplate.parse(text);
            if (!shapes.add(template.shape())) {
                throw new IllegalArgumentException(
                        CoapHandler.PATH + " lists the same template twice ('" + text + "')");
            }
            routes.add(new Route(template, handler, methods, observable, serviceId, owner));
        }
        return routes;
    }

    private static Set<String> strings(Object value) {
        Set<String> strings = new LinkedHashSet<>();
        if (value instanceof String text) {
            add(strings, text);
        } else if (value instanceof String[] array) {
            for (String text : array) {
                add(strings, text);
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object item : collection) {
                add(strings, String.valueOf(item));
            }
        } else if (value != null) {
            add(strings, String.valueOf(value));
        }
        return strings;
    }

    private static void add(Set<String> strings, String text) {
        if (text != null && !text.isBlank()) {
            strings.add(text.strip());
        }
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        return value != null && "true".equalsIgnoreCase(String.valueOf(value).strip());
    }
}
