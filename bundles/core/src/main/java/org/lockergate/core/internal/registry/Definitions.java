package org.lockergate.core.internal.registry;

import org.lockergate.api.model.GroupInfo;

/** What configuration says about groups, companies, couriers and allowed cabinets. */
public final class Definitions {

    private Definitions() {
    }

    /** A cabinet group (factory PID {@code org.lockergate.core.group}). */
    public record Group(String groupId, String name, GroupInfo info, String stationName) {
    }

    /** A courier company (factory PID {@code org.lockergate.core.company}). */
    public record Company(String code, String name, int fundingSharePercent) {
    }

    /** A courier (factory PID {@code org.lockergate.core.courier}); the PIN only as an Argon2id PHC string. */
    public record Courier(String courierId, String companyCode, String name, String pinHash, boolean active) {
        @Override
        public String toString() {
            return "Courier[" + courierId + ", " + companyCode + ", active=" + active + "]";
        }
    }

    /** A cabinet allowed to register when registration is restricted (factory PID {@code org.lockergate.core.cabinet}). */
    public record Cabinet(String cabinetId, String groupId) {
    }

    static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static Double coordinate(String value) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            return Double.valueOf(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a coordinate: " + text);
        }
    }
}
