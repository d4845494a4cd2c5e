package org.lockergate.vendor.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.vendor.coap.internal.Fixture.json;

import java.nio.file.Path;
import java.util.HexFormat;
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
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;

/** {@code GET /cabinets/{cabinetId}/state}, plain and observed, over real UDP. */
class CabinetStateTest {

    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    @TempDir
    Path data;

    private Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(data);
        f.core.cabinets.add(new Cabinet("c1", "g1", "coap", "acme M1", "1.4.2", true, null));
        f.core.cabinets.add(new Cabinet("c2", "g1", "coap", "acme M1", "1.4.2", true, null));
        f.core.compartments.add(compartment("c1", "11", SizeClass.S, CompartmentState.FREE, true, false));
        f.core.compartments.add(compartment("c1", "12", SizeClass.M, CompartmentState.OCCUPIED, true, true));
        f.core.compartments.add(compartment("c2", "21", SizeClass.L, CompartmentState.FAULT, false, false));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static Compartment compartment(String cabinet, String label, SizeClass size, CompartmentState state,
            boolean closed, boolean present) {
        return new Compartment("g1", cabinet, label, size, 1, 1, state, closed, present, null,
                present ? "P-secret" : null);
    }

    @Test
    void the_state_lists_the_cabinets_own_compartments_without_parcel_data() throws Exception {
        CoapResponse response = f.net.client("/cabinets/c1/state").get();

        assertThat(response.getCode()).isEqualTo(ResponseCode.CONTENT);
        assertThat(json(response)).isEqualTo(Fixture.JSON.readTree("{\"compartments\":["
                + "{\"compartment\":\"11\",\"size\":\"S\",\"state\":\"FREE\",\"doorClosed\":true,\"present\":false},"
                + "{\"compartment\":\"12\",\"size\":\"M\",\"state\":\"OCCUPIED\",\"doorClosed\":true,"
                + "\"present\":true}]}"));
    }

    @Test
    void an_unknown_cabinet_is_4_04() throws Exception {
        CoapResponse response = f.net.client("/cabinets/c9/state").get();

        assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(json(response).path("error").asText()).isEqualTo("unknown_cabinet");
    }

    @Test
    void over_dtls_only_the_cabinet_itself_may_read_its_state() throws Exception {
        f.net.psk().put("c2", KEY);

        CoapResponse response = f.net.dtlsClient("c2", KEY, "/cabinets/c1/state").get();

        assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
    }

    @Test
    void observers_are_notified_when_a_compartment_of_the_cabinet_changes() throws Exception {
        BlockingQueue<CoapResponse> received = new LinkedBlockingQueue<>();
        CoapObserveRelation relation = f.net.client("/cabinets/c1/state").observeAndWait(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                received.add(response);
            }

            @Override
            public void onError() {
            }
        });
        assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();

        f.core.compartments.set(0, compartment("c1", "11", SizeClass.S, CompartmentState.RESERVED, false, false));
        f.vendor.changed("c1");

        CoapResponse notification = received.poll(5, TimeUnit.SECONDS);
        assertThat(notification).isNotNull();
        assertThat(json(notification).at("/compartments/0/state").asText()).isEqualTo("RESERVED");
        assertThat(json(notification).at("/compartments/0/doorClosed").asBoolean()).isFalse();
        relation.proactiveCancel();
    }
}
