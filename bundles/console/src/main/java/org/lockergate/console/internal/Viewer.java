package org.lockergate.console.internal;

import java.util.Locale;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/**
 * What one console viewer may receive on the stream. Staff (admin, technician, property) see everything; a
 * courier-company viewer sees the compartment grid (states only, no parcel ids) and its own company's parcels,
 * never another company's parcels, never alarms (acknowledging them is staff work) and never the progress of
 * management operations.
 *
 * @param username who is watching (for logs)
 * @param staff whether the viewer is staff
 * @param company the courier company a non-staff viewer is limited to, upper case; {@code null} for staff
 */
record Viewer(String username, boolean staff, String company) {

    static Viewer of(Operator operator) {
        boolean staff = operator.hasAnyRole(Role.TECHNICIAN, Role.PROPERTY);
        String company = operator.company() == null ? null : operator.company().trim().toUpperCase(Locale.ROOT);
        return new Viewer(operator.username(), staff, staff ? null : company);
    }

    /** Whether this viewer may see an event. */
    boolean sees(StreamEvent event) {
        if (staff) {
            return true;
        }
        return switch (event.kind()) {
            case COMPARTMENT, CABINET, REGISTRY -> true;
            case PARCEL -> company != null && company.equalsIgnoreCase(event.company());
            case ALARM, MANAGEMENT -> false;
        };
    }
}
