package org.lockergate.identity;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's one way to hash secrets people type (operator passwords, courier PINs): Argon2id PHC strings,
 * verified in constant time. Registered as a service by the identity bundle.
 */
@ProviderType
public interface PasswordHashing {

    /** A new PHC string with a fresh random salt. */
    String hash(char[] secret);

    /** True when the secret matches; false (never an exception) for a malformed hash. */
    boolean verify(String phcHash, char[] secret);
}
