package org.lockergate.devices.coap.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

/** JSON (content-format 50) and CBOR (60) bodies with the same fields, as the protocol allows both. */
public final class Json {

    public static final int JSON = MediaTypeRegistry.APPLICATION_JSON;
    public static final int CBOR = MediaTypeRegistry.APPLICATION_CBOR;

    public static final ObjectMapper JSON_MAPPER = new ObjectMapper();
    private static final ObjectMapper CBOR_MAPPER = new ObjectMapper(new CBORFactory());

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** {@code {"error":code,"message":message}}: the protocol's error body. */
    public static ObjectNode error(String code, String message) {
        return object().put("error", code).put("message", message);
    }

    public static byte[] encode(JsonNode node, int contentFormat) {
        try {
            return (contentFormat == CBOR ? CBOR_MAPPER : JSON_MAPPER).writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + node, e);
        }
    }

    /** Sets payload and content format of a message. */
    public static void write(Message message, JsonNode node, int contentFormat) {
        message.setPayload(encode(node, contentFormat));
        message.getOptions().setContentFormat(contentFormat);
    }

    /**
     * Parses a body: CBOR when the content format says so, JSON otherwise. Throws when the body is not valid;
     * an empty body is {@link NullNode}.
     */
    public static JsonNode decode(byte[] payload, int contentFormat) throws IOException {
        if (payload == null || payload.length == 0) {
            return NullNode.getInstance();
        }
        JsonNode node = (contentFormat == CBOR ? CBOR_MAPPER : JSON_MAPPER).readTree(payload);
        return node == null ? NullNode.getInstance() : node;
    }

    /** Parses a body that is expected to be JSON or CBOR, keeping an unparseable body as its text. */
    public static JsonNode decodeLenient(Message message) {
        byte[] payload = message.getPayload();
        try {
            return decode(payload, message.getOptions().getContentFormat());
        } catch (IOException e) {
            return TextNode.valueOf(new String(payload, StandardCharsets.UTF_8));
        }
    }
}
