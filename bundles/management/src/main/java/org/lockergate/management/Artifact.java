package org.lockergate.management;

import java.net.URI;
import java.util.Objects;

/**
 * A bundle jar to install or update, with its detached signature.
 *
 * <p>Exactly one of {@code source} (http, https or file URL, downloaded by the gateway) and {@code content} (an
 * uploaded file) is given. The signature is the Base64 of an Ed25519 signature over the SHA-256 digest of the jar's
 * bytes, by a key in the gateway's trust store ({@code lockergate-sign sign} writes it).
 *
 * @param source where to download the jar, or {@code null}
 * @param content the jar's bytes, or {@code null}
 * @param signature Base64 Ed25519 signature over SHA-256(jar)
 * @param expectedSha256 optional lower-case hex SHA-256 the download must have (a truncated download fails early)
 */
public record Artifact(URI source, byte[] content, String signature, String expectedSha256) {

    public Artifact {
        if ((source == null) == (content == null)) {
            throw new IllegalArgumentException("exactly one of source and content");
        }
        Objects.requireNonNull(signature, "signature");
    }

    public static Artifact download(URI source, String signature) {
        return new Artifact(source, null, signature, null);
    }

    public static Artifact upload(byte[] content, String signature) {
        return new Artifact(null, content, signature, null);
    }

    /** What an operator reads: the URL, or "uploaded file (n bytes)". */
    public String describe() {
        return source != null ? source.toString() : "uploaded file (" + content.length + " bytes)";
    }
}
