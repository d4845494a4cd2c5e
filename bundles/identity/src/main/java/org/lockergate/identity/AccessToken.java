package org.lockergate.identity;

import java.time.Instant;

/**
 * A bearer token handed out at login.
 *
 * @param token the opaque secret the client sends back ({@code Authorization: Bearer ...}); only a hash of it is
 *     kept by the gateway
 * @param operator who it belongs to
 * @param expiresAt when it stops working unless used again (idle timeout)
 */
public record AccessToken(String token, Operator operator, Instant expiresAt) {

    @Override
    public String toString() {
        // never print the secret
        return "AccessToken[operator=" + operator.username() + ", expiresAt=" + expiresAt + "]";
    }
}
