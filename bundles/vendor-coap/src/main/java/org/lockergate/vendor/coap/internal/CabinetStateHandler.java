package org.lockergate.vendor.coap.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.Compartment;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapResponseCode;

/**
 * {@code GET /cabinets/{cabinetId}/state} (observable) → 2.05 {@code {"compartments":[{"compartment","size","state",
 * "doorClosed","present"}, …]}} from the core; 4.04 {@code unknown_cabinet}. Over CoAPs only the cabinet itself may
 * read it. Observers are told by {@link CoapVendor#changed(String)}.
 */
final class CabinetStateHandler implements CoapHandler {

    static final String PATH = "/cabinets/{cabinetId}/state";

    private final Registrations registrations;
    private final LockerQueries queries;

    CabinetStateHandler(Registrations registrations, LockerQueries queries) {
        this.registrations = registrations;
        this.queries = queries;
    }

    @Override
    public void handle(CoapCall call) {
        String cabinetId = call.pathVariable("cabinetId");
        Access.checkIdentity(call, cabinetId);
        String groupId = registrations.ofCabinet(cabinetId).map(Registration::groupId)
                .or(() -> groupOf(cabinetId))
                .orElseThrow(() -> new CoapException(CoapResponseCode.NOT_FOUND, "unknown_cabinet",
                        "未知的柜子 " + cabinetId + " / Unknown cabinet " + cabinetId));
        List<Map<String, Object>> compartments = new ArrayList<>();
        for (Compartment c : queries.compartments(groupId)) {
            if (c.cabinetId().equals(cabinetId)) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("compartment", c.label());
                entry.put("size", c.size().name());
                entry.put("state", c.state().name());
                entry.put("doorClosed", c.doorClosed());
                entry.put("present", c.itemPresent());
                compartments.add(entry);
            }
        }
        call.respond(CoapResponseCode.CONTENT, Map.of("compartments", compartments));
    }

    private Optional<String> groupOf(String cabinetId) {
        return queries.cabinets(null).stream().filter(c -> c.cabinetId().equals(cabinetId)).map(Cabinet::groupId)
                .findFirst();
    }

    static String path(String cabinetId) {
        return "/cabinets/" + cabinetId + "/state";
    }
}
