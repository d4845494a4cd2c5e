package org.lockergate.api.send;

import java.time.Instant;
import org.lockergate.api.model.SendOrderState;
import org.lockergate.api.model.SizeClass;

/**
 * A send or return order (R20). Holds no personal data; the send code exists only as a keyed hash.
 *
 * @param orderId the cloud's order id
 * @param kind SEND or RETURN
 * @param groupId the group
 * @param cabinetId the reserved compartment's cabinet
 * @param compartment the reserved compartment's door label
 * @param size the reserved compartment's size
 * @param companyCode the courier company that collects it
 * @param waybill the waybill, or null
 * @param state ORDERED, DROPPED, COLLECTED or CANCELLED
 * @param createdAt when the order arrived
 * @param expiresAt when an undropped order is cancelled
 * @param droppedAt when the door closed with the parcel in, or null
 * @param closedAt when it was collected or cancelled, or null
 * @param collectedBy the courier id that collected it, or null
 */
public record SendOrder(String orderId, SendKind kind, String groupId, String cabinetId, String compartment,
        SizeClass size, String companyCode, String waybill, SendOrderState state, Instant createdAt,
        Instant expiresAt, Instant droppedAt, Instant closedAt, String collectedBy) {
}
