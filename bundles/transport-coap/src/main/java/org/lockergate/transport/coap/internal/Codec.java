package org.lockergate.transport.coap.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapException;
import org.lockergate.transport.coap.CoapResponseCode;

/** JSON (content-format 50) and CBOR (60) bodies, and the one shape of every error body. Thread-safe. */
final class Codec {

    private final ObjectMapper json = configure(JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());
    private final ObjectMapper cbor = configure(CBORMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Reads a request body: JSON for content-format 50 or none, CBOR for 60.
     *
     * @throws CoapException 4.00 bad_json / 4.15 unsupported_content_format
     */
    JsonNode read(byte[] payload, int contentFormat) {
        ObjectMapper mapper = mapperFor(contentFormat);
        if (payload.length == 0) {
            throw new CoapException(CoapResponseCode.BAD_REQUEST, "bad_json", Messages.EMPTY_BODY);
        }
        try {
            JsonNode node = mapper.readTree(payload);
            if (node == null || node.isMissingNode()) {
                throw new CoapException(CoapResponseCode.BAD_REQUEST, "bad_json", Messages.EMPTY_BODY);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new CoapException(CoapResponseCode.BAD_REQUEST, "bad_json",
                    Messages.badJson(contentFormat == CoapCall.CBOR ? "CBOR" : "JSON", describe(e)));
        } catch (IOException e) {
            throw new CoapException(CoapResponseCode.BAD_REQUEST, "bad_json",
                    Messages.badJson(contentFormat == CoapCall.CBOR ? "CBOR" : "JSON", Messages.oneLine(
                            String.valueOf(e.getMessage()))));
        }
    }

    /** Binds a tree to a type; a field that does not fit is 4.00 bad_json naming the field. */
    <T> T bind(JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? "(body)" : fieldPath(e);
            throw new CoapException(CoapResponseCode.BAD_REQUEST, "bad_json",
                    Messages.badField(field, Messages.forLog(e.getOriginalMessage()))).with("field", field);
        } catch (JsonProcessingException e) {
            throw new CoapException(CoapResponseCode.BAD_REQUEST, "bad_json", Messages.badJson("JSON", describe(e)));
        }
    }

    /** A device's answer: parsed when it is JSON or CBOR, {@link MissingNode} otherwise. */
    JsonNode readLenient(byte[] payload, int contentFormat) {
        if (payload == null || payload.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = mapperFor(contentFormat).readTree(payload);
            return node == null ? MissingNode.getInstance() : node;
        } catch (CoapException | IOException e) {
            return MissingNode.getInstance();
        }
    }

    /**
     * Writes a body as JSON or CBOR.
     *
     * @throws IllegalArgumentException when Jackson cannot write it
     */
    byte[] write(Object body, boolean asCbor) {
        try {
            return (asCbor ? cbor : json).writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the CoAP body as " + (asCbor ? "CBOR" : "JSON") + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** {@code {"error":error,"message":message, …extra…}} as JSON or CBOR. */
    byte[] error(String error, String message, Map<String, ?> extra, boolean asCbor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        if (extra != null) {
            extra.forEach((name, value) -> {
                if (!"error".equals(name) && !"message".equals(name)) {
                    body.put(name, value);
                }
            });
        }
        try {
            return write(body, asCbor);
        } catch (IllegalArgumentException e) { // an extra value Jackson cannot write: keep the error itself
            body.keySet().retainAll(Set.of("error", "message"));
            return write(body, asCbor);
        }
    }

    private ObjectMapper mapperFor(int contentFormat) {
        if (contentFormat == CoapCall.JSON || contentFormat == MediaTypeRegistry.UNDEFINED) {
            return json;
        }
        if (contentFormat == CoapCall.CBOR) {
            return cbor;
        }
        throw new CoapException(CoapResponseCode.UNSUPPORTED_CONTENT_FORMAT, "unsupported_content_format",
                Messages.unsupportedFormat(contentFormat, MediaTypeRegistry.toString(contentFormat)))
                .with("contentFormat", contentFormat);
    }

    private static String describe(JsonProcessingException e) {
        String message = Messages.oneLine(String.valueOf(e.getOriginalMessage()));
        JsonLocation location = e.getLocation();
        if (location == null) {
            return message;
        }
        if (location.getLineNr() > 0 && location.getColumnNr() > 0) {
            return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " + message;
        }
        if (location.getByteOffset() >= 0) {
            return "byte " + location.getByteOffset() + ": " + message;
        }
        return message;
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
