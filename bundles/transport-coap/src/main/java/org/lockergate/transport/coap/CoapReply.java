package org.lockergate.transport.coap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Objects;
import java.util.OptionalInt;

/** A device's answer to a request the gateway sent with {@link CoapService#request}. Immutable. */
public final class CoapReply {

    private final CoapResponseCode code;
    private final JsonNode body;
    private final byte[] payload;
    private final int contentFormat;

    /**
     * @param code the response code
     * @param body the body as JSON; {@link MissingNode} when there is none or it is neither JSON nor CBOR
     * @param payload the raw body
     * @param contentFormat the content-format option, -1 when absent
     */
    public CoapReply(CoapResponseCode code, JsonNode body, byte[] payload, int contentFormat) {
        this.code = Objects.requireNonNull(code, "code");
        this.body = body == null ? MissingNode.getInstance() : body;
        this.payload = payload == null ? new byte[0] : payload.clone();
        this.contentFormat = contentFormat;
    }

    public CoapResponseCode code() {
        return code;
    }

    /**
     * The body parsed from JSON (content-format 50 or none) or CBOR (60); {@link MissingNode} when the answer has no
     * body or one that does not parse, so {@code body().path("outcome").asText()} is always safe.
     */
    public JsonNode body() {
        return body;
    }

    /** The raw body (a copy). */
    public byte[] payload() {
        return payload.clone();
    }

    public OptionalInt contentFormat() {
        return contentFormat < 0 ? OptionalInt.empty() : OptionalInt.of(contentFormat);
    }

    public boolean isSuccess() {
        return code.isSuccess();
    }

    @Override
    public String toString() {
        return code + (body.isMissingNode() ? "" : " " + body);
    }
}
