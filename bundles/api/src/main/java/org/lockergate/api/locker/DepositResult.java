package org.lockergate.api.locker;

import java.util.List;

/**
 * A deposit whose compartment opened: the courier puts the parcel in and closes the door; the deposit completes
 * (and the code goes to the recipient) when the door reports closed with an item present.
 *
 * @param parcelId the new parcel
 * @param cabinetId the cabinet that opened
 * @param compartment the door label that opened
 * @param unlock {@code opened} or {@code already_open}
 * @param skipped compartments tried first that did not open (jammed), with their outcome
 * @param explanation the allocation's explanation
 */
public record DepositResult(String parcelId, String cabinetId, String compartment, String unlock,
        List<Skipped> skipped, String explanation) {

    public DepositResult {
        skipped = List.copyOf(skipped);
    }

    /** A compartment that was tried and did not open. */
    public record Skipped(String compartment, String outcome) {
    }
}
