package org.lockergate.firmware.internal;

import java.nio.file.Path;
import org.lockergate.management.ManagementException;
import org.lockergate.management.trust.ArtifactTrust;

/**
 * Firmware images are trusted by the same rule as bundles and feature archives — management's {@link ArtifactTrust}:
 * Ed25519 keys as PEM {@code *.pub} files in {@code data/secrets/trust} (one key and one {@code lockergate-sign sign}
 * serve both) and a detached signature over the SHA-256 of the image's exact bytes. This only maps the refusal to
 * the firmware API's 403 and its codes ({@code signature_missing}, {@code signature_malformed},
 * {@code signature_invalid}, {@code trust_empty}).
 */
final class FirmwareTrust {

    private final ArtifactTrust trust;

    FirmwareTrust(Path folder) {
        this.trust = new ArtifactTrust(folder);
    }

    Path folder() {
        return trust.folder();
    }

    static String sha256(byte[] content) {
        return ArtifactTrust.hex(ArtifactTrust.sha256(content));
    }

    /** Returns the name of the key that signed the image, or refuses it (403). */
    String verify(byte[] image, String signatureBase64, String what) throws FirmwareException {
        try {
            return trust.verify(image, signatureBase64, "firmware " + what);
        } catch (ManagementException e) {
            throw new FirmwareException(403, e.code().replace('.', '_'), e.getMessage());
        }
    }
}
