package org.lockergate.kiosk.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Compartment;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapResponseCode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /groups/{groupId}/state} (observable) → 2.05 {@code {"compartments":[{"cabinetId","compartment",
 * "size","state","doorClosed","present"}, …]}} in the core's order (cabinet, label); 4.04 {@code unknown_group}.
 * No parcel ids, phones or times: only what the kiosk screen shows. {@link GroupStateNotifier} tells observers.
 */
@Component(service = CoapHandler.class, configurationPid = KioskConfig.PID, property = {
    CoapHandler.PATH + "=" + GroupStateHandler.PATH,
    CoapHandler.METHODS + "=GET",
    CoapHandler.OBSERVABLE + ":Boolean=true"})
public final class GroupStateHandler implements CoapHandler {

    static final String PATH = "/groups/{groupId}/state";

    private final LockerQueries queries;
    private final KioskAccess access;

    @Activate
    public GroupStateHandler(@Reference(name = "queries") LockerQueries queries, KioskConfig config) {
        this(queries, KioskAccess.of(config));
    }

    /** Without configuration ({@link KioskAccess#DEFAULT}). */
    GroupStateHandler(LockerQueries queries) {
        this(queries, KioskAccess.DEFAULT);
    }

    GroupStateHandler(LockerQueries queries, KioskAccess access) {
        this.queries = queries;
        this.access = access;
    }

    @Override
    public void handle(CoapCall call) {
        String groupId = KioskSupport.group(call, queries, access);
        List<Map<String, Object>> compartments = new ArrayList<>();
        for (Compartment c : queries.compartments(groupId)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("cabinetId", c.cabinetId());
            entry.put("compartment", c.label());
            entry.put("size", c.size().name());
            entry.put("state", c.state().name());
            entry.put("doorClosed", c.doorClosed());
            entry.put("present", c.itemPresent());
            compartments.add(entry);
        }
        call.respond(CoapResponseCode.CONTENT, Map.of("compartments", compartments));
    }

    /** The concrete path observers of a group watch. */
    static String path(String groupId) {
        return "/groups/" + groupId + "/state";
    }
}
