package org.lockergate.management.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementException.Kind;

/**
 * The gateway's trust store for artifacts: a folder of Ed25519 public keys ({@code *.pub}, PEM
 * {@code PUBLIC KEY} / X.509 SubjectPublicKeyInfo, as {@code openssl pkey -pubout} writes them).
 *
 * <p>An artifact is trusted when its detached signature — Ed25519 over the SHA-256 digest of the jar's exact bytes —
 * verifies with one of these keys. A detached signature rather than a signed JAR: it is checked before the bytes
 * reach the framework (Felix enforces JAR signatures only with a security manager we do not run), it covers every
 * byte including the manifest, it travels beside a URL as a {@code .sig} file, and it is the same algorithm the
 * cloud signs its commands with. The folder is read at each verification, so adding or revoking a key needs no
 * restart.
 */
public final class ArtifactTrust {

    private final Path folder;

    public ArtifactTrust(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** The SHA-256 digest of the bytes. */
    public static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * Checks the signature and returns the name of the key (file name without {@code .pub}) that made it.
     *
     * @throws ManagementException UNTRUSTED with {@code signature.missing}, {@code signature.malformed},
     *     {@code trust.empty} or {@code signature.invalid}
     */
    public String verify(byte[] content, String signatureBase64, String what) throws ManagementException {
        if (signatureBase64 == null || signatureBase64.isBlank()) {
            throw new ManagementException(Kind.UNTRUSTED, "signature.missing",
                    "拒绝未签名的软件包 / Refused unsigned artifact " + what
                            + ": every bundle must carry an Ed25519 signature (lockergate-sign sign)");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureBase64.strip());
        } catch (IllegalArgumentException e) {
            throw new ManagementException(Kind.UNTRUSTED, "signature.malformed",
                    "签名格式错误 / Malformed signature for " + what + ": not Base64");
        }
        Map<String, PublicKey> keys = keys();
        if (keys.isEmpty()) {
            throw new ManagementException(Kind.UNTRUSTED, "trust.empty",
                    "信任库为空 / The trust store " + folder + " holds no key: nothing can be installed remotely");
        }
        byte[] digest = sha256(content);
        for (Map.Entry<String, PublicKey> key : keys.entrySet()) {
            if (verifies(key.getValue(), digest, signature)) {
                return key.getKey();
            }
        }
        throw new ManagementException(Kind.UNTRUSTED, "signature.invalid",
                "签名无效：软件包被篡改或签名密钥不受信任 / Refused " + what
                        + ": the signature does not match any trusted key (tampered artifact or untrusted signer); SHA-256 "
                        + hex(digest));
    }

    static boolean verifies(PublicKey key, byte[] digest, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(digest);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a wrong-length signature is simply not valid
        }
    }

    /** The trusted keys by name; unreadable files are skipped (and would be reported by {@link #problems()}). */
    public Map<String, PublicKey> keys() {
        Map<String, PublicKey> keys = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.pub")) {
            for (Path file : files) {
                try {
                    keys.put(name(file), readPublicKey(Files.readString(file, StandardCharsets.US_ASCII)));
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    // not trusted; problems() names it
                }
            }
        } catch (IOException e) {
            return keys;
        }
        return keys;
    }

    /** Files in the trust folder that are not usable keys, with the reason, for diagnostics. */
    public Map<String, String> problems() {
        Map<String, String> problems = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return problems;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.pub")) {
            for (Path file : files) {
                try {
                    readPublicKey(Files.readString(file, StandardCharsets.US_ASCII));
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    problems.put(file.getFileName().toString(), String.valueOf(e.getMessage()));
                }
            }
        } catch (IOException e) {
            problems.put(folder.toString(), e.getMessage());
        }
        return problems;
    }

    private static String name(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".pub".length());
    }

    /** Reads a PEM {@code PUBLIC KEY} (or its bare Base64 body) holding an Ed25519 key. */
    public static PublicKey readPublicKey(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        return key;
    }

    /** PEM text of a public key. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
