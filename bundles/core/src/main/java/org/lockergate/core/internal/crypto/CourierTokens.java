package org.lockergate.core.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Courier login tokens (R0) from a company's app: {@code courierId.expiry.sig} where {@code expiry} is the expiry
 * in epoch seconds (decimal) and {@code sig} is base64url without padding of HMAC-SHA-256 over the ASCII text
 * {@code courierId.expiry} under the key in {@code secrets/courier-token.key} (shared with the cloud). A token is
 * accepted until its expiry, and only if that expiry is at most the token lifetime (10 min) plus 60 s of clock
 * skew ahead.
 */
public final class CourierTokens {

    private static final Duration SKEW = Duration.ofSeconds(60);

    private final SecretKeySpec key;

    public CourierTokens(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** Issues a token (for tools and tests; in production the cloud issues them). */
    public String issue(String courierId, Instant expiry) {
        String body = courierId + "." + expiry.getEpochSecond();
        return body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(body));
    }

    /** The courier id named by the token, if any (unverified: for throttling only). */
    public static Optional<String> courierOf(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int sig = token.lastIndexOf('.');
        int exp = sig <= 0 ? -1 : token.lastIndexOf('.', sig - 1);
        return exp <= 0 ? Optional.empty() : Optional.of(token.substring(0, exp));
    }

    /** The courier id when the signature is right and the token is current; empty otherwise. */
    public Optional<String> verify(String token, Instant now, Duration ttl) {
        if (token == null || token.length() > 512) {
            return Optional.empty();
        }
        int sigAt = token.lastIndexOf('.');
        int expAt = sigAt <= 0 ? -1 : token.lastIndexOf('.', sigAt - 1);
        if (expAt <= 0) {
            return Optional.empty();
        }
        String body = token.substring(0, sigAt);
        byte[] given;
        long expiry;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(sigAt + 1));
            expiry = Long.parseLong(token.substring(expAt + 1, sigAt));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(sign(body), given)) {
            return Optional.empty();
        }
        Instant expires = Instant.ofEpochSecond(expiry);
        if (!expires.isAfter(now) || expires.isAfter(now.plus(ttl).plus(SKEW))) {
            return Optional.empty();
        }
        return Optional.of(token.substring(0, expAt));
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
