package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.api.report.CostSharing;
import org.lockergate.api.report.CostSharing.CostShare;
import org.lockergate.api.report.UsageReports;
import org.lockergate.api.report.UsageRow;

/** Statistics and cost sharing over HTTP: roles (a courier company sees only itself), JSON and CSV, bad input. */
class ReportsApiTest {

    private final List<String> asked = new ArrayList<>();
    private ApiServer api;

    private final UsageReports reports = new UsageReports() {
        @Override
        public List<UsageRow> usage(LocalDate from, LocalDate to, String groupId, String company) {
            asked.add(from + ".." + to + " " + groupId + " " + company);
            List<UsageRow> rows = new ArrayList<>();
            for (String c : List.of("JT", "ZTO")) {
                if (company == null || company.equals(c)) {
                    rows.add(new UsageRow(from, "g1", c, 4, 2, 1, 1, 2, 7200, 1, 86_400, 50, 150));
                }
            }
            return rows;
        }

        @Override
        public List<CostSharing> costSharing(YearMonth month, String groupId) {
            asked.add(month + " " + groupId);
            return List.of(new CostSharing(month, "g1", 100_000, 300, List.of(
                    new CostShare("JT", 40, 10, 100, 333, 40_000, 33_333, -6_667, 300),
                    new CostShare("ZTO", 60, 20, 200, 666, 60_000, 66_667, 6_667, 600))));
        }
    };

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer();
        api.statisticsServlet.reports = reports;
        api.costSharingServlet.reports = reports;
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void property_staff_get_every_companys_rows_as_json() {
        HttpResponse<String> response = api.get("/statistics?from=2025-03-01&to=2025-03-31&groupId=g1",
                api.bearer("prop"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode rows = ApiServer.json(response);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("day").asText()).isEqualTo("2025-03-01");
        assertThat(rows.get(0).get("averageDwellSeconds").asLong()).isEqualTo(3600);
        assertThat(rows.get(0).get("overduePermille").asInt()).isEqualTo(500);
        assertThat(rows.get(0).get("tariffFen").asLong()).isEqualTo(150);
        assertThat(asked).containsExactly("2025-03-01..2025-03-31 g1 null");
    }

    @Test
    void a_courier_company_sees_only_its_own_company_and_may_not_ask_for_another() {
        HttpResponse<String> own = api.get("/statistics?from=2025-03-01&to=2025-03-02", api.bearer("zto"));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(own).findValuesAsText("company")).containsExactly("ZTO");
        assertThat(asked).containsExactly("2025-03-01..2025-03-02 null ZTO");

        assertThat(api.get("/statistics?from=2025-03-01&to=2025-03-02&company=JT", api.bearer("zto")).statusCode())
                .isEqualTo(403);

        HttpResponse<String> costs = api.get("/cost-sharing?month=2025-03", api.bearer("zto"));
        assertThat(costs.statusCode()).isEqualTo(200);
        JsonNode report = ApiServer.json(costs).get(0);
        assertThat(report.get("runningCostFen").asLong()).isEqualTo(100_000);
        assertThat(report.get("shares").findValuesAsText("company")).containsExactly("ZTO");
    }

    @Test
    void cost_sharing_exports_as_csv_with_integer_fen() {
        HttpResponse<String> response = api.get("/cost-sharing?month=2025-03&format=csv", api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(response.headers().firstValue("Content-Disposition").orElse(""))
                .contains("cost-sharing-2025-03.csv");
        assertThat(response.body()).isEqualTo("\uFEFFmonth,groupId,runningCostFen,company,fundingSharePercent,"
                + "deposits,compartmentSeconds,usePermille,byFundingFen,byUseFen,balanceFen,tariffFen\r\n"
                + "2025-03,g1,100000,JT,40,10,100,333,40000,33333,-6667,300\r\n"
                + "2025-03,g1,100000,ZTO,60,20,200,666,60000,66667,6667,600\r\n");
        HttpResponse<String> stats = api.get("/statistics?from=2025-03-01&to=2025-03-01", "Authorization",
                api.bearer("admin")[1],
                "Accept", "text/csv");
        assertThat(stats.body()).startsWith("\uFEFFday,groupId,company,deposits,").contains(
                "\r\n2025-03-01,g1,JT,4,2,1,1,2,3600,1,500,86400,50,150\r\n");
    }

    @Test
    void bad_dates_months_and_formats_are_400_naming_the_field() {
        String[] prop = api.bearer("prop");
        assertField(api.get("/statistics?to=2025-03-01", prop), "from");
        assertField(api.get("/statistics?from=2025-3-1&to=2025-03-01", prop), "from");
        assertField(api.get("/statistics?from=2025-03-02&to=2025-03-01", prop), "to");
        assertField(api.get("/statistics?from=2024-01-01&to=2025-03-01", prop), "to");
        assertField(api.get("/statistics?from=2025-03-01&to=2025-03-01&format=xls", prop), "format");
        assertField(api.get("/cost-sharing?month=March", prop), "month");
        assertField(api.get("/cost-sharing", prop), "month");
        assertThat(asked).isEmpty();
    }

    @Test
    void without_the_rules_bundle_it_is_503_reports() {
        api.statisticsServlet.reports = null;
        HttpResponse<String> response = api.get("/statistics?from=2025-03-01&to=2025-03-01", api.bearer("prop"));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(ApiServer.json(response).get("service").asText()).isEqualTo("reports");
    }

    private static void assertField(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(field).isEqualTo(400);
        assertThat(ApiServer.json(response).get("field").asText()).isEqualTo(field);
    }
}
