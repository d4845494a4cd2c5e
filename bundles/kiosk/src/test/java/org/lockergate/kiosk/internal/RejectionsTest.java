package org.lockergate.kiosk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.kiosk.internal.Fixture.json;

import java.nio.file.Path;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;

/** {@code POST /groups/{groupId}/rejections} over real UDP, the core faked. */
class RejectionsTest {

    @TempDir
    Path data;

    private Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(data);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void a_rejection_while_the_door_is_open_is_2_04_without_body() throws Exception {
        CoapResponse response = f.post("/groups/g1/rejections", "{'parcelId':'P-1','reason':'damaged'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(response.getPayload()).isEmpty();
        assertThat(f.core.calls).containsExactly("reject g1 P-1 damaged");
    }

    @Test
    void a_rejection_when_the_door_is_not_open_is_4_09_not_open() throws Exception {
        f.core.refuse = new LockerException(Kind.CONFLICT, "not_open", "格口未打开 / The door is not open");

        CoapResponse response = f.post("/groups/g1/rejections", "{'parcelId':'P-1','reason':'damaged'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.CONFLICT);
        assertThat(json(response).path("error").asText()).isEqualTo("not_open");
    }

    @Test
    void parcel_id_and_reason_are_required() throws Exception {
        assertThat(json(f.post("/groups/g1/rejections", "{'reason':'damaged'}")).path("field").asText())
                .isEqualTo("parcelId");
        assertThat(json(f.post("/groups/g1/rejections", "{'parcelId':'P-1','reason':''}")).path("field").asText())
                .isEqualTo("reason");
        assertThat(json(f.post("/groups/g1/rejections", "[1]")).path("field").asText()).isEqualTo("(body)");
        assertThat(f.core.calls).isEmpty();
    }
}
