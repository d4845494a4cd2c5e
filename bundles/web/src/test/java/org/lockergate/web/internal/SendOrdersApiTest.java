package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.api.model.SendOrderState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.send.SendKind;
import org.lockergate.api.send.SendOpenResult;
import org.lockergate.api.send.SendOrder;
import org.lockergate.api.send.SendOrderRequest;
import org.lockergate.api.send.SendService;

/** {@code GET /api/v1/send-orders}: roles (a courier company sees only itself), filters, bad input. */
class SendOrdersApiTest {

    private final List<String> asked = new ArrayList<>();
    private final SendOrdersServlet servlet = new SendOrdersServlet();
    private ApiServer api;

    private final SendService sends = new SendService() {
        @Override
        public List<SendOrder> orders(String companyCode, String groupId, List<SendOrderState> states, int limit) {
            asked.add(companyCode + " " + groupId + " " + states + " " + limit);
            List<SendOrder> out = new ArrayList<>();
            for (String c : List.of("JT", "ZTO")) {
                if (companyCode == null || companyCode.equals(c)) {
                    out.add(new SendOrder("SO-" + c, SendKind.SEND, "g1", "c1", "5", SizeClass.M, c, null,
                            SendOrderState.DROPPED, Instant.parse("2026-11-29T02:05:00Z"),
                            Instant.parse("2026-11-29T04:05:00Z"), Instant.parse("2026-11-29T02:20:13.004Z"), null,
                            null));
                }
            }
            return out;
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
        public SendOpenResult drop(String groupId, String sendCode, String keypadId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SendOrder> collectionList(String groupId, String session) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SendOpenResult collect(String groupId, String session, String orderId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<SendOrder> order(String orderId) {
            return Optional.empty();
        }

        @Override
        public boolean cameraOk(String groupId) {
            return true;
        }
    };

    @BeforeEach
    void start() throws Exception {
        servlet.sends = sends;
        api = new ApiServer(true, SendOrdersServlet.PATH, servlet);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void property_staff_see_every_company_with_times_in_the_community_zone() {
        HttpResponse<String> response = api.get("/send-orders?state=dropped&groupId=g1", api.bearer("prop"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode rows = ApiServer.json(response);
        assertThat(rows.findValuesAsText("companyCode")).containsExactly("JT", "ZTO");
        assertThat(rows.get(0).get("droppedAt").asText()).isEqualTo("2026-11-29T10:20:13.004+08:00");
        assertThat(rows.get(0).has("code")).isFalse();
        assertThat(asked).containsExactly("null g1 [DROPPED] 200");
    }

    @Test
    void a_courier_company_sees_only_its_own_orders_and_may_not_ask_for_another() {
        HttpResponse<String> own = api.get("/send-orders?state=DROPPED", api.bearer("zto"));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(own).findValuesAsText("companyCode")).containsExactly("ZTO");
        assertThat(asked).containsExactly("ZTO null [DROPPED] 200");

        assertThat(api.get("/send-orders?company=JT", api.bearer("zto")).statusCode()).isEqualTo(403);
        assertThat(api.get("/send-orders").statusCode()).isEqualTo(401);
    }

    @Test
    void bad_state_or_limit_is_400_naming_the_field() {
        HttpResponse<String> state = api.get("/send-orders?state=SHIPPED", api.bearer("prop"));
        HttpResponse<String> limit = api.get("/send-orders?limit=0", api.bearer("prop"));

        assertThat(state.statusCode()).isEqualTo(400);
        assertThat(ApiServer.json(state).get("field").asText()).isEqualTo("state");
        assertThat(ApiServer.json(state).get("message").asText()).contains("ORDERED");
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(ApiServer.json(limit).get("field").asText()).isEqualTo("limit");
        assertThat(asked).isEmpty();
    }

    @Test
    void without_the_core_it_is_503() {
        servlet.sends = null;
        assertThat(api.get("/send-orders", api.bearer("prop")).statusCode()).isEqualTo(503);
    }
}
