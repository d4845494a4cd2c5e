package org.lockergate.devices.coap;

import java.time.OffsetDateTime;

/** The answer to a courier's sign-in: 2.01 with the session, his company and when the session expires. */
public record SessionResult(KioskReply reply, String session, String company, OffsetDateTime expiresAt) {

    static SessionResult of(KioskReply reply) {
        return new SessionResult(reply, reply.text("session"), reply.text("company"), reply.time("expiresAt"));
    }

    /** Signed in: 2.01 with a session. */
    public boolean ok() {
        return reply.ok() && session != null;
    }
}
