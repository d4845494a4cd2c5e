package org.lockergate.kiosk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.kiosk.internal.Fixture.json;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.event.LockerTopics;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;
import org.osgi.service.event.Event;

/** {@code GET /groups/{groupId}/state}, plain and observed, over real UDP. */
class GroupStateTest {

    @TempDir
    Path data;

    private Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(data);
        f.core.compartments.add(compartment("c1", "11", CompartmentState.FREE, true, false));
        f.core.compartments.add(compartment("c2", "21", CompartmentState.OCCUPIED, true, true));
        f.core.compartments.add(new Compartment("g2", "c9", "91", SizeClass.L, 1, 1, CompartmentState.FREE, true,
                false, null, null));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static Compartment compartment(String cabinet, String label, CompartmentState state, boolean closed,
            boolean present) {
        return new Compartment("g1", cabinet, label, SizeClass.M, 1, 1, state, closed, present, null,
                present ? "P-secret" : null);
    }

    @Test
    void the_state_lists_the_groups_compartments_with_their_cabinet_and_no_parcel_data() throws Exception {
        CoapResponse response = f.net.client("/groups/g1/state").get();

        assertThat(response.getCode()).isEqualTo(ResponseCode.CONTENT);
        assertThat(json(response)).isEqualTo(Fixture.JSON.readTree("{\"compartments\":["
                + "{\"cabinetId\":\"c1\",\"compartment\":\"11\",\"size\":\"M\",\"state\":\"FREE\","
                + "\"doorClosed\":true,\"present\":false},"
                + "{\"cabinetId\":\"c2\",\"compartment\":\"21\",\"size\":\"M\",\"state\":\"OCCUPIED\","
                + "\"doorClosed\":true,\"present\":true}]}"));
    }

    @Test
    void an_unknown_group_is_4_04() throws Exception {
        CoapResponse response = f.net.client("/groups/g9/state").get();

        assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(json(response).path("error").asText()).isEqualTo("unknown_group");
    }

    @Test
    void observers_are_notified_after_a_compartment_event_of_their_group() throws Exception {
        BlockingQueue<CoapResponse> received = new LinkedBlockingQueue<>();
        CoapObserveRelation relation = f.net.client("/groups/g1/state").observeAndWait(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                received.add(response);
            }

            @Override
            public void onError() {
            }
        });
        assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();

        f.core.compartments.set(0, compartment("c1", "11", CompartmentState.RESERVED, false, false));
        f.notifier.handleEvent(new Event(LockerTopics.COMPARTMENT_CHANGED, Map.of(LockerTopics.GROUP_ID, "g1",
                LockerTopics.CABINET_ID, "c1", LockerTopics.COMPARTMENT, "11", LockerTopics.STATE, "RESERVED")));

        CoapResponse notification = received.poll(5, TimeUnit.SECONDS);
        assertThat(notification).isNotNull();
        assertThat(json(notification).at("/compartments/0/state").asText()).isEqualTo("RESERVED");
        assertThat(json(notification).at("/compartments/0/doorClosed").asBoolean()).isFalse();
        relation.proactiveCancel();
    }

    @Test
    void an_event_of_another_group_does_not_notify() throws Exception {
        BlockingQueue<CoapResponse> received = new LinkedBlockingQueue<>();
        CoapObserveRelation relation = f.net.client("/groups/g1/state").observeAndWait(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                received.add(response);
            }

            @Override
            public void onError() {
            }
        });
        assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();

        f.notifier.handleEvent(new Event(LockerTopics.COMPARTMENT_CHANGED, Map.of(LockerTopics.GROUP_ID, "g2")));

        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
        relation.proactiveCancel();
    }
}
