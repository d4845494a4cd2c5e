package org.lockergate.kiosk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.kiosk.internal.Fixture.json;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.model.SendOrderState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.send.SendKind;
import org.lockergate.api.send.SendOpenResult;
import org.lockergate.api.send.SendOrder;
import org.lockergate.api.send.SendOrderRequest;
import org.lockergate.api.send.SendService;
import org.lockergate.transport.coap.CoapHandler;

/** The send resources {@code /groups/{groupId}/sends…} over real UDP, the send service faked. */
class SendsTest {

    @TempDir
    Path data;

    private Fixture f;
    private final FakeSends sends = new FakeSends();

    /** Records calls; answers {@link #open} or throws {@link #refuse}. */
    static final class FakeSends implements SendService {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile LockerException refuse;
        volatile SendOpenResult open = new SendOpenResult("SO-1", "c1", "B07", "opened");
        volatile List<SendOrder> list = List.of();

        private void check() throws LockerException {
            if (refuse != null) {
                throw refuse;
            }
        }

        @Override
        public SendOrder order(SendOrderRequest request, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SendOrder cancel(String orderId, String reason, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SendOpenResult drop(String groupId, String sendCode, String keypadId) throws LockerException {
            calls.add("drop " + groupId + " " + sendCode);
            check();
            return open;
        }

        @Override
        public List<SendOrder> collectionList(String groupId, String session) throws LockerException {
            calls.add("list " + groupId + " " + session);
            check();
            return list;
        }

        @Override
        public SendOpenResult collect(String groupId, String session, String orderId) throws LockerException {
            calls.add("collect " + groupId + " " + session + " " + orderId);
            check();
            return open;
        }

        @Override
        public Optional<SendOrder> order(String orderId) {
            return Optional.empty();
        }

        @Override
        public List<SendOrder> orders(String companyCode, String groupId, List<SendOrderState> states, int limit) {
            return List.of();
        }

        @Override
        public boolean cameraOk(String groupId) {
            return true;
        }
    }

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(data);
        f.net.register(new SendDropsHandler(sends, f.core, KioskAccess.DEFAULT),
                Map.of(CoapHandler.PATH, "/groups/{groupId}/sends/drops", CoapHandler.METHODS, "POST"));
        f.net.register(new SendCollectionsHandler(sends, f.core, KioskAccess.DEFAULT),
                Map.of(CoapHandler.PATH, "/groups/{groupId}/sends/collections", CoapHandler.METHODS, "POST"));
        f.net.register(new SendListHandler(sends, f.core, KioskAccess.DEFAULT),
                Map.of(CoapHandler.PATH, "/groups/{groupId}/sends", CoapHandler.METHODS, "GET"));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void a_drop_with_the_send_code_answers_2_04_with_the_compartment() throws Exception {
        CoapResponse response = f.post("/groups/g1/sends/drops", "{'code':'12345678'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        JsonNode body = json(response);
        assertThat(body.path("orderId").asText()).isEqualTo("SO-1");
        assertThat(body.path("compartment").asText()).isEqualTo("B07");
        assertThat(body.path("unlock").asText()).isEqualTo("opened");
        assertThat(sends.calls).containsExactly("drop g1 12345678");
    }

    @Test
    void a_malformed_code_is_4_00_and_never_reaches_the_core() throws Exception {
        CoapResponse response = f.post("/groups/g1/sends/drops", "{'code':'12ab'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(json(response).path("field").asText()).isEqualTo("code");
        assertThat(sends.calls).isEmpty();
    }

    @Test
    void camera_offline_is_4_03_with_its_reason() throws Exception {
        sends.refuse = new LockerException(Kind.FORBIDDEN, "camera_offline", "摄像头离线，暂停寄件 / The camera is "
                + "offline: sending suspended", Map.of("groupId", "g1"));

        CoapResponse response = f.post("/groups/g1/sends/drops", "{'code':'12345678'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(response).path("error").asText()).isEqualTo("camera_offline");
        assertThat(json(response).path("message").asText()).contains("摄像头离线").contains("camera");
    }

    @Test
    void the_courier_lists_and_collects_his_company_orders() throws Exception {
        sends.list = List.of(new SendOrder("RO-1", SendKind.RETURN, "g1", "c1", "B07", SizeClass.M, "ZTO", "ZT1",
                SendOrderState.DROPPED, Instant.parse("2025-03-01T01:00:00Z"), Instant.parse("2025-03-01T03:00:00Z"),
                Instant.parse("2025-03-01T01:30:00Z"), null, null));

        CoapResponse list = f.net.client("/groups/g1/sends?session=s-1").get();
        CoapResponse collect = f.post("/groups/g1/sends/collections", "{'session':'s-1','orderId':'RO-1'}");

        assertThat(list.getCode()).isEqualTo(ResponseCode.CONTENT);
        JsonNode order = json(list).path("orders").get(0);
        assertThat(order.path("orderId").asText()).isEqualTo("RO-1");
        assertThat(order.path("kind").asText()).isEqualTo("RETURN");
        assertThat(order.path("waybill").asText()).isEqualTo("ZT1");
        assertThat(order.path("droppedAt").asText()).startsWith("2025-03-01T09:30:00.000+08:00");
        assertThat(collect.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(sends.calls).containsExactly("list g1 s-1", "collect g1 s-1 RO-1");
    }

    @Test
    void listing_without_a_session_is_4_00_and_another_company_order_is_4_03() throws Exception {
        CoapResponse noSession = f.net.client("/groups/g1/sends").get();
        sends.refuse = new LockerException(Kind.FORBIDDEN, "forbidden", "不是您的 / another company's");
        CoapResponse forbidden = f.post("/groups/g1/sends/collections", "{'session':'s-1','orderId':'SO-9'}");

        assertThat(noSession.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(forbidden.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(forbidden).path("error").asText()).isEqualTo("forbidden");
    }
}
