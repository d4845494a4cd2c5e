package org.lockergate.core.internal.kiosk;

/**
 * Checks a courier's PIN against its Argon2id PHC hash. Provided by {@link IdentityPinVerifier} from the identity
 * bundle's {@code org.lockergate.identity.PasswordHashing} service; faked in tests.
 */
@FunctionalInterface
public interface PinVerifier {

    boolean verify(String phcHash, char[] pin);
}
