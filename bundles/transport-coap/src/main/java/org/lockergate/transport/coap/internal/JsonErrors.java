package org.lockergate.transport.coap.internal;

import java.util.Locale;
import java.util.Map;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;
import org.lockergate.transport.coap.CoapCall;

/**
 * Gives the error answers Californium makes itself (a blockwise body over the limit, a bad option, the 4.04 that
 * ends an observation when a handler goes away) the same JSON error body as ours. Ours always carry a
 * content-format, so an error without one is Californium's.
 */
final class JsonErrors extends MessageInterceptorAdapter {

    private final Codec codec;

    JsonErrors(Codec codec) {
        this.codec = codec;
    }

    @Override
    public void sendResponse(Response response) {
        if (!response.isError() || response.getOptions().hasContentFormat()) {
            return;
        }
        CoAP.ResponseCode code = response.getCode();
        String detail = response.getPayloadSize() == 0 ? null : response.getPayloadString();
        byte[] body = switch (code) {
            case NOT_FOUND -> codec.error("not_found", Messages.GONE, Map.of(), false);
            case REQUEST_ENTITY_TOO_LARGE -> response.getOptions().hasSize1()
                    ? codec.error("too_large", Messages.tooLarge(response.getOptions().getSize1()),
                            Map.of("maxBytes", response.getOptions().getSize1()), false)
                    : codec.error("too_large", Messages.protocolError(code.text, detail), Map.of(), false);
            case METHOD_NOT_ALLOWED -> codec.error("method_not_allowed", Messages.protocolError(code.text, detail),
                    Map.of(), false);
            case INTERNAL_SERVER_ERROR -> codec.error("internal_error", Messages.INTERNAL_ERROR, Map.of(), false);
            case SERVICE_UNAVAILABLE -> codec.error("busy", Messages.BUSY, Map.of(), false);
            default -> codec.error(code.name().toLowerCase(Locale.ROOT), Messages.protocolError(code.text, detail),
                    Map.of(), false);
        };
        response.setPayload(body);
        response.getOptions().setContentFormat(CoapCall.JSON);
    }
}
