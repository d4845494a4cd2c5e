package org.lockergate.core.internal.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Keys in {@code {data}/secrets/}: created on first start from a CSPRNG (the folder {@code rwx------}, each file
 * {@code rw-------}, one line of base64), never logged, never in configuration. Losing them makes pickup codes and
 * phones unrecoverable: they are part of the backup.
 */
public final class SecretFiles {

    public static final String PICKUP_CODE_KEY = "pickup-code.key";
    public static final String PHONE_KEY = "phone.key";
    public static final String COURIER_TOKEN_KEY = "courier-token.key";

    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path folder;
    private final SecureRandom random;

    public SecretFiles(Path dataDir, SecureRandom random) {
        this.folder = dataDir.resolve("secrets");
        this.random = random;
    }

    public Path folder() {
        return folder;
    }

    /** Reads the key, or creates it (32 random bytes) when the file does not exist. */
    public synchronized byte[] loadOrCreate(String name) throws IOException {
        ensureFolder();
        Path file = folder.resolve(name);
        if (Files.exists(file)) {
            return read(file);
        }
        byte[] key = new byte[32];
        random.nextBytes(key);
        Path tmp = Files.createTempFile(folder, name, ".tmp");
        try {
            if (POSIX) {
                Files.setPosixFilePermissions(tmp, FILE);
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return key;
    }

    private void ensureFolder() throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
        }
        if (POSIX && !Files.getPosixFilePermissions(folder).equals(DIR)) {
            Files.setPosixFilePermissions(folder, DIR);
        }
    }

    private static byte[] read(Path file) throws IOException {
        if (POSIX && !Files.getPosixFilePermissions(file).equals(FILE)) {
            Files.setPosixFilePermissions(file, FILE);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("key file " + file + " is not one line of base64");
        }
        if (key.length < 32) {
            throw new IOException("key file " + file + " holds fewer than 32 bytes");
        }
        return key;
    }
}
