package org.lockergate.api.spi;

import java.time.Instant;
import org.lockergate.api.model.Fee;
import org.lockergate.api.model.Parcel;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Computes the overdue fee of a parcel at a moment (R4, R5). No fee when the recipient did not accept the fee
 * terms; holiday time is not counted; integer fen.
 */
@ConsumerType
public interface FeePolicy {

    Fee quote(Parcel parcel, Instant at);
}
