package org.lockergate.devices.coap;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The gateway's answer to one kiosk call: the CoAP response code ({@code null} when no answer came in time) and
 * the parsed body (JSON or CBOR; {@link NullNode} when empty; a text node when it was not parseable).
 */
public record KioskReply(ResponseCode code, JsonNode body) {

    /** {@link #error()} when the gateway did not answer in time. */
    public static final String NO_ANSWER = "no_answer";

    public KioskReply {
        body = body == null ? NullNode.getInstance() : body;
    }

    public static KioskReply noAnswer() {
        return new KioskReply(null, NullNode.getInstance());
    }

    public boolean answered() {
        return code != null;
    }

    /** A 2.xx answer. */
    public boolean ok() {
        return code != null && code.isSuccess();
    }

    /** {@code "2.01"}, {@code "4.03"} …, or {@code "none"}. */
    public String codeText() {
        return code == null ? "none" : code.toString();
    }

    /** The error code of an error body ({@code wrong_code}, {@code locked} …), {@link #NO_ANSWER}, or {@code null}. */
    public String error() {
        if (code == null) {
            return NO_ANSWER;
        }
        JsonNode error = body.get("error");
        return error == null || error.isNull() ? null : error.asText();
    }

    public String message() {
        JsonNode message = body.get("message");
        return message == null || message.isNull() ? null : message.asText();
    }

    /** {@code attemptsLeft} of a {@code bad_credentials} or {@code wrong_code} answer, or {@code null}. */
    public Integer attemptsLeft() {
        JsonNode value = body.get("attemptsLeft");
        return value != null && value.canConvertToInt() ? value.asInt() : null;
    }

    /** {@code lockedUntil} of a {@code locked} answer, or {@code null}. */
    public OffsetDateTime lockedUntil() {
        return time("lockedUntil");
    }

    /** A top-level text field of the body, or {@code null}. */
    public String text(String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A top-level ISO-8601 time of the body, or {@code null} when absent or not a time. */
    public OffsetDateTime time(String field) {
        String text = text(field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return codeText() + " " + body;
    }
}
