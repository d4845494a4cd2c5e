package org.lockergate.transport.coap.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * Finds the Californium resource for each request from the {@link HandlerRegistry}'s routes, and keeps one resource
 * per observed concrete path. Routes change while requests run: a request always sees the routes of the moment it
 * arrived.
 */
final class Resources {

    private final HandlerRegistry registry;
    private final Dispatcher dispatcher;
    private final RouteResource notFound;
    private final Map<Route, RouteResource> perRoute = new ConcurrentHashMap<>();
    private final Map<String, RouteResource> observed = new ConcurrentHashMap<>();

    Resources(HandlerRegistry registry, Dispatcher dispatcher) {
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.notFound = new RouteResource(null, "", dispatcher);
    }

    /** Never null: unknown paths get a resource that answers 4.04 with the JSON error body. */
    Resource find(Request request) {
        List<String> path = request.getOptions().getUriPath();
        Optional<Route> match = registry.match(path);
        if (match.isEmpty()) {
            return notFound;
        }
        Route route = match.get();
        if (route.observable()) {
            String key = String.join("/", path);
            if (request.getCode() == CoAP.Code.GET && request.getOptions().hasObserve()) {
                RouteResource resource = observed.compute(key, (k, existing) ->
                        existing != null && existing.route() == route ? existing
                                : new RouteResource(route, k, dispatcher));
                resource.touch();
                return resource;
            }
            RouteResource resource = observed.get(key);
            if (resource != null && resource.route() == route) {
                resource.touch();
                return resource;
            }
        }
        return perRoute.computeIfAbsent(route, r -> new RouteResource(r, r.template().text(), dispatcher));
    }

    /** Notifies the observers of a concrete path, if it has any. */
    void changed(String path) {
        RouteResource resource = observed.get(key(path));
        if (resource != null && resource.getObserverCount() > 0) {
            resource.changed();
        }
    }

    /** A route stopped serving: its observers get 4.04 (which ends their relations) and its resources go. */
    void removed(Route route) {
        perRoute.remove(route);
        List<RouteResource> gone = new ArrayList<>();
        observed.values().removeIf(resource -> {
            if (resource.route() == route) {
                gone.add(resource);
                return true;
            }
            return false;
        });
        for (RouteResource resource : gone) {
            resource.clearAndNotifyObserveRelations(CoAP.ResponseCode.NOT_FOUND);
        }
    }

    /** Drops the per-path resources nobody observes and nobody asked for in a while. */
    void sweep(long idleNanos) {
        observed.values().removeIf(resource -> resource.getObserverCount() == 0 && resource.idleNanos() > idleNanos);
    }

    int observedPaths() {
        return observed.size();
    }

    /** {@code /groups/g1/state/} → {@code groups/g1/state}. */
    static String key(String path) {
        String text = path == null ? "" : path.strip();
        int query = text.indexOf('?');
        if (query >= 0) {
            text = text.substring(0, query);
        }
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '/') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '/') {
            end--;
        }
        return text.substring(start, end);
    }
}
