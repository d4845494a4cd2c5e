package org.lockergate.api.send;

import java.time.Instant;
import org.lockergate.api.model.SizeClass;

/**
 * A prepaid send or return order as the cloud signed it ({@code send.order}).
 *
 * @param orderId the cloud's order id, unique (a repeated id is refused)
 * @param kind SEND or RETURN
 * @param groupId where the resident drops the parcel
 * @param size the compartment size the parcel needs
 * @param companyCode the courier company that collects it
 * @param expiresAt when the compartment is released if nothing was dropped
 * @param waybill the waybill (for a return: the original parcel's), or null
 */
public record SendOrderRequest(String orderId, SendKind kind, String groupId, SizeClass size, String companyCode,
        Instant expiresAt, String waybill) {
}
