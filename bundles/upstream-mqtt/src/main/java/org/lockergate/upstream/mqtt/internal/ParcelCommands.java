package org.lockergate.upstream.mqtt.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lockergate.api.locker.CloudParcelService;
import org.lockergate.api.locker.PickupResult;
import org.lockergate.api.model.Parcel;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The resident's parcel commands from the cloud, through the core's {@link CloudParcelService} (which applies the
 * parcel's rules and audits with actor {@code cloud:<requestId>}):
 * <ul>
 * <li>{@code pickup.authorize} {@code {parcelId}}: the app opens the parcel's compartment. The signed command is
 * the short-lived token bound to the parcel (R8): its lifetime ({@code expiresAt − issuedAt}) must not exceed
 * {@link #PICKUP_TOKEN_TTL} (60 s), else 400 {@code bad_lifetime};</li>
 * <li>{@code parcel.resend-code} {@code {parcelId}}: a new code, the old one void; the code never appears in the
 * reply (it goes to the resident through {@code notification.requested});</li>
 * <li>{@code payment.confirmed} {@code {parcelId, feeFen, paymentRef}}: integer fen.</li>
 * </ul>
 */
@Component(service = CommandHandler.class, property = {CommandHandler.COMMAND + "=pickup.authorize",
    CommandHandler.COMMAND + "=parcel.resend-code", CommandHandler.COMMAND + "=payment.confirmed"})
public class ParcelCommands implements CommandHandler {

    /** R8: app pickup tokens live 60 s. */
    static final Duration PICKUP_TOKEN_TTL = Duration.ofSeconds(60);

    private final CloudParcelService parcels;

    @Activate
    public ParcelCommands(@Reference CloudParcelService parcels) {
        this.parcels = parcels;
    }

    @Override
    public CommandResult handle(CloudCommand command) throws Exception {
        String parcelId = command.requiredString("parcelId");
        String actor = "cloud:" + command.requestId();
        return switch (command.name()) {
            case "pickup.authorize" -> authorize(command, parcelId, actor);
            case "parcel.resend-code" -> resend(parcelId, actor);
            case "payment.confirmed" -> paid(command, parcelId, actor);
            default -> throw new CommandException(404, "unknown_command", "未知命令 / Unknown command "
                    + command.name());
        };
    }

    private CommandResult authorize(CloudCommand command, String parcelId, String actor) throws Exception {
        Duration lifetime = Duration.between(command.issuedAt(), command.expiresAt());
        if (lifetime.compareTo(PICKUP_TOKEN_TTL) > 0) {
            throw new CommandException(400, "bad_lifetime", "取件授权有效期不得超过 " + PICKUP_TOKEN_TTL.toSeconds()
                    + " 秒 / A pickup authorisation may live at most " + PICKUP_TOKEN_TTL.toSeconds() + " s",
                    Map.of("maxSeconds", PICKUP_TOKEN_TTL.toSeconds()));
        }
        PickupResult r = parcels.openForApp(parcelId, actor);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("parcelId", r.parcelId());
        body.put("cabinetId", r.cabinetId());
        body.put("compartment", r.compartment());
        body.put("unlock", r.unlock());
        body.put("feeFen", r.feeFen());
        body.put("feeOwed", r.feeOwed());
        return CommandResult.ok(body);
    }

    private CommandResult resend(String parcelId, String actor) throws Exception {
        Parcel p = parcels.resendCode(parcelId, actor);
        Map<String, Object> body = parcel(p);
        body.put("codeSent", true);
        return CommandResult.ok(body);
    }

    private CommandResult paid(CloudCommand command, String parcelId, String actor) throws Exception {
        Object amount = command.args().get("feeFen");
        long fen;
        if (amount instanceof Integer || amount instanceof Long) {
            fen = ((Number) amount).longValue();
        } else if (amount instanceof java.math.BigInteger b && b.bitLength() < 63) {
            fen = b.longValue();
        } else {
            throw new CommandException(400, "bad_args", "feeFen 应为整数（分） / feeFen must be an integer number of fen",
                    Map.of("arg", "feeFen"));
        }
        String ref = command.requiredString("paymentRef");
        if (ref.length() > 100) {
            throw new CommandException(400, "bad_args", "paymentRef 过长 / paymentRef is too long (max 100)",
                    Map.of("arg", "paymentRef"));
        }
        Parcel p = parcels.confirmPayment(parcelId, fen, ref, actor);
        return CommandResult.ok(parcel(p));
    }

    private static Map<String, Object> parcel(Parcel p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("parcelId", p.parcelId());
        body.put("groupId", p.groupId());
        body.put("state", p.state().name());
        body.put("phoneMasked", p.phoneMasked());
        body.put("feeFen", p.feeFen());
        body.put("feeOwed", p.feeOwed());
        return body;
    }
}
