package org.lockergate.firmware.internal;

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

/**
 * The management bundle's trust store and signature scheme, applied to firmware images: Ed25519 keys as PEM
 * {@code *.pub} files in {@code data/secrets/trust} (the same folder, so one key and one {@code lockergate-sign sign}
 * serve bundles and firmware), and a detached Ed25519 signature over the SHA-256 digest of the image's exact bytes.
 * The management bundle keeps its verifier internal; this is the same rule, checked here so that the firmware
 * bundle does not depend on the management bundle being installed.
 */
final class FirmwareTrust {

    private final Path folder;

    FirmwareTrust(Path folder) {
        this.folder = folder;
    }

    Path folder() {
        return folder;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the name of the key that signed the image, or refuses it (403). */
    String verify(byte[] image, String signatureBase64, String what) throws FirmwareException {
        if (signatureBase64 == null || signatureBase64.isBlank()) {
            throw new FirmwareException(403, "signature_missing", "拒绝未签名的固件 / Refused unsigned firmware " + what
                    + ": every image must carry an Ed25519 signature (lockergate-sign sign)");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureBase64.strip());
        } catch (IllegalArgumentException e) {
            throw new FirmwareException(403, "signature_malformed", "签名格式错误 / Malformed signature for " + what
                    + ": not Base64");
        }
        Map<String, PublicKey> keys = keys();
        if (keys.isEmpty()) {
            throw new FirmwareException(403, "trust_empty", "信任库为空 / The trust store " + folder
                    + " holds no key: no firmware can be staged");
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(image);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, PublicKey> key : keys.entrySet()) {
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key.getValue());
                verifier.update(digest);
                if (verifier.verify(signature)) {
                    return key.getKey();
                }
            } catch (GeneralSecurityException e) {
                // a wrong-length signature is simply not valid
            }
        }
        throw new FirmwareException(403, "signature_invalid", "固件签名无效：镜像被篡改或签名密钥不受信任 / Refused "
                + what + ": the signature does not match any trusted key (tampered image or untrusted signer); SHA-256 "
                + HexFormat.of().formatHex(digest));
    }

    private Map<String, PublicKey> keys() {
        Map<String, PublicKey> keys = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.pub")) {
            for (Path file : files) {
                try {
                    String body = Files.readString(file, StandardCharsets.US_ASCII)
                            .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                    PublicKey key = KeyFactory.getInstance("Ed25519")
                            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
                    String name = file.getFileName().toString();
                    keys.put(name.substring(0, name.length() - 4), key);
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    // not a usable key: not trusted
                }
            }
        } catch (IOException e) {
            return keys;
        }
        return keys;
    }
}
