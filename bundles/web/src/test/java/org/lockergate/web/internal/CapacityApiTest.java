package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.report.CapacityReports;
import org.lockergate.api.report.GroupCapacity;
import org.lockergate.api.report.GroupCapacity.HourLine;
import org.lockergate.api.report.GroupCapacity.Move;
import org.lockergate.api.report.GroupCapacity.Overflow;
import org.lockergate.api.report.GroupCapacity.SizeLine;

/** Capacity planning over HTTP in a real Jetty: roles, JSON, the three CSV tables, on-demand sending, bad input. */
class CapacityApiTest {

    private final List<String> asked = new ArrayList<>();
    private final CapacityServlet servlet = new CapacityServlet();
    private ApiServer api;

    private final CapacityReports reports = new CapacityReports() {
        @Override
        public List<GroupCapacity> capacity(LocalDate from, LocalDate to, String groupId) {
            asked.add("get " + from + ".." + to + " " + groupId);
            return List.of(new GroupCapacity("g1", from, to, 20,
                    List.of(new SizeLine(SizeClass.S, 2, 2, 3, 1, 600, 5, 84_600, 3, 3, 0, 0,
                            List.of(new Move("g2", 3)))),
                    List.of(new HourLine(10, SizeClass.S, 7200, 2000, 2, 3)),
                    List.of(new Overflow("g2", 3, 0), new Overflow("station", 0, 1))));
        }

        @Override
        public long publish(LocalDate from, LocalDate to, String actor) {
            asked.add("publish " + from + ".." + to + " " + actor);
            return 4711;
        }
    };

    @BeforeEach
    void start() throws Exception {
        servlet.reports = reports;
        api = new ApiServer(true, CapacityServlet.PATH, servlet);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void technicians_get_the_recommendation_per_group_and_size_as_json() {
        HttpResponse<String> response = api.get("/capacity?from=2025-03-03&to=2025-03-03&groupId=g1",
                api.bearer("tech"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode g1 = ApiServer.json(response).get(0);
        assertThat(g1.get("groupId").asText()).isEqualTo("g1");
        assertThat(g1.get("from").asText()).isEqualTo("2025-03-03");
        assertThat(g1.get("targetPermille").asInt()).isEqualTo(20);
        JsonNode s = g1.get("sizes").get(0);
        assertThat(s.get("size").asText()).isEqualTo("S");
        assertThat(s.get("turnedAwayFull").asInt()).isEqualTo(3);
        assertThat(s.get("recommendedExtra").asInt()).isEqualTo(3);
        assertThat(s.at("/moves/0/fromGroupId").asText()).isEqualTo("g2");
        assertThat(g1.at("/hours/0/averageOccupied").asInt()).isEqualTo(2000);
        assertThat(g1.at("/overflow/1/to").asText()).isEqualTo("station");
        assertThat(asked).containsExactly("get 2025-03-03..2025-03-03 g1");
    }

    @Test
    void the_three_tables_export_as_csv() {
        HttpResponse<String> sizes = api.get("/capacity?from=2025-03-03&to=2025-03-03&format=csv", api.bearer("prop"));
        assertThat(sizes.statusCode()).isEqualTo(200);
        assertThat(sizes.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(sizes.body()).contains("groupId,from,to,size,compartments,deposits,turnedAwayFull,"
                + "turnedAwayQuota,fullPermille,targetPermille,peakNeed,compartmentSeconds,recommendedExtra,moveIn,add,"
                + "spare,moves\r\ng1,2025-03-03,2025-03-03,S,2,2,3,1,600,20,5,84600,3,3,0,0,g2:3\r\n");
        HttpResponse<String> hours = api.get("/capacity?from=2025-03-03&to=2025-03-03&format=csv&part=hours",
                api.bearer("admin"));
        assertThat(hours.body()).contains("groupId,hour,size,compartmentSeconds,averageOccupiedMilli,peakOccupied,"
                + "turnedAway\r\ng1,10,S,7200,2000,2,3\r\n");
        HttpResponse<String> overflow = api.get("/capacity?from=2025-03-03&to=2025-03-03&format=csv&part=overflow",
                api.bearer("tech"));
        assertThat(overflow.body()).contains("groupId,to,turnedAwayFull,turnedAwayQuota\r\ng1,g2,3,0\r\n"
                + "g1,station,0,1\r\n");
    }

    @Test
    void a_post_sends_the_report_to_the_cloud_in_the_operators_name() {
        HttpResponse<String> response = api.post("/capacity?from=2026-11-01&to=2026-11-30", "", api.bearer("tech"));
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("event").asText()).isEqualTo("capacity.report");
        assertThat(body.get("seq").asLong()).isEqualTo(4711);
        assertThat(asked).containsExactly("publish 2026-11-01..2026-11-30 operator:tech");
    }

    @Test
    void courier_companies_and_anonymous_callers_are_refused() {
        assertThat(api.get("/capacity?from=2025-03-03&to=2025-03-03", api.bearer("zto")).statusCode())
                .isEqualTo(403);
        assertThat(api.post("/capacity?from=2025-03-03&to=2025-03-03", "", api.bearer("zto")).statusCode())
                .isEqualTo(403);
        assertThat(api.get("/capacity?from=2025-03-03&to=2025-03-03").statusCode()).isEqualTo(401);
        assertThat(asked).isEmpty();
    }

    @Test
    void bad_input_names_the_field_and_no_service_is_503() {
        HttpResponse<String> noFrom = api.get("/capacity?to=2025-03-03", api.bearer("tech"));
        assertThat(noFrom.statusCode()).isEqualTo(400);
        assertThat(ApiServer.json(noFrom).get("field").asText()).isEqualTo("from");
        HttpResponse<String> backwards = api.get("/capacity?from=2025-03-03&to=2025-03-01", api.bearer("tech"));
        assertThat(backwards.statusCode()).isEqualTo(400);
        assertThat(ApiServer.json(backwards).get("field").asText()).isEqualTo("to");
        HttpResponse<String> part = api.get("/capacity?from=2025-03-03&to=2025-03-03&format=csv&part=days",
                api.bearer("tech"));
        assertThat(part.statusCode()).isEqualTo(400);
        assertThat(ApiServer.json(part).get("field").asText()).isEqualTo("part");
        assertThat(api.get("/capacity?from=2025-03-03&to=2026-04-03", api.bearer("tech")).statusCode())
                .isEqualTo(400);
        servlet.reports = null;
        HttpResponse<String> down = api.get("/capacity?from=2025-03-03&to=2025-03-03", api.bearer("tech"));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(ApiServer.json(down).get("service").asText()).isEqualTo("capacity");
    }
}
