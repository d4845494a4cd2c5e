package org.lockergate.api.locker;

import java.time.Instant;
import java.util.List;
import org.lockergate.api.model.ParcelState;

/**
 * One page of a parcel search for {@link LockerQueries#parcels(ParcelQuery)}: newest first (by reservation time,
 * then parcel id), every filter optional ({@code null} or empty = any).
 *
 * @param groupId only this group
 * @param states only these states
 * @param companyCode only this courier company
 * @param depositedBefore only parcels deposited before this instant (their age: "in the locker longer than")
 * @param afterReservedAt keyset cursor: the {@code reservedAt} of the last row of the previous page, or null for
 *     the first page
 * @param afterParcelId keyset cursor: the {@code parcelId} of the last row of the previous page
 * @param limit at most this many rows (1–10,000)
 * @since 1.3
 */
public record ParcelQuery(String groupId, List<ParcelState> states, String companyCode, Instant depositedBefore,
        Instant afterReservedAt, String afterParcelId, int limit) {

    public ParcelQuery {
        states = states == null ? List.of() : List.copyOf(states);
        limit = Math.max(1, Math.min(limit, 10_000));
    }
}
