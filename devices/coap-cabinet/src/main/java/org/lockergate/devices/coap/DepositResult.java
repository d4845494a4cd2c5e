package org.lockergate.devices.coap;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to a deposit: 2.01 with the parcel, the cabinet and compartment that opened, the unlock outcome and the
 * compartments skipped on the way (e.g. jammed).
 */
public record DepositResult(KioskReply reply, String parcelId, String cabinetId, String compartment, String unlock,
        List<Skipped> skipped) {

    /** A compartment the gateway tried first and skipped, with the unlock outcome it got. */
    public record Skipped(String compartment, String outcome) {
    }

    public DepositResult {
        skipped = List.copyOf(skipped);
    }

    static DepositResult of(KioskReply reply) {
        List<Skipped> skipped = new ArrayList<>();
        for (JsonNode node : reply.body().path("skipped")) {
            skipped.add(new Skipped(node.path("compartment").asText(null), node.path("outcome").asText(null)));
        }
        return new DepositResult(reply, reply.text("parcelId"), reply.text("cabinetId"), reply.text("compartment"),
                reply.text("unlock"), skipped);
    }

    /** Deposited: 2.01 naming a compartment. */
    public boolean ok() {
        return reply.ok() && compartment != null;
    }
}
