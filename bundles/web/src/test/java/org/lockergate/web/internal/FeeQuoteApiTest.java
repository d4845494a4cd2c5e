package org.lockergate.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.spi.FeePolicy;

/**
 * The HTTP side of the fee quote: roles, parsing, the parcel handed to the policy and the wire form. The fee rules
 * themselves are tested in the rules bundle (RulesFeePolicyTest) and end to end in FeeQuoteIT.
 */
class FeeQuoteApiTest {

    private static final String BODY = "{\"depositedAt\":\"2025-03-03T10:00:00+08:00\","
            + "\"pickupAt\":\"2025-03-04T22:00:01+08:00\",\"feeTermsAccepted\":true}";

    private final AtomicReference<Parcel> parcel = new AtomicReference<>();
    private final AtomicReference<Instant> at = new AtomicReference<>();
    private final AtomicReference<String> plan = new AtomicReference<>();
    private ApiServer api;

    /** Charges ¥0.50 per started hour after 24 h, says counted = stored − 1 h; knows only plan "gold". */
    private final FeePolicy policy = new FeePolicy() {
        @Override
        public Fee quote(Parcel p, Instant when) {
            return quote(p, when, null);
        }

        @Override
        public Fee quote(Parcel p, Instant when, String memberPlan) {
            parcel.set(p);
            at.set(when);
            plan.set(memberPlan);
            if (memberPlan != null && !memberPlan.equals("gold")) {
                throw new IllegalArgumentException("unknown plan");
            }
            Duration counted = Duration.between(p.depositedAt(), when).minusHours(1);
            Instant freeUntil = p.depositedAt().plus(Duration.ofHours(25));
            if (!p.consent().feeTermsAccepted() || counted.compareTo(Duration.ofHours(24)) <= 0) {
                return Fee.free(freeUntil, counted, "free");
            }
            Duration overdue = counted.minusHours(24);
            int periods = (int) ((overdue.toSeconds() + 3599) / 3600);
            return new Fee(periods * 50L, freeUntil, overdue, periods, false, "explained", counted);
        }
    };

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer();
        api.feeQuoteServlet.fees = policy;
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void a_technician_gets_the_policys_fee_with_the_counted_time_and_periods() {
        HttpResponse<String> response = api.post("/fees/quote", BODY, api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = ApiServer.json(response);
        // stored 36 h 00 m 01 s, counted 35 h 00 m 01 s, overdue 11 h 00 m 01 s → 12 started hours
        assertThat(body.get("feeFen").asLong()).isEqualTo(600);
        assertThat(body.get("fee").asText()).isEqualTo("¥6.00");
        assertThat(body.get("storedSeconds").asLong()).isEqualTo(36 * 3600 + 1);
        assertThat(body.get("countedSeconds").asLong()).isEqualTo(35 * 3600 + 1);
        assertThat(body.get("notCountedSeconds").asLong()).isEqualTo(3600);
        assertThat(body.get("overdueSeconds").asLong()).isEqualTo(11 * 3600 + 1);
        assertThat(body.get("periods").asInt()).isEqualTo(12);
        assertThat(body.get("capped").asBoolean()).isFalse();
        assertThat(body.get("depositedAt").asText()).isEqualTo("2025-03-03T02:00:00Z");
        assertThat(body.get("freeUntil").asText()).isEqualTo("2025-03-04T03:00:00Z");
        assertThat(body.get("explanation").asText()).isEqualTo("explained");
        // the policy saw a deposited parcel with exactly the facts of the request, as at a pickup
        assertThat(parcel.get().depositedAt()).isEqualTo(Instant.parse("2025-03-03T02:00:00Z"));
        assertThat(parcel.get().consent().feeTermsAccepted()).isTrue();
        assertThat(parcel.get().state().name()).isEqualTo("DEPOSITED");
        assertThat(at.get()).isEqualTo(Instant.parse("2025-03-04T14:00:01Z"));
        assertThat(plan.get()).isNull();
    }

    @Test
    void property_staff_and_admin_may_quote_a_courier_company_may_not() {
        assertThat(api.post("/fees/quote", BODY, api.bearer("prop")).statusCode()).isEqualTo(200);
        assertThat(api.post("/fees/quote", BODY, api.bearer("admin")).statusCode()).isEqualTo(200);
        HttpResponse<String> courier = api.post("/fees/quote", BODY, api.bearer("zto"));
        assertThat(courier.statusCode()).isEqualTo(403);
        assertThat(ApiServer.json(courier).get("error").asText()).isEqualTo("forbidden");
        assertThat(api.post("/fees/quote", BODY).statusCode()).isEqualTo(401);
    }

    @Test
    void fee_terms_not_accepted_and_a_member_plan_reach_the_policy() {
        HttpResponse<String> response = api.post("/fees/quote", BODY.replace("true}", "false,\"plan\":\"gold\"}"),
                api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ApiServer.json(response).get("feeFen").asLong()).isZero();
        assertThat(parcel.get().consent().feeTermsAccepted()).isFalse();
        assertThat(plan.get()).isEqualTo("gold");
    }

    @Test
    void an_unknown_plan_is_400_unknown_plan_naming_the_field() {
        HttpResponse<String> response = api.post("/fees/quote", BODY.replace("true}", "true,\"plan\":\"platinum\"}"),
                "Authorization", api.bearer("tech")[1], "Accept-Language", "en");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("unknown_plan");
        assertThat(body.get("field").asText()).isEqualTo("plan");
        assertThat(body.get("message").asText()).contains("\"platinum\"");
    }

    @Test
    void bad_times_are_400_naming_the_field() {
        String[] tech = api.bearer("tech");
        assertField(api.post("/fees/quote", BODY.replace("2025-03-03T10:00:00+08:00", "2025-03-03 10:00"), tech),
                "depositedAt", "bad_request.not_instant");
        assertField(api.post("/fees/quote", BODY.replace("2025-03-04T22:00:01+08:00", "2025-03-04T22:00:01"), tech),
                "pickupAt", "bad_request.not_instant");
        assertField(api.post("/fees/quote", BODY.replace("2025-03-04T22:00:01+08:00", "2025-03-03T09:59:59+08:00"),
                tech), "pickupAt", "pickup_before_deposit");
        assertField(api.post("/fees/quote", BODY.replace("true}", "\"yes\"}"), tech), "feeTermsAccepted",
                "not_boolean");
        assertField(api.post("/fees/quote", "{\"pickupAt\":\"2025-03-04T22:00:01+08:00\",\"feeTermsAccepted\":true}",
                tech), "depositedAt", "missing_field");
        assertThat(parcel.get()).as("nothing reached the policy").isNull();
    }

    @Test
    void without_a_fee_policy_it_is_503_naming_the_service() {
        api.feeQuoteServlet.fees = null;

        HttpResponse<String> response = api.post("/fees/quote", BODY, api.bearer("tech"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(ApiServer.json(response).get("service").asText()).isEqualTo("fees");
    }

    private static void assertField(HttpResponse<String> response, String field, String why) {
        assertThat(response.statusCode()).as(why).isEqualTo(400);
        JsonNode body = ApiServer.json(response);
        assertThat(body.get("error").asText()).isEqualTo("bad_request");
        assertThat(body.get("field").asText()).as(why).isEqualTo(field);
        String expected = switch (why) {
            case "bad_request.not_instant" -> "ISO-8601";
            case "pickup_before_deposit" -> "取件时间早于投递时间";
            case "not_boolean" -> "true 或 false";
            default -> "缺少字段";
        };
        assertThat(body.get("message").asText()).contains(expected);
    }
}
