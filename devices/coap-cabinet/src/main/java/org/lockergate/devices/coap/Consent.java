package org.lockergate.devices.coap;

import java.time.OffsetDateTime;
import java.util.Objects;

/** The recipient's consent to a locker delivery (DESIGN.md R1), as the courier declares it with a deposit. */
public record Consent(String channel, String ref, OffsetDateTime at, boolean feeTermsAccepted) {

    public Consent {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(at, "at");
    }
}
