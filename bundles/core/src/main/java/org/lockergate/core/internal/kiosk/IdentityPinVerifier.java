package org.lockergate.core.internal.kiosk;

import org.lockergate.identity.PasswordHashing;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Courier PINs checked by the identity bundle's {@link PasswordHashing} (Argon2id PHC strings, the same format as
 * operators' passwords). Registered only while that service is present; without it, sign-in answers
 * {@code unavailable}.
 */
@Component(service = PinVerifier.class)
public class IdentityPinVerifier implements PinVerifier {

    private final PasswordHashing hashing;

    @Activate
    public IdentityPinVerifier(@Reference(name = "hashing") PasswordHashing hashing) {
        this.hashing = hashing;
    }

    @Override
    public boolean verify(String phcHash, char[] pin) {
        return hashing.verify(phcHash, pin);
    }
}
