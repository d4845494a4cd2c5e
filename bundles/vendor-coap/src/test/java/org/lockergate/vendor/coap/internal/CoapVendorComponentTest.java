package org.lockergate.vendor.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.vendor.coap.internal.Fixture.descriptor;
import static org.lockergate.vendor.coap.internal.Fixture.post;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapMethod;
import org.lockergate.transport.coap.CoapReply;
import org.lockergate.transport.coap.CoapService;
import org.lockergate.transport.coap.internal.TransportHarness;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;

/**
 * The DS component as SCR drives it, with a recording {@link BundleContext}: what it registers, what it tells
 * observers, and that stopping it detaches every cabinet.
 */
class CoapVendorComponentTest {

    @TempDir
    Path data;

    private TransportHarness net;
    private final FakeCore core = new FakeCore();
    private final List<String> changed = new CopyOnWriteArrayList<>();
    private final List<Registered> registered = new ArrayList<>();
    private CoapVendorComponent component;

    /** A service registered through the recording context. */
    private static final class Registered {
        final Object service;
        final Map<String, Object> properties;
        boolean unregistered;

        Registered(Object service, Dictionary<String, ?> properties) {
            this.service = service;
            this.properties = new java.util.HashMap<>();
            for (String key : Collections.list(properties.keys())) {
                this.properties.put(key, properties.get(key));
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        net = new TransportHarness(data);
        component = new CoapVendorComponent();
        component.host = core;
        component.queries = core;
        component.coap = recording(net.service());
        component.activate(context(), config(10, 11, 256));
        for (Registered r : registered) {
            if (r.service instanceof CoapHandler handler) {
                net.register(handler, r.properties);
            }
        }
    }

    @AfterEach
    void stop() {
        net.close();
    }

    @Test
    void activation_registers_the_four_handlers_of_the_cabinet_api() {
        assertThat(registered).filteredOn(r -> r.service instanceof CoapHandler)
                .extracting(r -> r.properties.get(CoapHandler.PATH)).containsExactlyInAnyOrder(
                "/rd", "/rd/{regId}", "/cabinets/{cabinetId}/events", "/cabinets/{cabinetId}/state");
        assertThat(registered).filteredOn(r -> r.service instanceof org.lockergate.api.spi.FirmwareUpdater)
                .singleElement().satisfies(r -> assertThat(r.properties)
                        .containsEntry(org.lockergate.api.spi.CabinetDriverFactory.VENDOR, "coap"));
        Registered state = registered.stream().filter(r -> r.properties.get(CoapHandler.PATH)
                .equals("/cabinets/{cabinetId}/state")).findFirst().orElseThrow();
        assertThat(state.properties).containsEntry(CoapHandler.OBSERVABLE, Boolean.TRUE);
        assertThat((String[]) state.properties.get(CoapHandler.METHODS)).containsExactly("GET");
        assertThat(component.vendor()).isEqualTo("coap");
    }

    @Test
    void deactivation_unregisters_the_handlers_and_detaches_every_cabinet() throws Exception {
        post(net.client("/rd?ep=c1"), descriptor("g1"));
        post(net.client("/rd?ep=c2"), descriptor("g2"));
        assertThat(component.cabinetIds()).containsExactly("c1", "c2");

        component.deactivate();

        assertThat(registered).allMatch(r -> r.unregistered);
        assertThat(core.attached).allSatisfy(a -> assertThat(a.link().detached)
                .containsExactly("vendor bundle stopping"));
        assertThat(component.cabinetIds()).isEmpty();
    }

    @Test
    void a_compartment_event_tells_the_observers_of_its_cabinet() {
        component.handleEvent(new Event(LockerTopics.COMPARTMENT_CHANGED, Map.of(LockerTopics.GROUP_ID, "g1",
                LockerTopics.CABINET_ID, "c7", LockerTopics.COMPARTMENT, "12", LockerTopics.STATE, "OCCUPIED")));
        component.handleEvent(new Event(LockerTopics.COMPARTMENT_CHANGED, Map.of(LockerTopics.GROUP_ID, "g1")));

        assertThat(changed).containsExactly("/cabinets/c7/state");
    }

    @Test
    void a_configuration_change_applies_without_dropping_registrations() throws Exception {
        post(net.client("/rd?ep=c1"), descriptor("g1"));

        component.modified(config(20, 11, 256));
        CoapResponse again = post(net.client("/rd?ep=c2"), descriptor("g1"));

        assertThat(Fixture.json(again).path("heartbeat").asInt()).isEqualTo(20);
        assertThat(component.cabinetIds()).containsExactly("c1", "c2");
        assertThat(again.getCode()).isEqualTo(ResponseCode.CREATED);
    }

    private CoapService recording(CoapService real) {
        return new CoapService() {
            @Override
            public Optional<InetSocketAddress> localAddress(boolean secure) {
                return real.localAddress(secure);
            }

            @Override
            public void changed(String path) {
                changed.add(path);
                real.changed(path);
            }

            @Override
            public CompletableFuture<CoapReply> request(CoapMethod method, InetSocketAddress peer, boolean secure,
                    String path, Object jsonBody, Duration timeout) {
                return real.request(method, peer, secure, path, jsonBody, timeout);
            }
        };
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args.length == 3) {
                        @SuppressWarnings("unchecked")
                        Registered r = new Registered(args[1], (Dictionary<String, ?>) args[2]);
                        registered.add(r);
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        r.unregistered = true;
                                    }
                                    return null;
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static VendorConfig config(int heartbeat, int unlockTimeout, int maxEvents) {
        return new VendorConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return VendorConfig.class;
            }

            @Override
            public int heartbeatSeconds() {
                return heartbeat;
            }

            @Override
            public int unlockTimeoutSeconds() {
                return unlockTimeout;
            }

            @Override
            public int maxEventsPerRequest() {
                return maxEvents;
            }

            @Override
            public boolean dtlsRequiredWithKey() {
                return true;
            }
        };
    }
}
