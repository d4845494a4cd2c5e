package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.api.time.GatewayClock;

class MaintenanceApiTest {

    private final FakeMaintenance fake = new FakeMaintenance();
    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        GatewayClock clock = new GatewayClock() {
            @Override
            public java.time.Instant now() {
                return fake.now;
            }

            @Override
            public java.time.ZoneId zone() {
                return java.time.ZoneId.of("Asia/Shanghai");
            }
        };
        TicketsServlet tickets = new TicketsServlet();
        tickets.tickets = fake;
        TicketServlet ticket = new TicketServlet();
        ticket.tickets = fake;
        InspectionsServlet inspections = new InspectionsServlet();
        inspections.inspections = fake;
        inspections.clock = clock;
        InspectionServlet inspection = new InspectionServlet();
        inspection.inspections = fake;
        inspection.clock = clock;
        RepairTimesServlet repair = new RepairTimesServlet();
        repair.tickets = fake;
        repair.clock = clock;
        api = new ApiServer(true, TicketsServlet.PATH, tickets, TicketServlet.PATH, ticket, InspectionsServlet.PATH,
                inspections, InspectionServlet.PATH, inspection, RepairTimesServlet.PATH, repair);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void anonymous_gets_401_and_a_courier_company_403_on_every_maintenance_resource() {
        long id = fake.add("door_jammed", "g1", "3").ticketId();
        for (String path : List.of("/maintenance/tickets", "/maintenance/tickets/" + id, "/maintenance/inspections",
                "/maintenance/repair-times?from=2025-03-01&to=2025-03-31")) {
            assertThat(api.get(path).statusCode()).as(path).isEqualTo(401);
            assertThat(api.get(path, api.bearer("zto")).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(api.post("/maintenance/tickets/" + id + "/take", "{}", api.bearer("zto")).statusCode())
                .isEqualTo(403);
        assertThat(fake.actions).isEmpty();
    }

    @Test
    void property_staff_list_and_a_technician_takes_notes_and_closes_a_ticket_as_themselves() {
        long id = fake.add("door_jammed", "g1", "3").ticketId();

        HttpResponse<String> list = api.get("/maintenance/tickets?state=OPEN,TAKEN&groupId=g1", api.bearer("prop"));
        HttpResponse<String> take = api.post("/maintenance/tickets/" + id + "/take", "{}", api.bearer("tech"));
        HttpResponse<String> note = api.post("/maintenance/tickets/" + id + "/note", "{\"text\":\"lubricated\"}",
                api.bearer("tech"));
        HttpResponse<String> close = api.post("/maintenance/tickets/" + id + "/close",
                "{\"resolution\":\"lock replaced\",\"enableCompartment\":true}", api.bearer("tech"));
        HttpResponse<String> again = api.post("/maintenance/tickets/" + id + "/take", "{}",
                api.bearer("prop")[0], api.bearer("prop")[1], "Accept-Language", "en");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(list).get(0).get("fault").asText()).isEqualTo("door_jammed");
        assertThat(ApiServer.json(list).get(0).get("openedAt").asText()).isEqualTo("2025-03-03T02:00:00Z");
        assertThat(take.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(take).get("state").asText()).isEqualTo("TAKEN");
        assertThat(ApiServer.json(note).at("/notes/0/text").asText()).isEqualTo("lubricated");
        JsonNode closed = ApiServer.json(close);
        assertThat(closed.get("state").asText()).isEqualTo("CLOSED");
        assertThat(closed.get("closedBy").asText()).isEqualTo("operator:tech");
        assertThat(fake.enabled).containsExactly("g1/3");
        assertThat(fake.actions).containsExactly("take operator:tech", "note operator:tech", "close operator:tech");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(ApiServer.json(again).get("error").asText()).isEqualTo("ticket_closed");
        assertThat(ApiServer.json(again).get("message").asText()).isEqualTo("This ticket is already closed");
    }

    @Test
    void staff_open_a_ticket_by_hand_and_bad_input_gets_a_precise_error() {
        HttpResponse<String> opened = api.post("/maintenance/tickets",
                "{\"fault\":\"broken_screen\",\"groupId\":\"g1\",\"description\":\"screen dark\"}", api.bearer("prop"));
        HttpResponse<String> unknownGroup = api.post("/maintenance/tickets",
                "{\"fault\":\"broken_screen\",\"groupId\":\"zz\"}", api.bearer("prop"));
        HttpResponse<String> noFault = api.post("/maintenance/tickets", "{\"groupId\":\"g1\"}", api.bearer("prop"));
        HttpResponse<String> noResolution = api.post("/maintenance/tickets/1/close", "{}", api.bearer("tech"));
        HttpResponse<String> badState = api.get("/maintenance/tickets?state=BROKEN", api.bearer("prop"));
        HttpResponse<String> badId = api.get("/maintenance/tickets/abc", api.bearer("prop"));
        HttpResponse<String> unknownAction = api.post("/maintenance/tickets/1/fly", "{}", api.bearer("prop"));
        HttpResponse<String> missing = api.get("/maintenance/tickets/999", api.bearer("prop"));

        assertThat(opened.statusCode()).isEqualTo(201);
        assertThat(fake.actions).containsExactly("open operator:prop");
        assertThat(unknownGroup.statusCode()).isEqualTo(404);
        assertThat(ApiServer.json(unknownGroup).get("error").asText()).isEqualTo("unknown_group");
        assertThat(ApiServer.json(unknownGroup).get("message").asText()).isEqualTo("未知的柜组");
        assertThat(noFault.statusCode()).isEqualTo(400);
        assertThat(ApiServer.json(noFault).get("field").asText()).isEqualTo("fault");
        assertThat(ApiServer.json(noResolution).get("field").asText()).isEqualTo("resolution");
        assertThat(ApiServer.json(badState).get("field").asText()).isEqualTo("state");
        assertThat(badId.statusCode()).isEqualTo(404);
        assertThat(unknownAction.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void rounds_show_overdue_on_the_gateway_clock_and_are_completed_with_ticked_items() {
        long id = fake.addRound(FakeMaintenance.T0.plusSeconds(3600)).roundId();
        assertThat(ApiServer.json(api.get("/maintenance/inspections?overdue=true", api.bearer("prop")))).isEmpty();

        fake.now = FakeMaintenance.T0.plusSeconds(3600 + 7200);
        JsonNode overdue = ApiServer.json(api.get("/maintenance/inspections?overdue=true", api.bearer("prop")));
        HttpResponse<String> unknownItem = api.post("/maintenance/inspections/" + id + "/complete",
                "{\"ticked\":[\"roof\"]}", api.bearer("prop"));
        HttpResponse<String> notList = api.post("/maintenance/inspections/" + id + "/complete",
                "{\"ticked\":\"screen\"}", api.bearer("prop"));
        HttpResponse<String> done = api.post("/maintenance/inspections/" + id + "/complete",
                "{\"ticked\":[\"screen\",\"doors\"],\"note\":\"ok\"}", api.bearer("prop"));

        assertThat(overdue).hasSize(1);
        assertThat(overdue.get(0).get("overdue").asBoolean()).isTrue();
        assertThat(overdue.get(0).get("kind").asText()).isEqualTo("CLEANING");
        assertThat(unknownItem.statusCode()).isEqualTo(400);
        assertThat(ApiServer.json(unknownItem).get("item").asText()).isEqualTo("roof");
        assertThat(ApiServer.json(notList).get("field").asText()).isEqualTo("ticked");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(done).get("completedBy").asText()).isEqualTo("operator:prop");
        assertThat(ApiServer.json(done).get("overdue").asBoolean()).isFalse();
    }

    @Test
    void repair_times_per_vendor_and_group() {
        HttpResponse<String> ok = api.get("/maintenance/repair-times?from=2025-03-01&to=2025-03-31",
                api.bearer("tech"));
        HttpResponse<String> reversed = api.get("/maintenance/repair-times?from=2025-03-31&to=2025-03-01",
                api.bearer("tech"));

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(ok).at("/byVendor/0/key").asText()).isEqualTo("coap");
        assertThat(ApiServer.json(ok).at("/byVendor/0/meanSeconds").asLong()).isEqualTo(1800);
        assertThat(ApiServer.json(ok).at("/byGroup/0/key").asText()).isEqualTo("g1");
        assertThat(reversed.statusCode()).isEqualTo(400);
    }
}
