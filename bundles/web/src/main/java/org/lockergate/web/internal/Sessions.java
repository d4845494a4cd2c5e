package org.lockergate.web.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Browser sessions: the bearer token also travels as an {@code HttpOnly; SameSite=Strict} cookie, and a request
 * authenticated by that cookie may change something only with the header {@value #CSRF_HEADER} holding the CSRF
 * token of its session (double submit: the console reads the token from the login answer or
 * {@code GET /api/v1/session}; another site can send the cookie but cannot read the token).
 *
 * <p>The CSRF token is an HMAC of the session token under a key drawn at start, so nothing is stored per session;
 * after a gateway restart the console fetches {@code /session} again for a fresh one.
 */
final class Sessions {

    static final String COOKIE = "LG_SESSION";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private static final byte[] KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(KEY);
    }

    private Sessions() {}

    /** The CSRF token of a session (deterministic per session token and gateway run). */
    static String csrfToken(String sessionToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            byte[] tag = mac.doFinal(("csrf:" + sessionToken).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether the header carries this session's CSRF token (constant-time comparison). */
    static boolean csrfMatches(String sessionToken, String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(csrfToken(sessionToken).getBytes(StandardCharsets.US_ASCII),
                header.trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** The session cookie's value, if the request carries one. */
    static Optional<String> cookie(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return Optional.empty();
        }
        for (jakarta.servlet.http.Cookie cookie : request.getCookies()) {
            if (COOKIE.equals(cookie.getName()) && cookie.getValue() != null && !cookie.getValue().isBlank()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Sets the session cookie for the whole HTTP port (the console at {@code /} uses it too), until the token
     * expires. {@code Secure} when the request came over TLS.
     */
    static void setCookie(HttpServletRequest request, HttpServletResponse response, String token, Instant expiresAt,
            Instant now) {
        long maxAge = Math.max(0, Duration.between(now, expiresAt).getSeconds());
        response.addHeader("Set-Cookie", COOKIE + "=" + token + "; Path=/; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict" + (request.isSecure() ? "; Secure" : ""));
    }

    static void clearCookie(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (request.isSecure() ? "; Secure" : ""));
    }

    /** Methods that never change anything and so need no CSRF token. */
    static boolean safe(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }
}
