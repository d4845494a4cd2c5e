package org.lockergate.transport.coap;

import java.io.IOException;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The DTLS pre-shared keys of the gateway's CoAPs endpoint: one key per identity, the identity being the cabinet or
 * kiosk id. Kept in {@code {lockergate.data}/secrets/coap-psk.properties} (owner-only); changes take effect for the
 * next handshake. Keys are never logged and cannot be read back through this interface.
 */
@ProviderType
public interface PskStore {

    /** The shortest key accepted, in bytes (128 bits). */
    int MIN_KEY_BYTES = 16;

    /** The longest key accepted, in bytes. */
    int MAX_KEY_BYTES = 64;

    /**
     * Adds or replaces the key of an identity and writes the file.
     *
     * @param identity 1–128 characters of {@code A-Z a-z 0-9 . _ - : @}
     * @param key {@value #MIN_KEY_BYTES}–{@value #MAX_KEY_BYTES} bytes
     * @throws IllegalArgumentException for an identity or key outside those limits
     * @throws IOException when the file cannot be written (the store is then unchanged)
     */
    void put(String identity, byte[] key) throws IOException;

    /**
     * Removes an identity and writes the file; established DTLS sessions stay until they end.
     *
     * @return whether it was there
     * @throws IOException when the file cannot be written (the store is then unchanged)
     */
    boolean remove(String identity) throws IOException;

    /** The identities that have a key, sorted. */
    Set<String> identities();

    boolean contains(String identity);
}
