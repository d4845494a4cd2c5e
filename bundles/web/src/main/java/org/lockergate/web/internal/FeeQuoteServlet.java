package org.lockergate.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.spi.FeePolicy;
import org.lockergate.identity.Role;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code POST /api/v1/fees/quote} (admin, technician, property): what a resident would pay for a parcel deposited
 * at {@code depositedAt} and picked up at {@code pickupAt}, with {@code feeTermsAccepted} and optionally a member
 * {@code plan}. Answers the fee in fen, the free-until time, the stored, counted and overdue time, the periods
 * charged, whether the cap applied, and the policy's explanation.
 *
 * <p>It asks the same {@link FeePolicy} a real pickup asks — the one with the highest service ranking (the rules
 * bundle's, else the core's built-in) — with a parcel carrying only those facts, so a quote and a pickup can never
 * disagree. The parcel is charged under the rule in force when it was deposited, as at a pickup.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletName("org.lockergate.web.feequote")
@HttpWhiteboardServletPattern(FeeQuoteServlet.PATH)
public class FeeQuoteServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    public static final String PATH = "/fees/quote";

    /** Unary and greedy: SCR binds the highest-ranking policy and rebinds when a better one appears or leaves. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    transient volatile FeePolicy fees;

    public FeeQuoteServlet() {
        super("POST");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
        JsonNode body = Json.readObject(request);
        Instant depositedAt = instant(body, "depositedAt");
        Instant pickupAt = instant(body, "pickupAt");
        if (pickupAt.isBefore(depositedAt)) {
            throw ApiException.badRequest("bad_request.pickup_before_deposit", "pickupAt");
        }
        boolean accepted = requiredBoolean(body, "feeTermsAccepted");
        String plan = body.hasNonNull("plan") ? Json.requiredText(body, "plan").trim() : null;
        FeePolicy policy = fees;
        if (policy == null) {
            throw ApiException.serviceUnavailable("fees");
        }
        Parcel parcel = new Parcel("fee-quote", null, null, null, null, null, null, null, null,
                ParcelState.DEPOSITED, new Consent("quote", null, depositedAt, accepted), depositedAt, depositedAt,
                null, 0, false);
        Fee fee;
        try {
            fee = policy.quote(parcel, pickupAt, plan);
        } catch (IllegalArgumentException e) {
            if (plan == null) {
                throw e; // not the caller's fault: a 500, logged once
            }
            throw new ApiException(400, "unknown_plan", "unknown_plan", plan).with("field", "plan");
        }
        Json.send(response, 200, Quote.of(depositedAt, pickupAt, fee));
    }

    /** The wire form of a quote; field names are part of the API (see openapi.json, FeeQuote). */
    public record Quote(long feeFen, String fee, Instant depositedAt, Instant pickupAt, Instant freeUntil,
            long storedSeconds, Long countedSeconds, Long notCountedSeconds, long overdueSeconds, int periods,
            boolean capped, String explanation) {

        static Quote of(Instant depositedAt, Instant pickupAt, Fee fee) {
            Duration stored = Duration.between(depositedAt, pickupAt);
            Duration counted = fee.counted();
            Duration overdue = fee.overdue() == null ? Duration.ZERO : fee.overdue();
            return new Quote(fee.feeFen(), yuan(fee.feeFen()), depositedAt, pickupAt, fee.freeUntil(),
                    stored.toSeconds(), counted == null ? null : counted.toSeconds(),
                    counted == null ? null : stored.minus(counted).toSeconds(), overdue.toSeconds(), fee.periods(),
                    fee.capped(), fee.explanation());
        }
    }

    /** 150 → "¥1.50": integer arithmetic only. */
    static String yuan(long fen) {
        return (fen < 0 ? "-¥" : "¥") + Math.abs(fen) / 100 + "." + (Math.abs(fen) % 100 < 10 ? "0" : "")
                + Math.abs(fen) % 100;
    }

    /** An ISO-8601 date-time with an offset ({@code 2025-09-30T12:00:00+08:00} or {@code ...Z}). */
    private static Instant instant(JsonNode body, String field) {
        String text = Json.requiredText(body, field);
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("bad_request.not_instant", field);
        }
    }

    private static boolean requiredBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("bad_request.missing_field", field);
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("bad_request.not_boolean", field);
        }
        return value.booleanValue();
    }
}
