package org.lockergate.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;

class GatewayMetricsTest {

    private static final Instant T = Instant.parse("2025-03-03T02:00:00Z");

    /** A two-cabinet group g1: c1 online with compartments 1 (FREE), 2 (OCCUPIED), 3 (FAULT); c2 offline. */
    static LockerQueries queries() {
        return (LockerQueries) Proxy.newProxyInstance(LockerQueries.class.getClassLoader(),
                new Class<?>[] {LockerQueries.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "groups" -> List.of(new CabinetGroup("g1", "幸福里 1 号", null));
                    case "cabinets" -> List.of(new Cabinet("c1", "g1", "coap", "X", "1", true, T),
                            new Cabinet("c2", "g1", "cu48", "Y", "1", false, T));
                    case "compartments" -> List.of(compartment("1", CompartmentState.FREE),
                            compartment("2", CompartmentState.OCCUPIED), compartment("3", CompartmentState.FAULT));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static Compartment compartment(String label, CompartmentState state) {
        return new Compartment("g1", "c1", label, SizeClass.S, 1, Integer.parseInt(label), state, true, false, null,
                null);
    }

    static AlarmService alarms() {
        return (AlarmService) Proxy.newProxyInstance(AlarmService.class.getClassLoader(),
                new Class<?>[] {AlarmService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("open")) {
                        return List.of(new Alarm(1, AlarmType.DOOR_JAMMED, "g1", "c1", "3", "jam", T, null, null, null),
                                new Alarm(2, AlarmType.CABINET_OFFLINE, "g1", "c2", null, "off", T, null, null, null),
                                new Alarm(3, AlarmType.DOOR_JAMMED, "g1", "c1", "4", "jam", T, null, null, null));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static String scrape(GatewayMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.scrape(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void deposits_and_pickups_count_parcel_events_by_group() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics(new GatewayMetrics.Sources(() -> null, () -> null, () -> null,
                () -> null, () -> null), false);

        metrics.parcelChanged("g1", "RESERVED");
        metrics.parcelChanged("g1", "DEPOSITED");
        metrics.parcelChanged("g1", "DEPOSITED");
        metrics.parcelChanged("g2", "DEPOSITED");
        metrics.parcelChanged("g1", "PICKED_UP");
        String text = scrape(metrics);

        assertThat(text).contains("# TYPE lockergate_deposits_total counter")
                .contains("lockergate_deposits_total{group=\"g1\"} 2.0")
                .contains("lockergate_deposits_total{group=\"g2\"} 1.0")
                .contains("lockergate_pickups_total{group=\"g1\"} 1.0");
    }

    @Test
    void gauges_are_read_from_the_services_at_scrape_time() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics(new GatewayMetrics.Sources(GatewayMetricsTest::queries,
                GatewayMetricsTest::alarms, () -> null, () -> null, () -> null), false);

        String text = scrape(metrics);

        assertThat(text).contains("lockergate_alarms_open{type=\"door_jammed\"} 2.0")
                .contains("lockergate_alarms_open{type=\"cabinet_offline\"} 1.0")
                .contains("lockergate_alarms_open{type=\"forced_open\"} 0.0")
                .contains("lockergate_cabinet_online{cabinet=\"c1\",group=\"g1\",vendor=\"coap\"} 1.0")
                .contains("lockergate_cabinet_online{cabinet=\"c2\",group=\"g1\",vendor=\"cu48\"} 0.0")
                .contains("lockergate_compartments{group=\"g1\",state=\"FAULT\"} 1.0")
                .contains("lockergate_compartments{group=\"g1\",state=\"DISABLED\"} 0.0")
                .doesNotContain("lockergate_outbox_pending{");
    }

    @Test
    void request_latencies_are_a_histogram_by_method_resource_and_status() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics(new GatewayMetrics.Sources(() -> null, () -> null, () -> null,
                () -> null, () -> null), false);

        metrics.observeHttp("GET", "/maintenance/tickets", 200, 0.003);
        metrics.observeHttp("GET", "/maintenance/tickets", 200, 0.2);
        metrics.observeHttp("POST", "/maintenance/tickets/*", 409, 0.02);
        String text = scrape(metrics);

        assertThat(text).contains("# TYPE lockergate_http_request_duration_seconds histogram")
                .contains("lockergate_http_request_duration_seconds_bucket{method=\"GET\",resource="
                        + "\"/maintenance/tickets\",status=\"200\",le=\"0.005\"} 1")
                .contains("lockergate_http_request_duration_seconds_count{method=\"GET\",resource="
                        + "\"/maintenance/tickets\",status=\"200\"} 2")
                .contains("lockergate_http_request_duration_seconds_count{method=\"POST\",resource="
                        + "\"/maintenance/tickets/*\",status=\"409\"} 1");
    }

    @Test
    void jvm_basics_are_included() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics(new GatewayMetrics.Sources(() -> null, () -> null, () -> null,
                () -> null, () -> null), true);

        assertThat(scrape(metrics)).contains("jvm_memory_used_bytes{area=\"heap\"}").contains("jvm_threads_current");
    }
}
