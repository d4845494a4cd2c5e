package org.lockergate.firmware.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging: signature against the trust store, hash, size; kept across a restart. */
class FirmwareImagesTest {

    @TempDir
    Path data;

    static String sign(KeyPair key, byte[] image) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key.getPrivate());
        signer.update(MessageDigest.getInstance("SHA-256").digest(image));
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    @Test
    void signed_images_are_kept_and_bad_ones_refused_precisely() throws Exception {
        KeyPair vendorKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path trust = Files.createDirectories(data.resolve("secrets/trust"));
        Files.writeString(trust.resolve("acme.pub"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(vendorKey.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        FirmwareImages images = new FirmwareImages(data.resolve("firmware"), new FirmwareTrust(trust), 4096);
        byte[] image = new byte[3000];
        new java.util.Random(7).nextBytes(image);
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        assertThatThrownBy(() -> images.stage("coap", "acme M1", "2.0.0", image, sign(stranger, image), null, "t",
                now)).isInstanceOfSatisfying(FirmwareException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.code()).isEqualTo("signature_invalid");
                });
        assertThatThrownBy(() -> images.stage("coap", "acme M1", "2.0.0", image, null, null, "t", now))
                .isInstanceOfSatisfying(FirmwareException.class,
                        e -> assertThat(e.code()).isEqualTo("signature_missing"));
        assertThatThrownBy(() -> images.stage("coap", "acme M1", "2.0.0", image, sign(vendorKey, image),
                "00".repeat(32), "t", now)).isInstanceOfSatisfying(FirmwareException.class, e -> {
                    assertThat(e.code()).isEqualTo("hash_mismatch");
                    assertThat(e.getMessage()).contains(FirmwareTrust.sha256(image));
                });
        assertThatThrownBy(() -> images.stage("coap", "acme M1", "2.0.0", new byte[5000], sign(vendorKey,
                new byte[5000]), null, "t", now)).isInstanceOfSatisfying(FirmwareException.class,
                        e -> assertThat(e.code()).isEqualTo("image_too_large"));
        assertThat(images.list()).isEmpty();

        FirmwareImage staged = images.stage("coap", "acme M1", "2.0.0", image, sign(vendorKey, image),
                FirmwareTrust.sha256(image), "operator:tech", now);
        assertThat(staged.signer()).isEqualTo("acme");
        FirmwareImages reopened = new FirmwareImages(data.resolve("firmware"), new FirmwareTrust(trust), 4096);
        FirmwareImage found = reopened.find("coap", "acme M1", "2.0.0").orElseThrow();
        assertThat(reopened.bytes(found)).isEqualTo(image);
        Files.write(data.resolve("firmware").resolve(found.sha256() + ".bin"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> reopened.bytes(found)).isInstanceOfSatisfying(FirmwareException.class,
                e -> assertThat(e.code()).isEqualTo("image_damaged"));
    }
}
