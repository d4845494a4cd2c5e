package org.lockergate.metrics.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.lockergate.identity.IdentityService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;

/**
 * Who may read {@code /metrics}: anyone from loopback (the scraper on the gateway box, a node exporter's proxy);
 * from elsewhere a bearer token — the configured metrics token (kept only as its SHA-256, compared in constant time)
 * or an operator's token from the identity service with the admin, technician or property role.
 */
final class MetricsAccess {

    enum Verdict {
        ALLOWED, UNAUTHORIZED, FORBIDDEN
    }

    private final byte[] tokenHash;

    /** @param tokenSha256 hex SHA-256 of the metrics token, or empty for none */
    MetricsAccess(String tokenSha256) {
        String hex = tokenSha256 == null ? "" : tokenSha256.strip().toLowerCase(Locale.ROOT);
        if (!hex.isEmpty() && !hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("tokenSha256 must be 64 hex digits (sha256sum of the token)");
        }
        this.tokenHash = hex.isEmpty() ? null : HexFormat.of().parseHex(hex);
    }

    Verdict check(String remoteAddress, String authorization, IdentityService identity) {
        if (loopback(remoteAddress)) {
            return Verdict.ALLOWED;
        }
        String token = bearer(authorization);
        if (token == null) {
            return Verdict.UNAUTHORIZED;
        }
        if (tokenHash != null && MessageDigest.isEqual(tokenHash, sha256(token))) {
            return Verdict.ALLOWED;
        }
        Optional<Operator> operator = identity == null ? Optional.empty() : identity.authenticate(token);
        if (operator.isEmpty()) {
            return Verdict.UNAUTHORIZED;
        }
        return operator.get().hasAnyRole(Role.TECHNICIAN, Role.PROPERTY) ? Verdict.ALLOWED : Verdict.FORBIDDEN;
    }

    /** Only an IP literal from the container is looked at, so no name lookup happens. */
    static boolean loopback(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank()
                || !remoteAddress.matches("[0-9a-fA-F:.\\[\\]%a-zA-Z]+") || remoteAddress.chars().noneMatch(
                        c -> c == '.' || c == ':')) {
            return false;
        }
        String literal = remoteAddress.startsWith("[") && remoteAddress.endsWith("]")
                ? remoteAddress.substring(1, remoteAddress.length() - 1) : remoteAddress;
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false; // a host name, not an address: never resolved
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
