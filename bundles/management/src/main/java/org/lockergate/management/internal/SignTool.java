package org.lockergate.management.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.lockergate.management.trust.ArtifactTrust;

/**
 * {@code bin/lockergate-sign}: the integrator's signing tool, with nothing but the JDK.
 *
 * <pre>
 * lockergate-sign keygen DIR NAME      writes DIR/NAME.key (private, owner-only) and DIR/NAME.pub
 * lockergate-sign sign NAME.key FILE   writes FILE.sig: Base64 Ed25519 signature over SHA-256(FILE)
 * lockergate-sign verify TRUSTDIR FILE checks FILE.sig against the keys of a trust folder
 * </pre>
 *
 * The same signature can be made with OpenSSL 3:
 * {@code openssl dgst -sha256 -binary FILE | openssl pkeyutl -sign -inkey NAME.key -rawin | base64 -w0 > FILE.sig}.
 */
public final class SignTool {

    private SignTool() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String... args) throws Exception {
        if (args.length == 3 && args[0].equals("keygen")) {
            Path dir = Path.of(args[1]);
            Files.createDirectories(dir);
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path key = dir.resolve(args[2] + ".key");
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the operator protects the key
            }
            Path pub = dir.resolve(args[2] + ".pub");
            Files.writeString(pub, ArtifactTrust.pem(pair.getPublic()), StandardCharsets.US_ASCII);
            System.out.println("Private key: " + key + " (keep it secret, never on a gateway)");
            System.out.println("Public key:  " + pub + " (copy it into the gateway's data/secrets/trust/ folder)");
            return 0;
        }
        if (args.length == 3 && args[0].equals("sign")) {
            Path file = Path.of(args[2]);
            String signature = sign(readPrivateKey(Files.readString(Path.of(args[1]), StandardCharsets.US_ASCII)),
                    Files.readAllBytes(file));
            Path sig = file.resolveSibling(file.getFileName() + ".sig");
            Files.writeString(sig, signature + "\n", StandardCharsets.US_ASCII);
            System.out.println("Signed " + file + " → " + sig + " (SHA-256 "
                    + ArtifactTrust.hex(ArtifactTrust.sha256(Files.readAllBytes(file))) + ")");
            return 0;
        }
        if (args.length == 3 && args[0].equals("verify")) {
            Path file = Path.of(args[2]);
            String signature = Files.readString(file.resolveSibling(file.getFileName() + ".sig")).strip();
            try {
                String signer = new ArtifactTrust(Path.of(args[1])).verify(Files.readAllBytes(file), signature,
                        file.toString());
                System.out.println("OK: signed by " + signer);
                return 0;
            } catch (org.lockergate.management.ManagementException e) {
                System.out.println(e.getMessage());
                return 1;
            }
        }
        System.err.println("usage: lockergate-sign keygen DIR NAME | sign NAME.key FILE | verify TRUSTDIR FILE");
        return 2;
    }

    static String sign(PrivateKey key, byte[] content) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(ArtifactTrust.sha256(content));
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    static PrivateKey readPrivateKey(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

}
