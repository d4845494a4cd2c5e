package org.lockergate.api.locker;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.osgi.annotation.versioning.ProviderType;

/** Read access to the locker state for the shell, REST, OPC UA and the kiosk's observable state. */
@ProviderType
public interface LockerQueries {

    List<CabinetGroup> groups();

    Optional<CabinetGroup> group(String groupId);

    /** Cabinets of a group, or of every group when {@code groupId} is null. */
    List<Cabinet> cabinets(String groupId);

    /** Compartments of a group, or of every group when {@code groupId} is null, ordered by cabinet and label. */
    List<Compartment> compartments(String groupId);

    /**
     * Parcels, newest first, masked.
     *
     * @param groupId a group or null for all
     * @param states states to include, or empty for all
     * @param limit at most this many
     */
    List<Parcel> parcels(String groupId, List<ParcelState> states, int limit);

    /**
     * Parcels whose stay overlaps {@code [from, to)}: reserved before {@code to} and not closed before {@code from};
     * masked, oldest first, without the 10,000-row cap of {@link #parcels} (for statistics and cost sharing).
     *
     * @param groupId a group or null for all
     * @since 1.2
     */
    default List<Parcel> parcelsBetween(String groupId, Instant from, Instant to) {
        return parcels(groupId, List.of(), Integer.MAX_VALUE).stream()
                .filter(p -> p.reservedAt() == null || p.reservedAt().isBefore(to))
                .filter(p -> p.closedAt() == null || !p.closedAt().isBefore(from))
                .sorted(java.util.Comparator.comparing(Parcel::reservedAt,
                        java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())))
                .toList();
    }

    Optional<Parcel> parcel(String parcelId);

    /** Audit rows from a time on, oldest first. */
    List<AuditEntry> audit(Instant from, int limit);

    /** Outbox rows not yet confirmed by the cloud, per stream in {@code seq} order. */
    List<OutboxEvent> outbox(int limit);
}
