package org.lockergate.transport.coap.internal;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.ServerMessageDeliverer;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Californium's server deliverer with our routing: the resource for a request comes from {@link Resources}
 * (templates with variables, changing at run time) instead of a static tree. Californium keeps doing the rest,
 * observe relations included.
 */
final class RoutingDeliverer extends ServerMessageDeliverer {

    private final Resources resources;

    RoutingDeliverer(Resources resources, Configuration config) {
        super(new CoapResource(""), config);
        this.resources = resources;
    }

    @Override
    protected Resource findResource(Exchange exchange) {
        return resources.find(exchange.getRequest());
    }
}
