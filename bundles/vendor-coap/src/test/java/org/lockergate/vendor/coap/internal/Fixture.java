package org.lockergate.vendor.coap.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.lockergate.transport.coap.internal.TransportHarness;

/**
 * The real transport on 127.0.0.1 with the vendor's four handlers registered, a {@link FakeCore} behind them and a
 * clock for registration lifetimes the test moves by hand.
 */
final class Fixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final TransportHarness net;
    final FakeCore core = new FakeCore();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final CoapVendor vendor;

    Fixture(Path data, Settings settings) throws Exception {
        net = new TransportHarness(data);
        vendor = new CoapVendor(core, core, net.service(), id -> net.psk().contains(id),
                () -> ZoneId.of("Asia/Shanghai"), settings, nanos::get);
        for (CoapVendor.Route route : vendor.routes()) {
            net.register(route.handler(), route.properties());
        }
    }

    Fixture(Path data) throws Exception {
        this(data, Settings.DEFAULTS);
    }

    void advanceSeconds(long seconds) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    /** The descriptor of coap-cabinet-v1.md with compartments 11 (S, board 1 channel 11) and 12 (M, 1/12). */
    static ObjectNode descriptor(String groupId) {
        ObjectNode d = JSON.createObjectNode().put("vendor", "acme").put("model", "M1").put("firmware", "1.4.2")
                .put("boot", 3).put("groupId", groupId);
        d.putArray("compartments")
                .add(JSON.createObjectNode().put("compartment", "11").put("size", "S").put("board", 1)
                        .put("channel", 11))
                .add(JSON.createObjectNode().put("compartment", "12").put("size", "M").put("board", 1)
                        .put("channel", 12));
        return d;
    }

    static CoapResponse post(CoapClient client, Object body) throws Exception {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return client.post(text, MediaTypeRegistry.APPLICATION_JSON);
    }

    static JsonNode json(CoapResponse response) throws Exception {
        return JSON.readTree(response.getPayload());
    }

    /** Registers cabinet {@code cabinetId} of group g1 from {@code client}'s endpoint; returns {@code rd/…}. */
    String register(CoapClient client) throws Exception {
        CoapResponse response = post(client, descriptor("g1"));
        if (response == null || response.getCode().codeClass != 2) {
            throw new AssertionError("registration failed: " + (response == null ? "no answer"
                    : response.getCode() + " " + response.getResponseText()));
        }
        return response.getOptions().getLocationPathString();
    }

    @Override
    public void close() {
        vendor.close();
        net.close();
    }
}
