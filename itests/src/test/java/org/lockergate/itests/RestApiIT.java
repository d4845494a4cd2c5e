package org.lockergate.itests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The REST API of the real distribution in demo mode ({@code bin/lockergate --demo}: simulated CoAP cabinets and a
 * traffic generator depositing and picking up parcels), over real HTTP, with each demo account: groups,
 * compartments (and their ETag), masked parcels (a courier company sees only its own), a real door_jammed alarm
 * raised by a technician opening the demo's jammed compartment, acknowledged by property staff through a browser
 * session (cookie + CSRF), and the audit rows that name every operator.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class RestApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JAMMED = Pattern.compile("Demo: compartment (\\S+) of (\\S+) is jammed");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Gateway gateway;
    private static String admin;
    private static String tech;
    private static String zto;
    /** The property account logs in like the console: session cookie and CSRF token. */
    private static String propertyCookie;
    private static String propertyCsrf;

    @BeforeClass
    public static void startGateway() throws Exception {
        gateway = Gateway.start(Map.of(), "--demo").awaitReady();
        admin = bearerLogin("demo-admin");
        tech = bearerLogin("demo-tech");
        zto = bearerLogin("demo-zto");
        HttpResponse<String> login = send("POST", "/api/v1/login",
                "{\"user\":\"demo-property\",\"password\":\"demo-property-2026\"}", null);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Strict");
        propertyCookie = setCookie.substring(0, setCookie.indexOf(';'));
        propertyCsrf = json(login).get("csrfToken").asText();
    }

    @AfterClass
    public static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void a_anonymous_callers_get_401_and_the_session_names_the_operator() throws Exception {
        for (String path : List.of("/groups", "/compartments", "/parcels", "/alarms", "/audit", "/events")) {
            assertThat(send("GET", "/api/v1" + path, null, null).statusCode()).as(path).isEqualTo(401);
        }
        JsonNode session = json(send("GET", "/api/v1/session", null, null, "Cookie", propertyCookie));
        assertThat(session.get("user").asText()).isEqualTo("demo-property");
        assertThat(session.get("roles").toString()).isEqualTo("[\"property\"]");
        assertThat(session.get("csrfToken").asText()).isEqualTo(propertyCsrf);
        JsonNode ztoSession = json(send("GET", "/api/v1/session", null, zto));
        assertThat(ztoSession.get("company").asText()).isEqualTo("ZTO");
    }

    @Test
    public void b_groups_and_compartments_show_the_demo_cabinets_with_an_etag() throws Exception {
        JsonNode groups = json(send("GET", "/api/v1/groups", null, admin));
        assertThat(groups.findValuesAsText("groupId")).contains("g1", "g2");
        JsonNode g1 = find(groups, g -> g.get("groupId").asText().equals("g1"));
        assertThat(g1.get("cabinets").asInt()).isEqualTo(2);
        assertThat(g1.at("/compartments/total").asInt()).isEqualTo(48);

        JsonNode compartments = json(send("GET", "/api/v1/groups/g1/compartments", null, tech));
        assertThat(compartments).hasSize(48);
        assertThat(compartments.get(0).get("board").asInt()).isPositive();
        assertThat(send("GET", "/api/v1/compartments", null, zto).statusCode()).isEqualTo(403);

        // the traffic keeps changing the grid: a 304 needs two reads within one unchanged moment
        boolean notModified = false;
        for (int i = 0; i < 20 && !notModified; i++) {
            HttpResponse<String> first = send("GET", "/api/v1/compartments?groupId=g2", null, tech);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = send("GET", "/api/v1/compartments?groupId=g2", null, tech,
                    "If-None-Match", etag);
            notModified = again.statusCode() == 304;
        }
        assertThat(notModified).as("a 304 for an unchanged grid").isTrue();
    }

    @Test
    public void c_parcels_of_the_live_traffic_are_masked_and_a_courier_company_sees_only_its_own() throws Exception {
        JsonNode page = null;
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            page = json(send("GET", "/api/v1/parcels?limit=200", null, null, "Cookie", propertyCookie));
            if (page.get("items").findValuesAsText("companyCode").containsAll(List.of("ZTO", "JT"))) {
                break;
            }
            Thread.sleep(1000); // waiting for the demo traffic, not for a rule's time
        }
        assertThat(page.get("items").findValuesAsText("companyCode")).as("parcels of both demo couriers")
                .contains("ZTO", "JT");
        String body = page.toString();
        for (JsonNode parcel : page.get("items")) {
            assertThat(parcel.get("phoneMasked").asText()).matches("\\d{3}\\*+\\d{2,4}");
            assertThat(parcel.has("code")).isFalse();
        }
        assertThat(body).doesNotContain("\"pickupCode\"");

        JsonNode own = json(send("GET", "/api/v1/parcels?limit=200", null, zto));
        assertThat(own.get("items").findValuesAsText("companyCode")).isNotEmpty().containsOnly("ZTO");
        assertThat(send("GET", "/api/v1/parcels?company=JT", null, zto).statusCode()).isEqualTo(403);
        String jtParcel = find(page.get("items"), p -> p.get("companyCode").asText().equals("JT")).get("parcelId")
                .asText();
        assertThat(json(send("GET", "/api/v1/parcels/" + jtParcel, null, tech)).get("companyCode").asText())
                .isEqualTo("JT");
        assertThat(send("GET", "/api/v1/parcels/" + jtParcel, null, zto).statusCode()).isEqualTo(404);
    }

    @Test
    public void d_a_jammed_door_raises_an_alarm_that_property_staff_acknowledge_through_the_browser_session()
            throws Exception {
        Matcher jammed = JAMMED.matcher(gateway.console() + gateway.logFile());
        assertThat(jammed.find()).as("the demo logs its jammed compartment").isTrue();
        String label = jammed.group(1);
        String group = jammed.group(2);

        // property staff may not open doors; a technician may (the demo's lock answers: jammed)
        String reason = "{\"reason\":\"RestApiIT: 检查卡住的门\"}";
        assertThat(send("POST", "/api/v1/compartments/" + group + "/" + label + "/open", reason, null,
                "Cookie", propertyCookie, "X-CSRF-Token", propertyCsrf).statusCode()).isEqualTo(403);
        HttpResponse<String> open = null;
        for (int i = 0; i < 30; i++) {
            open = send("POST", "/api/v1/compartments/" + group + "/" + label + "/open", reason, tech);
            if (open.statusCode() != 409) {
                break;
            }
            Thread.sleep(500); // the traffic had reserved it; try again
        }
        assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
        assertThat(json(open).get("outcome").asText()).isEqualTo("jammed");

        JsonNode alarms = json(send("GET", "/api/v1/alarms", null, null, "Cookie", propertyCookie));
        JsonNode alarm = find(alarms, a -> a.get("type").asText().equals("door_jammed")
                && a.get("groupId").asText().equals(group) && a.get("compartment").asText().equals(label));
        long alarmId = alarm.get("alarmId").asLong();

        // a cookie session without the CSRF token may not acknowledge
        HttpResponse<String> noCsrf = send("POST", "/api/v1/alarms/" + alarmId + "/ack", "{}", null,
                "Cookie", propertyCookie);
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(json(noCsrf).get("error").asText()).isEqualTo("csrf_token_missing");
        assertThat(send("POST", "/api/v1/alarms/" + alarmId + "/ack", "{}", zto).statusCode()).isEqualTo(403);

        HttpResponse<String> ack = send("POST", "/api/v1/alarms/" + alarmId + "/ack", "{}", null,
                "Cookie", propertyCookie, "X-CSRF-Token", propertyCsrf);
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        assertThat(json(ack).get("acknowledgedBy").asText()).isEqualTo("operator:demo-property");

        JsonNode alarmEvents = json(send("GET", "/api/v1/events?stream=alarms&limit=500", null, tech));
        assertThat(alarmEvents.get("items").findValuesAsText("type")).contains("door_jammed");
    }

    @Test
    public void e_the_audit_log_names_every_operator_and_pages_to_the_end() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        String path = "/api/v1/audit?limit=100";
        for (int pages = 0; path != null && pages < 200; pages++) {
            JsonNode page = json(send("GET", path, null, admin));
            page.get("items").forEach(rows::add);
            path = page.get("next").isNull() ? null : page.get("next").asText();
        }
        assertThat(path).as("the last page has no next link").isNull();
        List<String> lines = rows.stream().map(r -> r.get("actor").asText() + " " + r.get("action").asText()).toList();
        assertThat(lines).contains("operator:demo-property operator.login", "operator:demo-tech operator.login",
                "operator:demo-tech compartment.open", "operator:demo-property alarm.acknowledged");
        assertThat(rows.stream().map(r -> r.get("id").asLong()).toList()).isSorted().doesNotHaveDuplicates();
        assertThat(send("GET", "/api/v1/audit", null, zto).statusCode()).isEqualTo(403);
    }

    private static String bearerLogin(String user) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/auth/login",
                "{\"username\":\"" + user + "\",\"password\":\"" + user + "-2026\"}", null);
        assertThat(response.statusCode()).as(user + ": " + response.body()).isEqualTo(200);
        return json(response).get("token").asText();
    }

    private static HttpResponse<String> send(String method, String path, String body, String token,
            String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static JsonNode find(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode node : array) {
            if (test.test(node)) {
                return node;
            }
        }
        throw new AssertionError("nothing matching in " + array);
    }
}
