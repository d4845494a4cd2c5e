package org.lockergate.vendor.coap.internal;

import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.CompartmentSpec;
import org.lockergate.api.locker.LockerException;
import org.lockergate.kiosk.coap.LockerErrors;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapResponseCode;
import org.lockergate.transport.coap.CoapService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /rd?ep={cabinetId}&lt={s}} with the descriptor → attaches the cabinet to the core → 2.01, Location-Path
 * {@code rd/{regId}}, {@code {"heartbeat":10}}. 4.00 {@code bad_descriptor} naming the field; 4.03
 * {@code unknown_cabinet} / {@code unknown_group} (whatever their kind in the core), 4.03 {@code forbidden} for a
 * DTLS peer registering another id; other refusals of the core through {@link LockerErrors}.
 */
final class RegisterHandler implements CoapHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterHandler.class);

    private final CabinetHost host;
    private final Registrations registrations;
    private final CoapService coap;
    private final Predicate<String> keyed;
    private final Supplier<ZoneId> zone;
    private final Supplier<Settings> settings;

    RegisterHandler(CabinetHost host, Registrations registrations, CoapService coap, Predicate<String> keyed,
            Supplier<ZoneId> zone, Supplier<Settings> settings) {
        this.host = host;
        this.registrations = registrations;
        this.coap = coap;
        this.keyed = keyed;
        this.zone = zone;
        this.settings = settings;
    }

    @Override
    public void handle(CoapCall call) {
        int heartbeat = settings.get().heartbeatSeconds();
        Optional<String> ep = call.query("ep");
        if (ep.isPresent() && !ep.get().isEmpty()) {
            Access.check(call, ep.get(), null, keyed); // before reading the body: a stranger learns nothing
        }
        Descriptors.Parsed parsed = Descriptors.parse(call.queryParameters(), call.json(), heartbeat);
        CabinetDescriptor descriptor = parsed.descriptor();
        String cabinetId = descriptor.cabinetId();
        Registration.Peer peer = new Registration.Peer(call.peer(), call.secure());
        Registration registration;
        synchronized (registrations.lockFor(cabinetId)) {
            CoapCabinetDriver driver = new CoapCabinetDriver(cabinetId, registrations, coap, settings);
            CabinetLink link;
            try {
                link = host.attach(descriptor, driver);
            } catch (LockerException e) {
                throw refusal(e);
            }
            registration = new Registration(registrations.newId(), cabinetId, descriptor.groupId(),
                    descriptor.compartments().stream().map(CompartmentSpec::label)
                            .collect(java.util.stream.Collectors.toSet()),
                    link, parsed.lifetimeSeconds(), peer, registrations.now());
            if (!registrations.put(registration)) {
                Registrations.detach(registration, CoapVendor.STOPPING);
                throw new CoapException(CoapResponseCode.SERVICE_UNAVAILABLE, "unavailable",
                        "网关的 CoAP 柜子协议正在停止，请稍后重新注册 / the gateway's CoAP cabinet protocol is stopping:"
                                + " register again later");
            }
        }
        String from = (call.secure() ? "coaps://" : "coap://") + call.peer().getHostString() + ":"
                + call.peer().getPort();
        LOG.info("柜子 {} 已注册为 rd/{}（{}，{} 个格口，来自 {}，有效期 {} 秒）/ Cabinet {} registered as rd/{} ({}, {}"
                + " compartments, from {}, lifetime {} s)", cabinetId, registration.regId(), descriptor.groupId(),
                descriptor.compartments().size(), from, parsed.lifetimeSeconds(), cabinetId, registration.regId(),
                descriptor.groupId(), descriptor.compartments().size(), from, parsed.lifetimeSeconds());
        call.setLocationPath("rd/" + registration.regId());
        call.respond(CoapResponseCode.CREATED, Map.of("heartbeat", heartbeat));
    }

    private CoapException refusal(LockerException e) {
        String code = e.code();
        if ("unknown_cabinet".equals(code) || "unknown_group".equals(code)) {
            return LockerErrors.toCoapException(e, CoapResponseCode.FORBIDDEN, zone.get());
        }
        if (Descriptors.BAD_DESCRIPTOR.equals(code)) {
            return LockerErrors.toCoapException(e, CoapResponseCode.BAD_REQUEST, zone.get());
        }
        return LockerErrors.toCoapException(e, zone.get());
    }
}
