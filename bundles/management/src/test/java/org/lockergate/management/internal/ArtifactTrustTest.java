package org.lockergate.management.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockergate.management.ManagementException;
import org.lockergate.management.trust.ArtifactTrust;

class ArtifactTrustTest {

    @TempDir
    Path dir;

    @Test
    void signToolSignaturesVerifyAndNameTheSigner() throws Exception {
        Path keys = dir.resolve("keys");
        assertThat(SignTool.run("keygen", keys.toString(), "vendor-acme")).isZero();
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.copy(keys.resolve("vendor-acme.pub"), trust.resolve("vendor-acme.pub"));
        Path jar = Files.write(dir.resolve("a.jar"), "bundle bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(SignTool.run("sign", keys.resolve("vendor-acme.key").toString(), jar.toString())).isZero();
        String signature = Files.readString(dir.resolve("a.jar.sig")).strip();

        assertThat(new ArtifactTrust(trust).verify(Files.readAllBytes(jar), signature, "a.jar")).isEqualTo("vendor-acme");
        assertThat(SignTool.run("verify", trust.toString(), jar.toString())).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.resolve("vendor-acme.key")))).isEqualTo("rw-------");
    }

    @Test
    void tamperedUnsignedMalformedAndUntrustedAreRefusedWithTheirReason() throws Exception {
        Path keys = dir.resolve("keys");
        SignTool.run("keygen", keys.toString(), "trusted");
        SignTool.run("keygen", keys.toString(), "stranger");
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.copy(keys.resolve("trusted.pub"), trust.resolve("trusted.pub"));
        byte[] jar = "bundle bytes".getBytes(StandardCharsets.UTF_8);
        String good = SignTool.sign(SignTool.readPrivateKey(Files.readString(keys.resolve("trusted.key"))), jar);
        String strangers = SignTool.sign(SignTool.readPrivateKey(Files.readString(keys.resolve("stranger.key"))), jar);
        ArtifactTrust store = new ArtifactTrust(trust);

        byte[] tampered = "bundle bytez".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.verify(tampered, good, "x.jar")).isInstanceOf(ManagementException.class)
                .hasMessageContaining("tampered").extracting(e -> ((ManagementException) e).code())
                .isEqualTo("signature.invalid");
        assertThatThrownBy(() -> store.verify(jar, strangers, "x.jar"))
                .extracting(e -> ((ManagementException) e).code()).isEqualTo("signature.invalid");
        assertThatThrownBy(() -> store.verify(jar, "", "x.jar"))
                .extracting(e -> ((ManagementException) e).code()).isEqualTo("signature.missing");
        assertThatThrownBy(() -> store.verify(jar, "%%%not base64", "x.jar"))
                .extracting(e -> ((ManagementException) e).code()).isEqualTo("signature.malformed");
        assertThatThrownBy(() -> new ArtifactTrust(dir.resolve("empty")).verify(jar, good, "x.jar"))
                .extracting(e -> ((ManagementException) e).code()).isEqualTo("trust.empty");
        assertThat(store.verify(jar, good, "x.jar")).isEqualTo("trusted");
    }

    @Test
    void aBrokenKeyFileIsReportedNotTrusted() throws Exception {
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.writeString(trust.resolve("broken.pub"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        ArtifactTrust store = new ArtifactTrust(trust);
        assertThat(store.keys()).isEmpty();
        assertThat(store.problems()).containsKey("broken.pub");
    }

    @Test
    void openSslStyleSignatureOverTheDigestVerifies() throws Exception {
        // what `openssl dgst -sha256 -binary F | openssl pkeyutl -sign -rawin` produces: Ed25519 over the 32-byte digest
        Path keys = dir.resolve("keys");
        SignTool.run("keygen", keys.toString(), "k");
        byte[] jar = new byte[100_000];
        new java.util.Random(7).nextBytes(jar);
        java.security.Signature ed = java.security.Signature.getInstance("Ed25519");
        ed.initSign(SignTool.readPrivateKey(Files.readString(keys.resolve("k.key"))));
        ed.update(java.security.MessageDigest.getInstance("SHA-256").digest(jar));
        String sig = java.util.Base64.getEncoder().encodeToString(ed.sign());
        assertThat(new ArtifactTrust(keys).verify(jar, sig, "big.jar")).isEqualTo("k");
    }
}
