package org.lockergate.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.maintenance.InspectionRound;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/**
 * What the maintenance resources share: who may act (property staff and technicians; admin holds every role; a
 * courier-company viewer may not), the actor written to the audit, the mapping of the core's refusals to JSON
 * errors, and the wire forms.
 */
final class MaintenanceApi {

    /** The core's codes with a text of their own in the message files; others get a generic one. */
    private static final java.util.Set<String> KNOWN = java.util.Set.of("not_found", "unknown_group", "bad_request",
            "ticket_closed", "resolution_required", "note_required", "no_compartment", "round_completed",
            "unknown_item", "checklist_required", "busy", "store_unavailable");

    private MaintenanceApi() {
    }

    /** Property staff, technicians and admins; 401 anonymous, 403 for others. */
    static Operator staff(HttpServletRequest request) {
        return ApiServlet.requireAnyRole(request, Role.TECHNICIAN, Role.PROPERTY);
    }

    static String actor(Operator operator) {
        return "operator:" + operator.username();
    }

    /** The core's refusal as a JSON error with the same stable code; the text in the caller's language. */
    static ApiException refused(LockerException e) {
        int status = switch (e.kind()) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_MANY -> 429;
            case UNAVAILABLE -> 503;
        };
        String key = KNOWN.contains(e.code()) ? "maintenance." + e.code() : "maintenance.refused";
        ApiException error = new ApiException(status, e.code(), key);
        e.extra().forEach(error::with);
        return error;
    }

    /** The id segment of {@code /{id}} or {@code /{id}/action}; 404 when it is not a number. */
    static long id(String segment) {
        try {
            long id = Long.parseLong(segment);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ApiException.notFound();
    }

    static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("bad_request.not_string", field);
        }
        return value.asText();
    }

    static boolean optionalBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("bad_request.not_boolean", field);
        }
        return value.asBoolean();
    }

    static List<String> textList(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("bad_request.missing_field", field);
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("bad_request.not_string_list", field);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw ApiException.badRequest("bad_request.not_string_list", field);
            }
            out.add(item.asText());
        }
        return out;
    }

    static int limit(HttpServletRequest request) {
        String text = request.getParameter("limit");
        if (text == null || text.isBlank()) {
            return 200;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ApiException.badRequest("bad_request.limit", "limit");
    }

    /** The wire form of a round, with {@code overdue} computed at the time of the answer. */
    record Round(long roundId, String scheduleId, String groupId, String kind, String name, List<String> checklist,
            java.time.Instant dueAt, java.time.Instant overdueAt, boolean overdue, java.time.Instant completedAt,
            String completedBy, List<String> ticked, String note) {
        static Round of(InspectionRound r, java.time.Instant now) {
            return new Round(r.roundId(), r.scheduleId(), r.groupId(), r.kind().name(), r.name(), r.checklist(),
                    r.dueAt(), r.overdueAt(), r.overdue(now), r.completedAt(), r.completedBy(), r.ticked(), r.note());
        }
    }
}
