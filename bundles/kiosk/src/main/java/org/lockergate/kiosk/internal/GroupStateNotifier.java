package org.lockergate.kiosk.internal;

import org.lockergate.api.event.LockerTopics;
import org.lockergate.transport.coap.CoapService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Tells the observers of {@code /groups/{groupId}/state} when a compartment of the group changed
 * ({@value LockerTopics#COMPARTMENT_CHANGED}) or the group's registry changed ({@value LockerTopics#REGISTRY_CHANGED},
 * a cabinet attached with new compartments). Without observers the transport does nothing.
 */
@Component(property = {
    EventConstants.EVENT_TOPIC + "=" + LockerTopics.COMPARTMENT_CHANGED,
    EventConstants.EVENT_TOPIC + "=" + LockerTopics.REGISTRY_CHANGED})
public final class GroupStateNotifier implements EventHandler {

    private final CoapService coap;

    @Activate
    public GroupStateNotifier(@Reference(name = "coap") CoapService coap) {
        this.coap = coap;
    }

    @Override
    public void handleEvent(Event event) {
        if (event.getProperty(LockerTopics.GROUP_ID) instanceof String groupId && !groupId.isEmpty()) {
            coap.changed(GroupStateHandler.path(groupId));
        }
    }
}
