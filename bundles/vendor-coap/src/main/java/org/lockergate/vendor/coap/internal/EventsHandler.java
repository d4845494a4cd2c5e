package org.lockergate.vendor.coap.internal;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.lockergate.api.locker.LockerException;
import org.lockergate.kiosk.coap.LockerErrors;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapResponseCode;

/**
 * {@code POST /cabinets/{cabinetId}/events} → {@code link.report(boot, events)} (stored and fsynced) → 2.04
 * {@code {"boot":3,"acked":17}}. 4.03 {@code forbidden} for a DTLS peer of another id, 4.03 {@code not_registered}
 * without a live registration, 4.00 {@code bad_event} with {@code index} and {@code field} (see {@link EventBatch}).
 */
final class EventsHandler implements CoapHandler {

    private final Registrations registrations;
    private final Predicate<String> keyed;
    private final Supplier<ZoneId> zone;
    private final Supplier<Settings> settings;

    EventsHandler(Registrations registrations, Predicate<String> keyed, Supplier<ZoneId> zone,
            Supplier<Settings> settings) {
        this.registrations = registrations;
        this.keyed = keyed;
        this.zone = zone;
        this.settings = settings;
    }

    @Override
    public void handle(CoapCall call) {
        String cabinetId = call.pathVariable("cabinetId");
        Access.checkIdentity(call, cabinetId);
        Registration registration = registrations.ofCabinet(cabinetId).orElseThrow(() -> new CoapException(
                CoapResponseCode.FORBIDDEN, "not_registered", "柜子 " + cabinetId + " 未注册，请先注册 / cabinet "
                        + cabinetId + " is not registered: register first"));
        Access.check(call, cabinetId, registration, keyed);
        EventBatch batch = EventBatch.parse(call.json(), registration.labels(), settings.get().maxEventsPerRequest());
        long acked;
        try {
            acked = registration.link().report(batch.boot(), batch.events());
        } catch (LockerException e) {
            throw LockerErrors.toCoapException(e, zone.get());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("boot", batch.boot());
        answer.put("acked", acked);
        call.respond(CoapResponseCode.CHANGED, answer);
    }
}
