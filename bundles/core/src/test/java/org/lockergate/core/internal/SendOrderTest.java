package org.lockergate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.SendOrderState;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.send.SendKind;
import org.lockergate.api.send.SendOpenResult;
import org.lockergate.api.send.SendOrder;
import org.lockergate.api.send.SendOrderRequest;
import org.lockergate.core.internal.crypto.CodeHasher;

/** Sending and returns from the locker (R20) with the camera gate (R14), on the movable clock. */
class SendOrderTest {

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private SendOrderRequest request(String orderId, SizeClass size) {
        return new SendOrderRequest(orderId, SendKind.SEND, "g1", size, "ZTO", h.clock.now().plus(Duration.ofMinutes(30)),
                null);
    }

    private SendOrder order(String orderId, SizeClass size) throws LockerException {
        return h.core.sends.order(request(orderId, size), "cloud:req-" + orderId);
    }

    /** The clear send code, which exists only in the notification.requested outbox row. */
    private String sendCode(String orderId) {
        return h.outbox("notification.requested").stream().map(h::data)
                .filter(d -> orderId.equals(d.get("orderId"))).map(d -> (String) d.get("code"))
                .reduce((a, b) -> b).orElseThrow();
    }

    private List<String> audit(String target) {
        return h.core.queries.audit(Harness.START.minusSeconds(1), 10_000).stream()
                .filter(a -> target.equals(a.target())).map(AuditEntry::action).toList();
    }

    private String zto() throws LockerException {
        return h.core.kiosk.signIn("g1", "ZTO-0001", Harness.PIN.toCharArray()).session();
    }

    @Test
    void order_reserves_a_compartment_then_drop_and_collection_complete_it() throws Exception {
        SendOrder ordered = order("SO-1", SizeClass.M);

        assertThat(ordered.state()).isEqualTo(SendOrderState.ORDERED);
        assertThat(ordered.compartment()).isEqualTo("5");
        assertThat(h.compartment("5").state()).isEqualTo(CompartmentState.RESERVED);
        assertThat(h.compartment("5").parcelId()).isEqualTo("SO-1");
        String code = sendCode("SO-1");
        assertThat(code).matches("[0-9]{8}");
        // the code is stored only as its HMAC
        String stored = h.store.read(tx -> org.lockergate.core.internal.db.Db.one(tx.connection(),
                "SELECT code_hmac FROM send_order WHERE order_id = ?", rs -> rs.getString(1), "SO-1")).orElseThrow();
        assertThat(stored).hasSize(64).doesNotContain(code);

        SendOpenResult drop = h.core.sends.drop("g1", code, null);
        assertThat(drop.compartment()).isEqualTo("5");
        assertThat(drop.unlock()).isEqualTo("opened");
        h.report(CabinetEvent.Type.DOOR, "5", false);
        h.close("5", true);

        SendOrder dropped = h.core.sends.order("SO-1").orElseThrow();
        assertThat(dropped.state()).isEqualTo(SendOrderState.DROPPED);
        assertThat(dropped.droppedAt()).isEqualTo(h.clock.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(h.compartment("5").state()).isEqualTo(CompartmentState.OCCUPIED);
        // the send code is void after the drop
        assertThat(catchThrowableOfType(() -> h.core.sends.drop("g1", code, null), LockerException.class).code())
                .isEqualTo("wrong_code");

        String session = zto();
        assertThat(h.core.sends.collectionList("g1", session)).extracting(SendOrder::orderId).containsExactly("SO-1");
        String jt = h.core.kiosk.signIn("g1", "JT-0001", Harness.PIN.toCharArray()).session();
        assertThat(h.core.sends.collectionList("g1", jt)).isEmpty();
        assertThat(catchThrowableOfType(() -> h.core.sends.collect("g1", jt, "SO-1"), LockerException.class).code())
                .isEqualTo("forbidden");

        SendOpenResult collect = h.core.sends.collect("g1", session, "SO-1");
        assertThat(collect.unlock()).isEqualTo("opened");
        assertThat(h.compartment("5").state()).isEqualTo(CompartmentState.OPENING);
        h.close("5", false);

        SendOrder collected = h.core.sends.order("SO-1").orElseThrow();
        assertThat(collected.state()).isEqualTo(SendOrderState.COLLECTED);
        assertThat(collected.collectedBy()).isEqualTo("ZTO-0001");
        assertThat(collected.closedAt()).isNotNull();
        assertThat(h.compartment("5").state()).isEqualTo(CompartmentState.FREE);
        assertThat(h.compartment("5").parcelId()).isNull();

        List<String> types = h.core.queries.outbox(10_000).stream().map(OutboxEvent::type)
                .filter(t -> t.startsWith("send.")).toList();
        assertThat(types).containsExactly("send.ordered", "send.dropped", "send.collected");
        Map<String, Object> collectedEvent = h.data(h.outbox("send.collected").get(0));
        assertThat(collectedEvent).containsEntry("orderId", "SO-1").containsEntry("companyCode", "ZTO")
                .containsEntry("courierId", "ZTO-0001").containsEntry("compartment", "5");
        assertThat(audit("SO-1")).contains("send.ordered", "send.dropped", "send.collecting", "send.collected");
    }

    @Test
    void drop_with_the_door_closed_empty_keeps_the_order_and_its_code() throws Exception {
        order("SO-2", SizeClass.S);
        String code = sendCode("SO-2");
        h.core.sends.drop("g1", code, null);
        h.report(CabinetEvent.Type.DOOR, "1", false);
        h.close("1", false);

        assertThat(h.core.sends.order("SO-2").orElseThrow().state()).isEqualTo(SendOrderState.ORDERED);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.RESERVED);
        assertThat(h.core.sends.drop("g1", code, null).compartment()).isEqualTo("1");
    }

