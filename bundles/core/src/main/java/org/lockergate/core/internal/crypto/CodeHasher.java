package org.lockergate.core.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pickup codes (R8): 8 random digits from a CSPRNG, stored only as HMAC-SHA-256 (hex) under the key in
 * {@code secrets/pickup-code.key}, compared in constant time.
 */
public final class CodeHasher {

    public static final int DIGITS = 8;

    private final SecretKeySpec key;
    private final SecureRandom random;

    public CodeHasher(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.random = random;
    }

    public String newCode() {
        return String.format("%08d", random.nextInt(100_000_000));
    }

    public String hmacHex(String code) {
        return HexFormat.of().formatHex(hmac(code));
    }

    public byte[] hmac(String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(code.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of a stored hex HMAC with a computed one. */
    public static boolean matches(String storedHex, byte[] computed) {
        if (storedHex == null) {
            return false;
        }
        byte[] stored;
        try {
            stored = HexFormat.of().parseHex(storedHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(stored, computed);
    }

    public static boolean wellFormed(String code) {
        if (code == null || code.length() != DIGITS) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            if (code.charAt(i) < '0' || code.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
