package org.lockergate.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reading and writing JSON, and the one shape of every error. */
final class Json {

    /** The largest request body accepted (64 KiB); larger ones get 413. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    static final String MEDIA_TYPE = "application/json";

    /** Instants as ISO-8601 strings; duplicate keys in a request are an error, not "last one wins". */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {}

    /** The headers every API response carries, whatever its status. */
    static void commonHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
    }

    /** Writes {@code body} as the whole response. Serializes first, so a failure can still become a 500. */
    static void send(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        sendBytes(response, status, bytes);
    }

    /**
     * Writes a list resource the console polls, with a strong {@code ETag} (a SHA-256 of the exact answer, so a
     * courier-company viewer's filtered answer has its own tag): 304 without a body when {@code If-None-Match}
     * names it. {@code Cache-Control: private, no-cache} lets a browser keep the answer but always revalidate.
     */
    static void sendTagged(HttpServletRequest request, HttpServletResponse response, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        String etag = etag(bytes);
        response.setHeader("ETag", etag);
        response.setHeader("Vary", "Authorization, Cookie, Accept-Language");
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            commonHeaders(response);
            response.setHeader("Cache-Control", "private, no-cache");
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        commonHeaders(response);
        response.setHeader("Cache-Control", "private, no-cache");
        response.setStatus(200);
        response.setContentType(MEDIA_TYPE + ";charset=UTF-8");
        response.getOutputStream().write(bytes);
    }

    static String etag(byte[] bytes) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + java.util.HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** If-None-Match: a list of (possibly weak) tags or {@code *}. */
    static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    static void sendBytes(HttpServletResponse response, int status, byte[] bytes) throws IOException {
        commonHeaders(response);
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE + ";charset=UTF-8");
        // No setContentLength: it would commit the response as the last byte is written, and then the container
        // could no longer add "Connection: close" when the request body was left unread (415, 413, 405).
        response.getOutputStream().write(bytes);
    }

    /** Writes the error {@code {"error","message","status", ...extra}} in the caller's language. */
    static void sendError(HttpServletRequest request, HttpServletResponse response, ApiException error)
            throws IOException {
        if (response.isCommitted()) {
            return; // too late to change anything; the cause was logged by whoever caught it
        }
        Messages messages = Messages.forRequest(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("message", error.bilingual() != null ? messages.half(error.bilingual())
                : messages.text(error.messageKey(), error.args()));
        body.put("status", error.status());
        body.putAll(error.extra());
        response.resetBuffer();
        error.headers().forEach(response::setHeader);
        response.setHeader("Content-Language", messages.languageTag());
        send(response, error.status(), body);
    }

    /**
     * Reads the request body as a JSON object: {@code application/json} in UTF-8 (415 otherwise), at most
     * {@link #MAX_BODY_BYTES} (413), well-formed and an object (400).
     */
    static JsonNode readObject(HttpServletRequest request) {
        requireJson(request.getContentType());
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new ApiException(400, "bad_request", "bad_request.unreadable");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge(); // chunked, or a Content-Length that lied
        }
        if (bytes.length == 0) {
            throw new ApiException(400, "bad_request", "bad_request.empty_body");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "bad_request", "bad_request.malformed_json");
        } catch (IOException e) {
            throw new ApiException(400, "bad_request", "bad_request.unreadable");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "bad_request", "bad_request.not_object");
        }
        return node;
    }

    /** A string field that must be present and not blank; 400 naming the field otherwise. */
    static String requiredText(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("bad_request.missing_field", field);
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("bad_request.not_string", field);
        }
        if (value.asText().isBlank()) {
            throw ApiException.badRequest("bad_request.blank_field", field);
        }
        return value.asText();
    }

    private static void requireJson(String contentType) {
        if (contentType != null) {
            String[] parts = contentType.split(";");
            boolean json = parts[0].trim().equalsIgnoreCase(MEDIA_TYPE);
            boolean utf8 = true;
            for (int i = 1; i < parts.length; i++) {
                String[] parameter = parts[i].split("=", 2);
                if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("charset")) {
                    String charset = parameter[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
                    utf8 = charset.equals("utf-8") || charset.equals("utf8");
                }
            }
            if (json && utf8) {
                return;
            }
        }
        throw new ApiException(415, "unsupported_media_type", "unsupported_media_type");
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "payload_too_large", String.valueOf(MAX_BODY_BYTES))
                .with("maxBytes", MAX_BODY_BYTES);
    }
}
