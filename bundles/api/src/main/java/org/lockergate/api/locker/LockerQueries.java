package org.lockergate.api.locker;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.lockergate.api.model.Alarm;
import org.lockergate.api.model.AuditEntry;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.Courier;
import org.lockergate.api.model.CourierCompany;
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

    /**
     * One page of a filtered parcel search, masked, newest first (keyset paging, see {@link ParcelQuery}).
     *
     * <p>The default implementation filters {@link #parcels(String, List, int)} in memory; the core answers it with
     * one indexed query.
     *
     * @since 1.3
     */
    default List<Parcel> parcels(ParcelQuery query) {
        java.util.Comparator<Parcel> newestFirst = java.util.Comparator.comparing(Parcel::reservedAt,
                java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder()))
                .thenComparing(Parcel::parcelId, java.util.Comparator.reverseOrder());
        return parcels(query.groupId(), query.states(), 10_000).stream()
                .filter(p -> query.companyCode() == null || query.companyCode().equals(p.companyCode()))
                .filter(p -> query.depositedBefore() == null
                        || (p.depositedAt() != null && p.depositedAt().isBefore(query.depositedBefore())))
                .filter(p -> query.afterReservedAt() == null || p.reservedAt() == null
                        || p.reservedAt().isBefore(query.afterReservedAt())
                        || (p.reservedAt().equals(query.afterReservedAt())
                                && p.parcelId().compareTo(query.afterParcelId()) < 0))
                .sorted(newestFirst)
                .limit(query.limit())
                .toList();
    }

    /**
     * Audit rows in {@code [from, to)} with an id above {@code afterId}, oldest first (keyset paging by id).
     *
     * @param from null for the beginning
     * @param to null for now
     * @param afterId 0 for the first page, else the id of the last row of the previous page
     * @since 1.3
     */
    default List<AuditEntry> audit(Instant from, Instant to, long afterId, int limit) {
        return audit(from, Integer.MAX_VALUE).stream()
                .filter(a -> a.id() > afterId)
                .filter(a -> to == null || a.ts().isBefore(to))
                .limit(Math.max(1, limit))
                .toList();
    }

    /**
     * Outbox rows of one stream, confirmed by the cloud or not, with {@code seq > afterSeq} and a time at or after
     * {@code from}, in seq order. The rows' {@code data} is what the cloud gets: a {@code notification.requested}
     * row may hold the clear pickup code until it is confirmed, so a surface that shows it to people must redact it.
     *
     * <p>The default implementation sees only the unconfirmed rows of {@link #outbox(int)}.
     *
     * @since 1.3
     */
    default List<OutboxEvent> events(OutboxEvent.Stream stream, long afterSeq, Instant from, int limit) {
        return outbox(Integer.MAX_VALUE).stream()
                .filter(e -> e.stream() == stream && e.seq() > afterSeq)
                .filter(e -> from == null || !e.ts().isBefore(from))
                .limit(Math.max(1, limit))
                .toList();
    }

    /**
     * Alarms raised at or after {@code from} (null = any time), newest first, whatever their state.
     *
     * @since 1.3
     */
    default List<Alarm> alarms(Instant from, int limit) {
        return List.of();
    }

    /**
     * The courier companies the gateway knows, by code.
     *
     * @since 1.3
     */
    default List<CourierCompany> companies() {
        return List.of();
    }

    /**
     * Couriers of one company, or of all when {@code companyCode} is null, by id. Never their PIN hash.
     *
     * @since 1.3
     */
    default List<Courier> couriers(String companyCode) {
        return List.of();
    }
}
