package org.lockergate.upstream.mqtt.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secret files under {@code {data}/secrets/} (DESIGN.md §3): read when needed, never cached in configuration, never
 * logged (only their path). A file readable by others is tightened to owner-only (logged) before it is used.
 */
final class Secrets {

    private static final Logger LOG = LoggerFactory.getLogger(Secrets.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private Secrets() {
    }

    /** The file's bytes, or empty when there is no such file. */
    static Optional<byte[]> read(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        restrict(file);
        return Optional.of(Files.readAllBytes(file));
    }

    /** The file's text without the trailing line end, as chars (the caller wipes them), or empty. */
    static Optional<char[]> readChars(Path file) throws IOException {
        Optional<byte[]> bytes = read(file);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        byte[] b = bytes.get();
        int end = b.length;
        while (end > 0 && (b[end - 1] == '\n' || b[end - 1] == '\r')) {
            end--;
        }
        char[] chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(b, 0, end)).array();
        int len = 0;
        while (len < chars.length && chars[len] != 0) {
            len++;
        }
        char[] out = Arrays.copyOf(chars, len);
        Arrays.fill(chars, '\0');
        Arrays.fill(b, (byte) 0);
        return Optional.of(out);
    }

    private static void restrict(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> actual = view.readAttributes().permissions();
        if (!OWNER_ONLY.containsAll(actual)) {
            LOG.warn("密钥文件权限过宽，已改为仅所有者可读写 / Secret file {} had permissions {}; set to {}", file,
                    PosixFilePermissions.toString(actual), PosixFilePermissions.toString(OWNER_ONLY));
            view.setPermissions(OWNER_ONLY);
        }
    }
}
