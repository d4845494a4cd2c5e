package org.lockergate.devices.coap.internal;

import java.util.List;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code POST /fw?version=V&sha256=H&model=M}: a firmware image, received by Californium's blockwise layer (Block1,
 * RFC 7959) and handed over whole. The cabinet answers 2.04 when the image verifies and it reboots into it, or
 * 4.00 {@code bad_request} / 4.06 {@code hash_mismatch} / 4.06 {@code wrong_model} when it keeps its old firmware.
 */
public final class FirmwareResource extends CoapResource {

    /** What the cabinet does with a complete image. */
    public interface Firmware {
        /** Returns null to accept (the reboot follows the answer), or {code, message} to refuse. */
        String[] receive(String version, String sha256, String model, byte[] image);

        /** Called after the 2.04 went out. */
        void accepted(String version);
    }

    private final Firmware firmware;

    public FirmwareResource(Firmware firmware) {
        super("fw");
        this.firmware = firmware;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        String version = null;
        String sha256 = null;
        String model = null;
        List<String> query = exchange.getRequestOptions().getUriQuery();
        for (String parameter : query) {
            int eq = parameter.indexOf('=');
            String name = eq < 0 ? parameter : parameter.substring(0, eq);
            String value = eq < 0 ? "" : parameter.substring(eq + 1);
            switch (name) {
                case "version" -> version = value;
                case "sha256" -> sha256 = value;
                case "model" -> model = value;
                default -> { }
            }
        }
        if (version == null || version.isBlank() || sha256 == null || sha256.isBlank()) {
            exchange.respond(ResponseCode.BAD_REQUEST, Json.encode(Json.error("bad_request",
                    "version and sha256 are required"), Json.JSON), Json.JSON);
            return;
        }
        String[] refusal = firmware.receive(version, sha256, model == null ? "" : model,
                exchange.getRequestPayload());
        if (refusal != null) {
            exchange.respond(ResponseCode.NOT_ACCEPTABLE, Json.encode(Json.error(refusal[0], refusal[1]), Json.JSON),
                    Json.JSON);
            return;
        }
        exchange.respond(ResponseCode.CHANGED, Json.encode(Json.object().put("rebooting", true)
                .put("version", version), Json.JSON), Json.JSON);
        firmware.accepted(version);
    }
}
