package org.lockergate.kiosk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockergate.kiosk.internal.Fixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.locker.RecallEntry;
import org.lockergate.api.model.ParcelState;

/** {@code POST /groups/{groupId}/withdrawals} and {@code GET /groups/{groupId}/recalls} over real UDP, core faked. */
class WithdrawalsTest {

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
    void a_withdrawal_answers_2_04_like_a_pickup() throws Exception {
        f.core.pickup = new PickupResult("P-1", "c1", "B07", "opened", 0, false);

        CoapResponse response = f.post("/groups/g1/withdrawals", "{'session':'s-1','parcelId':'P-1'}");

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        JsonNode body = json(response);
        assertThat(body.path("parcelId").asText()).isEqualTo("P-1");
        assertThat(body.path("cabinetId").asText()).isEqualTo("c1");
        assertThat(body.path("compartment").asText()).isEqualTo("B07");
        assertThat(body.path("unlock").asText()).isEqualTo("opened");
        assertThat(body.path("feeFen").asLong()).isZero();
        assertThat(body.path("feeOwed").asBoolean()).isFalse();
        assertThat(f.core.calls).containsExactly("withdraw g1 s-1 P-1");
    }

    @Test
    void refusals_go_out_with_their_codes() throws Exception {
        f.core.refuse = new LockerException(Kind.CONFLICT, "not_withdrawable", "不能取回 / Not withdrawable",
                Map.of("state", "DEPOSITED"));
        CoapResponse conflict = f.post("/groups/g1/withdrawals", "{'session':'s-1','parcelId':'P-1'}");
        f.core.refuse = new LockerException(Kind.FORBIDDEN, "forbidden", "不是您的包裹 / Not your company's");
        CoapResponse forbidden = f.post("/groups/g1/withdrawals", "{'session':'s-1','parcelId':'P-1'}");

        assertThat(conflict.getCode()).isEqualTo(ResponseCode.CONFLICT);
        assertThat(json(conflict).path("error").asText()).isEqualTo("not_withdrawable");
        assertThat(json(conflict).path("state").asText()).isEqualTo("DEPOSITED");
        assertThat(forbidden.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(json(forbidden).path("error").asText()).isEqualTo("forbidden");
    }

    @Test
    void session_and_parcel_id_are_required() throws Exception {
        assertThat(json(f.post("/groups/g1/withdrawals", "{'parcelId':'P-1'}")).path("field").asText())
                .isEqualTo("session");
        assertThat(json(f.post("/groups/g1/withdrawals", "{'session':'s-1'}")).path("field").asText())
                .isEqualTo("parcelId");
        assertThat(f.post("/groups/g9/withdrawals", "{'session':'s-1','parcelId':'P-1'}").getCode())
                .isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(f.core.calls).isEmpty();
    }

    @Test
    void the_recall_list_is_2_05_with_the_parcels_and_times_in_the_gateway_zone() throws Exception {
        f.core.recalls.add(new RecallEntry("P-1", "B07", ParcelState.HELD, "JT123",
                Instant.parse("2025-03-01T02:05:00Z")));
        f.core.recalls.add(new RecallEntry("P-2", "12", ParcelState.REJECTED, "JT456",
                Instant.parse("2025-03-02T03:00:00Z")));

        CoapResponse response = f.net.client("/groups/g1/recalls?session=s-1").get();

        assertThat(response.getCode()).isEqualTo(ResponseCode.CONTENT);
        JsonNode parcels = json(response).path("parcels");
        assertThat(parcels).hasSize(2);
        assertThat(parcels.get(0).path("parcelId").asText()).isEqualTo("P-1");
        assertThat(parcels.get(0).path("compartment").asText()).isEqualTo("B07");
        assertThat(parcels.get(0).path("state").asText()).isEqualTo("HELD");
        assertThat(parcels.get(0).path("waybill").asText()).isEqualTo("JT123");
        assertThat(parcels.get(0).path("since").asText()).isEqualTo("2025-03-01T10:05:00.000+08:00");
        assertThat(parcels.get(1).path("state").asText()).isEqualTo("REJECTED");
        assertThat(f.core.calls).containsExactly("recalls g1 s-1");
    }

    @Test
    void the_recall_list_needs_a_valid_session() throws Exception {
        CoapResponse missing = f.net.client("/groups/g1/recalls").get();
        f.core.refuse = new LockerException(Kind.UNAUTHORIZED, "no_session", "请先登录 / Sign in first");
        CoapResponse expired = f.net.client("/groups/g1/recalls?session=old").get();

        assertThat(missing.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(json(missing).path("field").asText()).isEqualTo("session");
        assertThat(expired.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(json(expired).path("error").asText()).isEqualTo("no_session");
        assertThat(json(f.net.client("/groups/g1/recalls?session=s-1").get()).path("parcels")).isEmpty();
    }
}
