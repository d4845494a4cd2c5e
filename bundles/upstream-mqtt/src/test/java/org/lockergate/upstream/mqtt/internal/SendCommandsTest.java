package org.lockergate.upstream.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.SendOrderState;
import org.lockergate.api.send.SendKind;
import org.lockergate.api.send.SendOpenResult;
import org.lockergate.api.send.SendOrder;
import org.lockergate.api.send.SendOrderRequest;
import org.lockergate.api.send.SendService;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandResult;

/** send.order and send.cancel: arguments to the core's request, the reply body and refusals. */
class SendCommandsTest {

    private final List<SendOrderRequest> ordered = new ArrayList<>();
    private final List<String> cancelled = new ArrayList<>();

    private final SendService core = new SendService() {
        @Override
        public SendOrder order(SendOrderRequest r, String actor) {
            ordered.add(r);
            return new SendOrder(r.orderId(), r.kind(), r.groupId(), "c1", "5", r.size(), r.companyCode(),
                    r.waybill(), SendOrderState.ORDERED, Fakes.T0, r.expiresAt(), null, null, null);
        }

        @Override
        public SendOrder cancel(String orderId, String reason, String actor) throws LockerException {
            cancelled.add(orderId + " " + reason + " " + actor);
            throw new LockerException(LockerException.Kind.CONFLICT, "not_cancellable", "x / x");
        }

        @Override
        public SendOpenResult drop(String groupId, String sendCode, String keypadId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SendOrder> collectionList(String groupId, String session) {
            return List.of();
        }

        @Override
        public SendOpenResult collect(String groupId, String session, String orderId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<SendOrder> order(String orderId) {
            return Optional.empty();
        }

        @Override
        public List<SendOrder> orders(String companyCode, String groupId, List<SendOrderState> states, int limit) {
            return List.of();
        }

        @Override
        public boolean cameraOk(String groupId) {
            return true;
        }
    };

    private static CloudCommand command(String name, Map<String, Object> args) {
        return new CloudCommand(name, "req-1", Fakes.T0, Fakes.T0.plusSeconds(60), "k1", "Ed25519", args);
    }

    private static Map<String, Object> args() {
        Map<String, Object> args = new HashMap<>();
        args.put("orderId", "SO-1");
        args.put("groupId", "g1");
        args.put("size", "m");
        args.put("companyCode", "ZTO");
        args.put("expiresAt", "2026-11-29T12:30:00+08:00");
        return args;
    }

    @Test
    void send_order_maps_its_arguments_and_answers_the_reserved_compartment() throws Exception {
        CommandResult result = new SendCommands(core).handle(command("send.order", args()));

        assertThat(result.status()).isEqualTo(200);
        SendOrderRequest r = ordered.get(0);
        assertThat(r.orderId()).isEqualTo("SO-1");
        assertThat(r.kind()).isEqualTo(SendKind.SEND);
        assertThat(r.size().name()).isEqualTo("M");
        assertThat(r.expiresAt()).isEqualTo(Instant.parse("2026-11-29T04:30:00Z"));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) result.body();
        assertThat(body).containsEntry("orderId", "SO-1").containsEntry("state", "ORDERED")
                .containsEntry("compartment", "5").doesNotContainKey("code");
    }

    @Test
    void a_return_order_carries_its_kind_and_waybill() throws Exception {
        Map<String, Object> args = args();
        args.put("kind", "return");
        args.put("waybill", "ZT1");
        new SendCommands(core).handle(command("send.order", args));
        assertThat(ordered.get(0).kind()).isEqualTo(SendKind.RETURN);
        assertThat(ordered.get(0).waybill()).isEqualTo("ZT1");
    }

    @Test
    void bad_arguments_are_400_bad_args_naming_the_argument() {
        for (String[] bad : new String[][] {{"size", "XL"}, {"expiresAt", "tomorrow"}, {"kind", "GIFT"},
            {"orderId", ""}}) {
            Map<String, Object> args = args();
            args.put(bad[0], bad[1]);
            CommandException e = catchThrowableOfType(() -> new SendCommands(core).handle(command("send.order", args)),
                    CommandException.class);
            assertThat(e.status()).as(bad[0]).isEqualTo(400);
            assertThat(e.extra()).containsEntry("arg", bad[0]);
        }
        assertThat(ordered).isEmpty();
    }

    @Test
    void send_cancel_passes_the_core_refusal_through() {
        LockerException e = catchThrowableOfType(() -> new SendCommands(core).handle(command("send.cancel",
                Map.of("orderId", "SO-1"))), LockerException.class);
        assertThat(e.code()).isEqualTo("not_cancellable");
        assertThat(cancelled).containsExactly("SO-1 cancelled by the cloud cloud:req-1");
    }
}
