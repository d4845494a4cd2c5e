package org.lockergate.kiosk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.internal.TransportHarness;

/**
 * The real transport on 127.0.0.1 with every kiosk handler registered as its DS component would be, a
 * {@link FakeCore} behind them, and group g1 configured.
 */
final class Fixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final TransportHarness net;
    final FakeCore core = new FakeCore();
    final SessionsHandler sessions;
    final DepositsHandler deposits;
    final PickupsHandler pickups;
    final RejectionsHandler rejections;
    final WithdrawalsHandler withdrawals;
    final RecallsHandler recalls;
    final GroupStateHandler state;
    final GroupStateNotifier notifier;

    /** With the given kiosk access rules ({@code kioskGroups}, {@code requireDtls}). */
    Fixture(Path data, int codeDigits, KioskAccess access) throws Exception {
        net = new TransportHarness(data);
        sessions = new SessionsHandler(core, core, access);
        deposits = new DepositsHandler(core, core, access);
        pickups = new PickupsHandler(core, core, codeDigits, access);
        rejections = new RejectionsHandler(core, core, access);
        withdrawals = new WithdrawalsHandler(core, core, access);
        recalls = new RecallsHandler(core, core, access);
        state = new GroupStateHandler(core, access);
        notifier = new GroupStateNotifier(net.service());
        core.groups.add(new CabinetGroup("g1", "阳光小区 1 号柜", null));
        register(sessions, "/groups/{groupId}/sessions", "POST", false);
        register(deposits, "/groups/{groupId}/deposits", "POST", false);
        register(pickups, "/groups/{groupId}/pickups", "POST", false);
        register(rejections, "/groups/{groupId}/rejections", "POST", false);
        register(withdrawals, "/groups/{groupId}/withdrawals", "POST", false);
        register(recalls, "/groups/{groupId}/recalls", "GET", false);
        register(state, "/groups/{groupId}/state", "GET", true);
    }

    Fixture(Path data, int codeDigits) throws Exception {
        this(data, codeDigits, KioskAccess.DEFAULT);
    }

    Fixture(Path data) throws Exception {
        this(data, 8);
    }

    private void register(CoapHandler handler, String path, String methods, boolean observable) {
        net.register(handler, observable
                ? Map.of(CoapHandler.PATH, path, CoapHandler.METHODS, methods, CoapHandler.OBSERVABLE, true)
                : Map.of(CoapHandler.PATH, path, CoapHandler.METHODS, methods));
    }

    CoapResponse post(String path, Object body) throws Exception {
        return post(net.client(path), body);
    }

    static CoapResponse post(CoapClient client, Object body) throws Exception {
        String text = body instanceof String s ? s.replace('\'', '"') : JSON.writeValueAsString(body);
        return client.post(text, MediaTypeRegistry.APPLICATION_JSON);
    }

    static JsonNode json(CoapResponse response) throws Exception {
        return JSON.readTree(response.getPayload());
    }

    /** A gateway clock in another zone, to see that answers follow it. */
    static GatewayClock clock(ZoneId zone) {
        return new GatewayClock() {
            @Override
            public Instant now() {
                return Instant.parse("2025-03-01T02:00:00Z");
            }

            @Override
            public ZoneId zone() {
                return zone;
            }
        };
    }

    @Override
    public void close() {
        net.close();
    }
}
