package org.lockergate.identity.internal;

import org.lockergate.identity.PasswordHashing;
import org.osgi.service.component.annotations.Component;

/** {@link PasswordHashing} for other bundles (courier PINs in the core), on the same hasher as operators'. */
@Component(service = PasswordHashing.class)
public class PasswordHashingService implements PasswordHashing {

    private final PasswordHasher hasher = new PasswordHasher();

    @Override
    public String hash(char[] secret) {
        return hasher.hash(secret);
    }

    @Override
    public boolean verify(String phcHash, char[] secret) {
        try {
            return hasher.verify(secret, PhcHash.parse(phcHash));
        } catch (RuntimeException malformed) {
            return false;
        }
    }
}