    @Test
    void an_expired_order_releases_its_compartment_on_the_timer() throws Exception {
        order("SO-3", SizeClass.S);
        String code = sendCode("SO-3");
        h.clock.advance(Duration.ofMinutes(29));
        h.core.timers.tick();
        assertThat(h.core.sends.order("SO-3").orElseThrow().state()).isEqualTo(SendOrderState.ORDERED);

        h.clock.advance(Duration.ofMinutes(1));
        h.core.timers.tick();

        SendOrder cancelled = h.core.sends.order("SO-3").orElseThrow();
        assertThat(cancelled.state()).isEqualTo(SendOrderState.CANCELLED);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FREE);
        assertThat(h.data(h.outbox("send.cancelled").get(0))).containsEntry("orderId", "SO-3");
        assertThat(catchThrowableOfType(() -> h.core.sends.drop("g1", code, null), LockerException.class).code())
                .isEqualTo("wrong_code");
    }

    @Test
    void cancel_frees_an_ordered_compartment_but_not_a_dropped_one() throws Exception {
        order("SO-4", SizeClass.S);
        assertThat(h.core.sends.cancel("SO-4", "resident cancelled", "cloud:r").state())
                .isEqualTo(SendOrderState.CANCELLED);
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FREE);

        order("SO-5", SizeClass.S);
        h.core.sends.drop("g1", sendCode("SO-5"), null);
        h.report(CabinetEvent.Type.DOOR, "1", false);
        h.close("1", true);
        LockerException e = catchThrowableOfType(() -> h.core.sends.cancel("SO-5", null, "cloud:r"),
                LockerException.class);
        assertThat(e.code()).isEqualTo("not_cancellable");
        assertThat(e.kind()).isEqualTo(LockerException.Kind.CONFLICT);
    }

    @Test
    void a_full_group_answers_409_with_the_nearest_other_group() throws Exception {
        // g2 has room: a cabinet with one free L compartment
        h.attach("c2", "g2", new FakeDriver(), Harness.specs("L:21"));
        order("SO-L1", SizeClass.L);

        LockerException e = catchThrowableOfType(() -> order("SO-L2", SizeClass.L), LockerException.class);

        assertThat(e.code()).isEqualTo("full");
        assertThat(e.kind()).isEqualTo(LockerException.Kind.CONFLICT);
        assertThat(e.getMessage()).contains("柜组已满").contains("group is full");
        @SuppressWarnings("unchecked")
        Map<String, Object> suggest = (Map<String, Object>) e.extra().get("suggest");
        assertThat(suggest).containsEntry("groupId", "g2");
        assertThat(h.core.sends.order("SO-L2")).isEmpty();
    }

    @Test
    void a_replayed_order_id_is_refused_and_changes_nothing() throws Exception {
        SendOrder first = order("SO-6", SizeClass.S);

        LockerException e = catchThrowableOfType(() -> order("SO-6", SizeClass.M), LockerException.class);

        assertThat(e.code()).isEqualTo("duplicate_order");
        assertThat(e.kind()).isEqualTo(LockerException.Kind.CONFLICT);
        assertThat(h.core.sends.order("SO-6").orElseThrow()).isEqualTo(first);
        assertThat(h.compartment("5").state()).isEqualTo(CompartmentState.FREE);
        assertThat(h.outbox("send.ordered")).hasSize(1);
    }

    @Test
    void an_order_already_expired_or_with_bad_fields_is_refused() {
        SendOrderRequest expired = new SendOrderRequest("SO-7", SendKind.SEND, "g1", SizeClass.S, "ZTO",
                h.clock.now().minusSeconds(1), null);
        assertThat(catchThrowableOfType(() -> h.core.sends.order(expired, "cloud:r"), LockerException.class).code())
                .isEqualTo("expired");
        SendOrderRequest returnWithoutWaybill = new SendOrderRequest("SO-8", SendKind.RETURN, "g1", SizeClass.S,
                "ZTO", h.clock.now().plusSeconds(600), null);
        LockerException e = catchThrowableOfType(() -> h.core.sends.order(returnWithoutWaybill, "cloud:r"),
                LockerException.class);
        assertThat(e.code()).isEqualTo("bad_request");
        assertThat(e.extra()).containsEntry("field", "waybill");
        assertThat(catchThrowableOfType(() -> h.core.sends.order(new SendOrderRequest("SO 9", SendKind.SEND, "g1",
                SizeClass.S, "ZTO", h.clock.now().plusSeconds(60), null), "cloud:r"), LockerException.class).extra())
                .containsEntry("field", "orderId");
    }

    @Test
    void camera_offline_refuses_new_orders_and_drop_offs_but_not_pickups_or_collections() throws Exception {
        order("SO-10", SizeClass.S);
        String code = sendCode("SO-10");
        String parcel = h.deposited(SizeClass.M, "13800001234");

        h.reportOther(CabinetEvent.Type.CAMERA, false, null);
        assertThat(h.alarms(AlarmType.CAMERA_OFFLINE)).hasSize(1);
        assertThat(h.core.sends.cameraOk("g1")).isFalse();

        LockerException refused = catchThrowableOfType(() -> order("SO-11", SizeClass.S), LockerException.class);
        assertThat(refused.code()).isEqualTo("camera_offline");
        assertThat(refused.kind()).isEqualTo(LockerException.Kind.FORBIDDEN);
        assertThat(refused.getMessage()).contains("摄像头离线").contains("camera of group g1 is offline");
        assertThat(catchThrowableOfType(() -> h.core.sends.drop("g1", code, null), LockerException.class).code())
                .isEqualTo("camera_offline");
        // pickups and deposits go on
        assertThat(h.core.kiosk.pickup("g1", h.codeOf(parcel), null, null).unlock()).isEqualTo("opened");
        assertThat(h.deposit(SizeClass.S, "13800005678").unlock()).isEqualTo("opened");

        h.reportOther(CabinetEvent.Type.CAMERA, true, null);
        assertThat(h.core.sends.cameraOk("g1")).isTrue();
        assertThat(order("SO-11", SizeClass.S).state()).isEqualTo(SendOrderState.ORDERED);
        assertThat(h.core.sends.drop("g1", code, null).unlock()).isEqualTo("opened");
    }

    @Test
    void wrong_send_codes_lock_the_send_keypad() throws Exception {
        order("SO-12", SizeClass.S);
        LockerException last = null;
        for (int i = 0; i < 5; i++) {
            h.clock.advance(Duration.ofSeconds(11));
            last = catchThrowableOfType(() -> h.core.sends.drop("g1", "00000000", null), LockerException.class);
        }
        assertThat(last.code()).isEqualTo("locked");
        h.clock.advance(Duration.ofSeconds(11));
        assertThat(catchThrowableOfType(() -> h.core.sends.drop("g1", sendCode("SO-12"), null),
                LockerException.class).code()).isEqualTo("locked");
        assertThat(CodeHasher.wellFormed(sendCode("SO-12"))).isTrue();
    }

    @Test
    void a_jammed_drop_door_moves_the_order_to_another_compartment() throws Exception {
        order("SO-13", SizeClass.S);
        h.driver.answer("1", FakeDriver.Answer.JAMMED);

        SendOpenResult result = h.core.sends.drop("g1", sendCode("SO-13"), null);

        assertThat(result.compartment()).isNotEqualTo("1");
        assertThat(h.compartment("1").state()).isEqualTo(CompartmentState.FAULT);
        assertThat(h.alarms(AlarmType.DOOR_JAMMED)).hasSize(1);
        assertThat(h.core.sends.order("SO-13").orElseThrow().compartment()).isEqualTo(result.compartment());
    }

    @Test
    void a_return_order_goes_back_to_the_courier_company_like_a_send() throws Exception {
        Instant expires = h.clock.now().plus(Duration.ofHours(2));
        SendOrder ret = h.core.sends.order(new SendOrderRequest("RO-1", SendKind.RETURN, "g1", SizeClass.S, "ZTO",
                expires, "ZT100200300"), "cloud:r");
        h.core.sends.drop("g1", sendCode("RO-1"), null);
        h.report(CabinetEvent.Type.DOOR, ret.compartment(), false);
        h.close(ret.compartment(), true);
        String session = zto();
        assertThat(h.core.sends.collectionList("g1", session)).singleElement()
                .satisfies(o -> assertThat(o.kind()).isEqualTo(SendKind.RETURN))
                .satisfies(o -> assertThat(o.waybill()).isEqualTo("ZT100200300"));
        h.core.sends.collect("g1", session, "RO-1");
        h.close(ret.compartment(), false);
        assertThat(h.core.sends.order("RO-1").orElseThrow().state()).isEqualTo(SendOrderState.COLLECTED);
        assertThat(h.data(h.outbox("send.collected").get(0))).containsEntry("kind", "RETURN")
                .containsEntry("waybill", "ZT100200300");
    }

    @Test
    void the_orders_query_filters_by_company_and_state() throws Exception {
        order("SO-14", SizeClass.S);
        h.core.sends.order(new SendOrderRequest("SO-15", SendKind.SEND, "g1", SizeClass.S, "JT",
                h.clock.now().plusSeconds(600), null), "cloud:r");
        assertThat(h.core.sends.orders("ZTO", null, List.of(), 100)).extracting(SendOrder::orderId)
                .containsExactly("SO-14");
        assertThat(h.core.sends.orders(null, "g1", List.of(SendOrderState.ORDERED), 100)).hasSize(2);
        assertThat(h.core.sends.orders(null, null, List.of(SendOrderState.DROPPED), 100)).isEmpty();
    }
}
