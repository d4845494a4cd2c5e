package org.lockergate.devices.coap;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to {@code GET /groups/{groupId}/state} (or one of its notifications): every compartment of the group. */
public record GroupState(KioskReply reply, List<CompartmentView> compartments) {

    /** One compartment as the gateway sees it. */
    public record CompartmentView(String cabinetId, String compartment, String size, String state, boolean doorClosed,
            boolean present) {
    }

    public GroupState {
        compartments = List.copyOf(compartments);
    }

    static GroupState of(KioskReply reply) {
        List<CompartmentView> views = new ArrayList<>();
        for (JsonNode node : reply.body().path("compartments")) {
            views.add(new CompartmentView(node.path("cabinetId").asText(null), node.path("compartment").asText(null),
                    node.path("size").asText(null), node.path("state").asText(null),
                    node.path("doorClosed").asBoolean(false), node.path("present").asBoolean(false)));
        }
        return new GroupState(reply, views);
    }

    public boolean ok() {
        return reply.ok();
    }
}
