package org.lockergate.transport.coap.internal;

import java.util.Set;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapMethod;

/**
 * One template served by one handler service.
 *
 * @param template the path template
 * @param handler the handler
 * @param methods the methods it declared
 * @param observable whether clients may observe it (implies GET)
 * @param serviceId the handler's {@code service.id}: the lower one wins a conflict
 * @param owner who registered it, for log lines ({@code bundle org.lockergate.vendor.coap, service 42})
 */
record Route(PathTemplate template, CoapHandler handler, Set<CoapMethod> methods, boolean observable, long serviceId,
        String owner) {

    Route {
        methods = Set.copyOf(methods);
    }

    @Override
    public boolean equals(Object other) {
        return this == other; // one instance per registration and template
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
