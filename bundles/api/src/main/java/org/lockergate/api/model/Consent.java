package org.lockergate.api.model;

import java.time.Instant;

/**
 * Evidence that the recipient agreed to locker delivery (R1), stored with the parcel.
 *
 * @param channel how: {@code app}, {@code sms}, {@code standing}, {@code sender}, {@code courier-declared}
 * @param ref the reference of the agreement (e.g. {@code C-889})
 * @param at when it was given
 * @param feeTermsAccepted whether the fee terms were accepted (no overdue fee otherwise, R5)
 */
public record Consent(String channel, String ref, Instant at, boolean feeTermsAccepted) {
}
