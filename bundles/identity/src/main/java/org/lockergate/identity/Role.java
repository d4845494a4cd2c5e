package org.lockergate.identity;

import java.util.Locale;
import java.util.Optional;

/** The roles an operator can hold. Their ids are what configuration files and tokens use. */
public enum Role {
    /** Everything, including user management and manual "open all". */
    ADMIN("admin"),
    /** Field technician: bundles, features, configuration, diagnostics, compartment enable/disable. */
    TECHNICIAN("technician"),
    /** Property / community staff: alarms, parcels, recalls. */
    PROPERTY("property"),
    /** A courier company's viewer: reads only its own company's parcels and statistics. */
    COURIER_COMPANY("courier-company");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    /** The id used in configuration and on the wire, e.g. {@code "courier-company"}. */
    public String id() {
        return id;
    }

    /** Parses a role id (case-insensitive); empty when the id names no role. */
    public static Optional<Role> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Role role : values()) {
            if (role.id.equals(wanted)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
