package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.api.model.CompartmentState;

/** The locker resources over HTTP against an in-memory core: shapes, roles, paging, ETags, actions, errors. */
class LockerApiTest {

    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void groups_carry_registry_data_cabinets_and_compartment_counts() {
        HttpResponse<String> response = api.get("/groups", api.bearer("prop"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode g1 = ApiServer.json(response).get(0);
        assertThat(g1.get("groupId").asText()).isEqualTo("g1");
        assertThat(g1.get("postalFilingNumber").asText()).isEqualTo("YZ-0001");
        assertThat(g1.get("cabinetsOnline").asInt()).isEqualTo(1);
        assertThat(g1.at("/compartments/total").asInt()).isEqualTo(4);
        assertThat(g1.at("/compartments/occupied").asInt()).isEqualTo(1);
        assertThat(g1.at("/compartments/free").asInt()).isEqualTo(3);

        assertThat(ApiServer.json(api.get("/groups/g1", api.bearer("tech"))).get("name").asText())
                .isEqualTo("幸福里 1 号柜组");
        assertThat(ApiServer.json(api.get("/groups/g1/cabinets", api.bearer("tech"))).get(0).get("vendor").asText())
                .isEqualTo("coap");
        JsonNode compartments = ApiServer.json(api.get("/groups/g1/compartments", api.bearer("tech")));
        assertThat(compartments).hasSize(4);
        assertThat(api.get("/groups/nope", api.bearer("tech")).statusCode()).isEqualTo(404);
        assertThat(api.get("/groups/g1/nope", api.bearer("tech")).statusCode()).isEqualTo(404);
        assertThat(ApiServer.json(api.get("/cabinets?groupId=g1", api.bearer("admin"))).get(0).get("online")
                .asBoolean()).isTrue();
    }

    @Test
    void compartments_show_state_size_door_item_and_wiring_and_filter_by_state() {
        JsonNode all = ApiServer.json(api.get("/compartments?groupId=g1", api.bearer("tech")));
        JsonNode first = all.get(0);
        assertThat(first.get("label").asText()).isEqualTo("1");
        assertThat(first.get("state").asText()).isEqualTo("OCCUPIED");
        assertThat(first.get("size").asText()).isEqualTo("S");
        assertThat(first.get("doorOpen").asBoolean()).isFalse();
        assertThat(first.get("itemPresent").asBoolean()).isTrue();
        assertThat(first.get("board").asInt()).isEqualTo(1);
        assertThat(first.get("channel").asInt()).isEqualTo(1);
        assertThat(first.get("parcelId").asText()).isEqualTo("p-zto-1");
        assertThat(ApiServer.json(api.get("/compartments?state=FREE", api.bearer("tech")))).hasSize(3);
        HttpResponse<String> bad = api.get("/compartments?state=BROKEN", api.bearer("tech"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(ApiServer.json(bad).get("field").asText()).isEqualTo("state");
        assertThat(api.get("/compartments?groupId=nope", api.bearer("tech")).statusCode()).isEqualTo(404);
    }

    @Test
    void the_polled_lists_answer_304_while_unchanged_and_a_new_etag_after_a_change() {
        for (String path : new String[] {"/compartments", "/alarms", "/parcels", "/groups"}) {
            HttpResponse<String> first = api.get(path, api.bearer("tech"));
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(first.headers().firstValue("Cache-Control")).hasValue("private, no-cache");
            HttpResponse<String> again = api.get(path, "Authorization", api.bearer("tech")[1], "If-None-Match", etag);
            assertThat(again.statusCode()).as(path).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
        String etag = api.get("/compartments", api.bearer("tech")).headers().firstValue("ETag").orElseThrow();
        api.locker.setState("2", CompartmentState.FAULT);
        HttpResponse<String> changed = api.get("/compartments", "Authorization", api.bearer("tech")[1],
                "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
    }

    @Test
    void parcels_are_masked_filtered_and_paged_with_a_next_link() {
        HttpResponse<String> response = api.get("/parcels?limit=2", api.bearer("prop"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode page = ApiServer.json(response);
        assertThat(page.get("items").findValuesAsText("parcelId")).containsExactly("p-zto-3", "p-zto-2");
        JsonNode p = page.get("items").get(0);
        assertThat(p.get("phoneMasked").asText()).isEqualTo("138******34");
        assertThat(response.body()).doesNotContain("C-1").doesNotContain("\"code\"");
        assertThat(p.get("dwellSeconds").asLong()).isEqualTo(3 * 3600 - 180 - 5);
        assertThat(page.get("next").asText()).startsWith("/api/v1/parcels?").contains("limit=2", "cursor=");

        JsonNode second = ApiServer.json(api.get(page.get("next").asText().substring("/api/v1".length()),
                api.bearer("prop")));
        assertThat(second.get("items").findValuesAsText("parcelId")).containsExactly("p-zto-1", "p-jt-1");
        JsonNode third = ApiServer.json(api.get(second.get("next").asText().substring("/api/v1".length()),
                api.bearer("prop")));
        assertThat(third.get("items")).isEmpty();
        assertThat(third.get("next").isNull()).isTrue();

        assertThat(ApiServer.json(api.get("/parcels?overdue=true", api.bearer("prop"))).get("items")
                .findValuesAsText("parcelId")).containsExactly("p-jt-1");
        assertThat(ApiServer.json(api.get("/parcels?company=JT&state=OVERDUE", api.bearer("prop"))).get("items"))
                .hasSize(1);
        assertThat(ApiServer.json(api.get("/parcels?olderThanHours=4", api.bearer("prop"))).get("items")).isEmpty();
        assertThat(api.get("/parcels?cursor=garbage", api.bearer("prop")).statusCode()).isEqualTo(400);
        assertThat(api.get("/parcels?limit=0", api.bearer("prop")).statusCode()).isEqualTo(400);
        assertThat(ApiServer.json(api.get("/parcels/p-jt-1", api.bearer("tech"))).get("overdue").asBoolean())
                .isTrue();
        assertThat(api.get("/parcels/nope", api.bearer("tech")).statusCode()).isEqualTo(404);
    }

    @Test
    void a_courier_company_sees_only_its_own_parcels_and_couriers() {
        JsonNode own = ApiServer.json(api.get("/parcels", api.bearer("zto")));
        assertThat(own.get("items").findValuesAsText("companyCode")).containsOnly("ZTO").hasSize(3);
        assertThat(api.get("/parcels?company=JT", api.bearer("zto")).statusCode()).isEqualTo(403);
        assertThat(api.get("/parcels/p-jt-1", api.bearer("zto")).statusCode()).isEqualTo(404);
        assertThat(api.get("/parcels/p-zto-1", api.bearer("zto")).statusCode()).isEqualTo(200);

        JsonNode couriers = ApiServer.json(api.get("/couriers", api.bearer("zto")));
        assertThat(couriers.findValuesAsText("code")).containsExactly("ZTO");
        assertThat(couriers.get(0).at("/couriers/0/name").asText()).isEqualTo("李**");
        assertThat(api.get("/couriers?company=JT", api.bearer("zto")).statusCode()).isEqualTo(403);
        assertThat(ApiServer.json(api.get("/couriers", api.bearer("prop"))).findValuesAsText("code"))
                .containsExactly("JT", "ZTO");

        for (String path : new String[] {"/groups", "/cabinets", "/compartments", "/alarms", "/events", "/audit"}) {
            assertThat(api.get(path, api.bearer("zto")).statusCode()).as(path).isEqualTo(403);
        }
    }

    @Test
    void anonymous_callers_get_401_on_every_locker_resource() {
        for (String path : new String[] {"/groups", "/cabinets", "/compartments", "/parcels", "/events", "/audit",
            "/alarms", "/couriers", "/session"}) {
            HttpResponse<String> response = api.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
        assertThat(api.post("/alarms/7/ack", "{}").statusCode()).isEqualTo(401);
        assertThat(api.locker.alarms.get(0).acknowledged()).isFalse();
    }

    @Test
    void alarms_list_open_and_recent_and_acknowledge_with_the_operator_audited() {
        JsonNode open = ApiServer.json(api.get("/alarms", api.bearer("prop")));
        assertThat(open.get(0).get("type").asText()).isEqualTo("door_jammed");
        assertThat(open.get(0).get("acknowledged").asBoolean()).isFalse();

        HttpResponse<String> ack = api.post("/alarms/7/ack", "{}", api.bearer("prop"));
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(ack).get("acknowledgedBy").asText()).isEqualTo("operator:prop");
        assertThat(api.locker.actions()).contains("operator:prop alarm.acknowledged 7");
        assertThat(api.post("/alarms/7/ack", "", api.bearer("prop")).statusCode()).isEqualTo(200); // twice: fine

        HttpResponse<String> unknown = api.post("/alarms/99/ack", "{}", "Authorization", api.bearer("prop")[1],
                "Accept-Language", "en");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ApiServer.json(unknown).get("message").asText()).isEqualTo("No alarm 99");
        assertThat(api.post("/alarms/7/ack", "{}", api.bearer("zto")).statusCode()).isEqualTo(403);
        assertThat(api.get("/alarms/7/ack", api.bearer("prop")).statusCode()).isEqualTo(405);

        JsonNode recent = ApiServer.json(api.get("/alarms?status=recent", api.bearer("tech")));
        assertThat(recent.get(0).get("acknowledged").asBoolean()).isTrue();
        assertThat(api.get("/alarms?status=sometimes", api.bearer("tech")).statusCode()).isEqualTo(400);
    }

    @Test
    void staff_disable_enable_and_open_compartments_with_a_reason_audited_by_operator() {
        HttpResponse<String> disabled = api.post("/compartments/g1/2/disable", "{\"reason\":\"锁坏了\"}",
                api.bearer("prop"));
        assertThat(disabled.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(disabled).get("state").asText()).isEqualTo("DISABLED");
        assertThat(api.post("/compartments/g1/2/enable", "{\"reason\":\"修好了\"}", api.bearer("prop")).statusCode())
                .isEqualTo(200);
        assertThat(api.locker.actions()).contains("operator:prop compartment.disabled g1/2",
                "operator:prop compartment.enabled g1/2");

        // opening a door is for technicians only
        assertThat(api.post("/compartments/g1/1/open", "{\"reason\":\"检修\"}", api.bearer("prop")).statusCode())
                .isEqualTo(403);
        HttpResponse<String> opened = api.post("/compartments/g1/1/open", "{\"reason\":\"检修\"}",
                api.bearer("tech"));
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(opened).get("outcome").asText()).isEqualTo("opened");
        assertThat(api.locker.actions()).contains("operator:tech compartment.open g1/1");

        HttpResponse<String> noReason = api.post("/compartments/g1/2/disable", "{}", api.bearer("prop"));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(ApiServer.json(noReason).get("field").asText()).isEqualTo("reason");
        assertThat(api.post("/compartments/g1/99/disable", "{\"reason\":\"x\"}", api.bearer("prop")).statusCode())
                .isEqualTo(404);
        assertThat(api.post("/compartments/g1/2/explode", "{\"reason\":\"x\"}", api.bearer("tech")).statusCode())
                .isEqualTo(404);
        assertThat(api.post("/compartments/g1/2/disable", "{\"reason\":\"x\"}", api.bearer("zto")).statusCode())
                .isEqualTo(403);
    }

    @Test
    void events_are_paged_by_seq_and_never_show_the_clear_pickup_code() {
        HttpResponse<String> response = api.get("/events?limit=1", api.bearer("tech"));
        JsonNode page = ApiServer.json(response);
        assertThat(page.get("items").get(0).get("type").asText()).isEqualTo("parcel.deposited");
        assertThat(page.get("nextCursor").asText()).isEqualTo("1");
        JsonNode next = ApiServer.json(api.get("/events?limit=1&cursor=1", api.bearer("tech")));
        JsonNode notification = next.get("items").get(0);
        assertThat(notification.get("type").asText()).isEqualTo("notification.requested");
        assertThat(notification.get("data").has("code")).isFalse();
        assertThat(notification.at("/data/phoneMasked").asText()).isEqualTo("138******34");
        assertThat(api.get("/events?limit=10", api.bearer("tech")).body()).doesNotContain("246810");
        assertThat(ApiServer.json(api.get("/events?stream=alarms", api.bearer("tech"))).get("items")
                .findValuesAsText("stream")).containsExactly("alarms");
        assertThat(api.get("/events?stream=nope", api.bearer("tech")).statusCode()).isEqualTo(400);
        assertThat(api.get("/events?from=yesterday", api.bearer("tech")).statusCode()).isEqualTo(400);
    }

    @Test
    void audit_is_paged_by_id_and_filtered_by_time() {
        JsonNode page = ApiServer.json(api.get("/audit?limit=2", api.bearer("prop")));
        assertThat(page.get("items").findValuesAsText("target")).containsExactly("t1", "t2");
        JsonNode next = ApiServer.json(api.get("/audit?limit=2&cursor=" + page.get("nextCursor").asText(),
                api.bearer("prop")));
        assertThat(next.get("items").findValuesAsText("target")).containsExactly("t3", "t4");
        JsonNode window = ApiServer.json(api.get("/audit?from=2026-01-01T08:00:02%2B08:00&to=2026-01-01T00:00:04Z",
                api.bearer("prop")));
        assertThat(window.get("items").findValuesAsText("target")).containsExactly("t2", "t3");
        assertThat(api.get("/audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", api.bearer("prop"))
                .statusCode()).isEqualTo(400);
        assertThat(api.get("/audit?cursor=-3", api.bearer("prop")).statusCode()).isEqualTo(400);
    }

    @Test
    void without_the_locker_core_it_is_503_naming_the_service() {
        api.groupsServlet.queries = null;
        HttpResponse<String> response = api.get("/groups", api.bearer("prop"));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(ApiServer.json(response).get("service").asText()).isEqualTo("locker_queries");
        api.alarmsServlet.alarms = null;
        assertThat(ApiServer.json(api.post("/alarms/7/ack", "{}", api.bearer("prop"))).get("service").asText())
                .isEqualTo("alarms");
    }
}
