package org.lockergate.upstream.mqtt.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.send.SendKind;
import org.lockergate.api.send.SendOrder;
import org.lockergate.api.send.SendOrderRequest;
import org.lockergate.api.send.SendService;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Sending and returns from the locker (R20, docs/sending.md), through the core's {@link SendService} (actor
 * {@code cloud:<requestId>}):
 * <ul>
 * <li>{@code send.order} {@code {orderId, groupId, size, companyCode, expiresAt, kind?, waybill?}}: a prepaid send
 * ({@code kind} SEND, the default) or return order ({@code RETURN}, with the original {@code waybill}) reserves a
 * compartment; 200 {@code {orderId, state, groupId, cabinetId, compartment, size, expiresAt}} — the send code goes
 * to the resident only through {@code notification.requested}. Refusals: 409 {@code full} (with {@code suggest}),
 * 409 {@code duplicate_order}, 403 {@code camera_offline}, 400 {@code bad_request} / {@code expired};</li>
 * <li>{@code send.cancel} {@code {orderId, reason?}}: an order not dropped yet is cancelled, 409
 * {@code not_cancellable} otherwise.</li>
 * </ul>
 * A replayed or expired command never reaches here (the envelope's request id and expiry are checked first); a
 * repeated order id in a new command is refused by the core.
 */
@Component(service = CommandHandler.class, property = {CommandHandler.COMMAND + "=send.order",
    CommandHandler.COMMAND + "=send.cancel"})
public class SendCommands implements CommandHandler {

    private final SendService sends;

    @Activate
    public SendCommands(@Reference SendService sends) {
        this.sends = sends;
    }

    @Override
    public CommandResult handle(CloudCommand command) throws Exception {
        String actor = "cloud:" + command.requestId();
        return switch (command.name()) {
            case "send.order" -> CommandResult.ok(body(sends.order(request(command), actor)));
            case "send.cancel" -> CommandResult.ok(body(sends.cancel(command.requiredString("orderId"),
                    command.optionalString("reason", "cancelled by the cloud"), actor)));
            default -> throw new CommandException(404, "unknown_command", "未知命令 / Unknown command "
                    + command.name());
        };
    }

    static SendOrderRequest request(CloudCommand command) throws CommandException {
        String orderId = command.requiredString("orderId");
        String groupId = command.requiredString("groupId");
        String companyCode = command.requiredString("companyCode");
        SizeClass size;
        try {
            size = SizeClass.valueOf(command.requiredString("size").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("size", "应为 S、M 或 L / size must be S, M or L");
        }
        SendKind kind;
        try {
            kind = SendKind.valueOf(command.optionalString("kind", "SEND").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("kind", "应为 SEND 或 RETURN / kind must be SEND or RETURN");
        }
        Instant expiresAt;
        try {
            expiresAt = OffsetDateTime.parse(command.requiredString("expiresAt")).toInstant();
        } catch (DateTimeParseException e) {
            throw bad("expiresAt", "应为带时区偏移的 ISO-8601 时间 / expiresAt must be ISO-8601 with an offset");
        }
        return new SendOrderRequest(orderId, kind, groupId, size, companyCode, expiresAt,
                command.optionalString("waybill", null));
    }

    private static CommandException bad(String arg, String message) {
        return new CommandException(400, "bad_args", message, Map.of("arg", arg));
    }

    static Map<String, Object> body(SendOrder o) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", o.orderId());
        body.put("kind", o.kind().name());
        body.put("state", o.state().name());
        body.put("groupId", o.groupId());
        body.put("cabinetId", o.cabinetId());
        body.put("compartment", o.compartment());
        body.put("size", o.size() == null ? null : o.size().name());
        body.put("companyCode", o.companyCode());
        body.put("expiresAt", o.expiresAt() == null ? null : o.expiresAt().toString());
        return body;
    }
}
