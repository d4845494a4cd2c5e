package org.lockergate.transport.coap.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.network.Exchange;

/**
 * What Californium sees of a route: a resource that hands every request to the {@link Dispatcher}. There is one per
 * route, plus one per concrete path that has observers (so {@link CoapTransport#changed} reaches exactly the
 * observers of {@code /groups/g1/state}); the route {@code null} stands for "no such resource". Not part of
 * Californium's resource tree: {@link Resources} finds it for each request.
 */
final class RouteResource extends CoapResource {

    private final Route route;
    private final Dispatcher dispatcher;
    private final AtomicBoolean retryPending = new AtomicBoolean();
    private volatile long lastUsed = System.nanoTime();

    RouteResource(Route route, String concretePath, Dispatcher dispatcher) {
        super(lastSegment(concretePath), false);
        this.route = route;
        this.dispatcher = dispatcher;
        if (route != null && route.observable()) {
            setObservable(true);
            setObserveType(CoAP.Type.CON); // state changes must arrive; the peer's ACK also tells us it is alive
        }
    }

    Route route() {
        return route;
    }

    @Override
    public void handleRequest(Exchange exchange) {
        lastUsed = System.nanoTime();
        dispatcher.dispatch(this, exchange);
    }

    void touch() {
        lastUsed = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastUsed;
    }

    /**
     * A notification found the handler pool full: notify again once, a little later, instead of failing the
     * observe relation; further changes meanwhile fold into that one.
     */
    boolean claimRetry() {
        return retryPending.compareAndSet(false, true);
    }

    void retryDone() {
        retryPending.set(false);
    }

    private static String lastSegment(String path) {
        if (path == null || path.isEmpty()) {
            return "";
        }
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
