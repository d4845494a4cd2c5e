package org.lockergate.api.send;

/**
 * A door opened for a send order: the resident's drop-off or the courier's collection. The step completes when the
 * door closes again (with the parcel in for a drop-off, empty for a collection).
 *
 * @param orderId the order
 * @param cabinetId the cabinet
 * @param compartment the door label
 * @param unlock {@code opened} or {@code already_open}
 */
public record SendOpenResult(String orderId, String cabinetId, String compartment, String unlock) {
}
