package org.lockergate.devices.coap;

import java.time.OffsetDateTime;

/**
 * One notification to a recipient, as the gateway's development notifier writes it to
 * {@code {data}/logs/notifications.log}: the parcel, where it is, its pickup code, the masked phone and the end of
 * the free storage period ({@code null} when absent or not a time).
 */
public record PickupNotice(String parcelId, String groupId, String cabinetId, String compartment, String code,
        String phoneMasked, OffsetDateTime freeUntil) {
}
