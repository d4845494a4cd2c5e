package org.lockergate.transport.coap;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One CoAP request given to a {@link CoapHandler}, and the way to answer it. Answer exactly once, with
 * {@link #respond} or {@link #respondError}; a second answer throws {@link IllegalStateException}.
 *
 * <p>Bodies: requests carry JSON (content-format 50) or CBOR (60) with the same fields; {@link #json()} reads
 * either. Answers are JSON, or CBOR when the request's Accept option asks for 60. Every error answer has the body
 * {@code {"error":"<code>","message":"<text>", …extra fields at the top level…}}.
 */
@ProviderType
public interface CoapCall {

    /** Content-format 50, {@code application/json}. */
    int JSON = 50;

    /** Content-format 60, {@code application/cbor}. */
    int CBOR = 60;

    CoapMethod method();

    /** The path requested, with a leading slash and without the query: {@code /groups/g1/pickups}. */
    String path();

    /** The template that matched: {@code /groups/{groupId}/pickups}. */
    String template();

    /**
     * The value of a {@code {name}} segment of the template, as sent (CoAP carries path segments unescaped).
     *
     * @throws IllegalArgumentException when the template has no such variable
     */
    String pathVariable(String name);

    /** All path variables, in template order. */
    Map<String, String> pathVariables();

    /** A query parameter ({@code ep} in {@code /rd?ep=c1&lt=60}); a parameter without {@code =} has the value "". */
    Optional<String> query(String name);

    /** All query parameters; the first wins when a name repeats. */
    Map<String, String> queryParameters();

    /** The request body (a copy; empty when there is none). */
    byte[] payload();

    /** The request's content-format option, if present. */
    OptionalInt contentFormat();

    /**
     * The body as a JSON tree: JSON for content-format 50 (or none), CBOR for 60.
     *
     * @throws CoapException 4.00 {@code bad_json} when the body is empty or does not parse (the message says where),
     *     4.15 {@code unsupported_content_format} for any other content-format
     */
    JsonNode json();

    /**
     * The body bound to a type with Jackson (records and plain classes; unknown fields are ignored).
     *
     * @throws CoapException as {@link #json()}, and 4.00 {@code bad_json} naming the field that does not fit
     */
    <T> T json(Class<T> type);

    /** The client's address and port, as seen by the gateway (the address to send requests back to). */
    InetSocketAddress peer();

    /** Whether the request came over CoAPs (DTLS). */
    boolean secure();

    /**
     * The DTLS-PSK identity the peer authenticated with (the cabinet or kiosk id); empty over plain CoAP. The
     * transport only reports it: a handler must check that the peer acts for its own id.
     */
    Optional<String> peerIdentity();

    /**
     * Whether this call produces an observe notification (after {@link CoapService#changed(String)}) rather than
     * answering a request.
     */
    boolean notification();

    /**
     * Sets the Location-Path of the answer ({@code rd/4521} for a 2.01 to {@code POST /rd}); a leading slash is
     * ignored. Call it before answering.
     */
    void setLocationPath(String path);

    /** Answers without a body. */
    void respond(CoapResponseCode code);

    /**
     * Answers with a body: a {@link JsonNode}, or any object Jackson can write (records, maps, lists; java.time
     * values as ISO-8601 text). {@code null} means no body.
     *
     * @throws IllegalArgumentException when Jackson cannot write the body (nothing is sent then)
     */
    void respond(CoapResponseCode code, Object body);

    /**
     * Answers with raw bytes of a content-format of the caller's choice (media, firmware): not JSON or CBOR. A body
     * above the block size goes out in Block2 blocks (RFC 7959), which Californium serves from the whole payload.
     *
     * @param contentFormat e.g. 42 ({@code application/octet-stream}), 21 ({@code image/jpeg}), 23 ({@code image/png})
     * @since 1.1
     */
    default void respondBytes(CoapResponseCode code, byte[] payload, int contentFormat) {
        throw new UnsupportedOperationException("raw CoAP answers");
    }

    /** Answers {@code {"error":error,"message":message}}. */
    void respondError(CoapResponseCode code, String error, String message);

    /** Answers {@code {"error":error,"message":message, …extra…}}; extra entries named error or message are ignored. */
    void respondError(CoapResponseCode code, String error, String message, Map<String, ?> extra);

    /** Whether an answer has been sent. */
    boolean answered();
}
