package org.lockergate.api.locker;

import java.time.Instant;
import org.lockergate.api.model.ParcelState;

/**
 * A parcel on a courier company's recall or return list at one group (R7, R19): {@code RECALL_DUE} (still pickable
 * by the resident), {@code HELD} (courier only) or {@code REJECTED}. No personal data.
 *
 * @param parcelId the parcel
 * @param compartment its door label
 * @param state {@code RECALL_DUE}, {@code HELD} or {@code REJECTED}
 * @param waybill the company's waybill number
 * @param since when the parcel entered that state
 * @since 1.1
 */
public record RecallEntry(String parcelId, String compartment, ParcelState state, String waybill, Instant since) {
}
