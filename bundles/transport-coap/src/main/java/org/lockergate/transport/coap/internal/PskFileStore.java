package org.lockergate.transport.coap.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.lockergate.transport.coap.PskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS pre-shared keys, kept in a properties-style file of {@code identity=<hex key>} lines with owner-only
 * permissions (file rw-------, folder rwx------). Writes replace the file atomically; {@link #reloadIfChanged()}
 * (called every few seconds by the transport) picks up edits made by hand. Keys never reach a log line.
 */
final class PskFileStore implements PskStore {

    static final String FILE_NAME = "coap-psk.properties";

    private static final Logger LOG = LoggerFactory.getLogger(PskFileStore.class);
    private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FOLDER_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    private static final String HEADER = "# LockerGate CoAPs (DTLS-PSK) keys: one identity=<hex key> line per"
            + " cabinet or kiosk id.\n# Secret: owner-only permissions, never share or commit this file. Reloaded when it"
            + " changes.\n";

    private final Path file;
    private volatile Map<String, byte[]> keys = Map.of();
    private Object stamp; // guarded by this: what the file looked like when last read or written
    private boolean reportedMissing; // guarded by this

    PskFileStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** {@code {data}/secrets/coap-psk.properties}. */
    static Path defaultFile(Path dataFolder) {
        return dataFolder.resolve("secrets").resolve(FILE_NAME);
    }

    Path file() {
        return file;
    }

    /**
     * Creates the folder and an empty file when missing (owner-only), tightens permissions that are too open, and
     * loads the keys.
     */
    synchronized void open() throws IOException {
        Path folder = file.getParent();
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, attributes(FOLDER_PERMISSIONS));
        }
        restrict(folder, FOLDER_PERMISSIONS);
        if (!Files.exists(file)) {
            write(Map.of());
        }
        restrict(file, FILE_PERMISSIONS);
        load();
    }

    /** Reloads the file when it changed since it was last read or written; returns whether it did. */
    synchronized boolean reloadIfChanged() {
        Object now;
        try {
            now = stampOf(file);
            reportedMissing = false;
        } catch (NoSuchFileException e) {
            if (!reportedMissing) {
                reportedMissing = true;
                LOG.warn(Messages.pskUnreadable(file, e));
            }
            return false;
        } catch (IOException e) {
            LOG.warn(Messages.pskUnreadable(file, e));
            return false;
        }
        if (now.equals(stamp)) {
            return false;
        }
        try {
            restrict(file, FILE_PERMISSIONS);
            load();
            return true;
        } catch (IOException e) {
            LOG.warn(Messages.pskUnreadable(file, e));
            return false;
        }
    }

    /** The key of an identity, or null. The array is shared: do not modify it. */
    byte[] key(String identity) {
        return identity == null ? null : keys.get(identity);
    }

    @Override
    public synchronized void put(String identity, byte[] key) throws IOException {
        checkIdentity(identity);
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a PSK must have " + MIN_KEY_BYTES + "-" + MAX_KEY_BYTES
                    + " bytes, not " + key.length);
        }
        Map<String, byte[]> next = new TreeMap<>(keys);
        next.put(identity, key.clone());
        write(next);
        keys = Collections.unmodifiableMap(next);
        LOG.info("CoAP PSK 已设置 / CoAP PSK set for identity '{}'", identity);
    }

    @Override
    public synchronized boolean remove(String identity) throws IOException {
        if (identity == null || !keys.containsKey(identity)) {
            return false;
        }
        Map<String, byte[]> next = new TreeMap<>(keys);
        next.remove(identity);
        write(next);
        keys = Collections.unmodifiableMap(next);
        LOG.info("CoAP PSK 已删除 / CoAP PSK removed for identity '{}'", identity);
        return true;
    }

    @Override
    public Set<String> identities() {
        return Collections.unmodifiableSet(new TreeSet<>(keys.keySet()));
    }

    @Override
    public boolean contains(String identity) {
        return identity != null && keys.containsKey(identity);
    }

    private void load() throws IOException {
        Object before = stampOf(file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, byte[]> loaded = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                LOG.warn(Messages.pskBadLine(file, i + 1, "no '=' (expected identity=<hex key>)"));
                continue;
            }
            String identity = line.substring(0, equals).strip();
            String hex = line.substring(equals + 1).strip();
            if (!IDENTITY.matcher(identity).matches()) {
                LOG.warn(Messages.pskBadLine(file, i + 1,
                        "the identity must be 1-128 characters of A-Z a-z 0-9 . _ - : @"));
                continue;
            }
            byte[] key;
            try {
                key = HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                LOG.warn(Messages.pskBadLine(file, i + 1, "the key of '" + identity + "' is not hexadecimal"));
                continue;
            }
            if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
                LOG.warn(Messages.pskBadLine(file, i + 1, "the key of '" + identity + "' has " + key.length
                        + " bytes, not " + MIN_KEY_BYTES + "-" + MAX_KEY_BYTES));
                continue;
            }
            if (loaded.put(identity, key) != null) {
                LOG.warn(Messages.pskBadLine(file, i + 1, "'" + identity + "' appears again; this line wins"));
            }
        }
        keys = Collections.unmodifiableMap(loaded);
        stamp = before;
        LOG.info(Messages.pskLoaded(loaded.size(), file));
    }

    private void write(Map<String, byte[]> content) throws IOException {
        StringBuilder text = new StringBuilder(HEADER);
        HexFormat hex = HexFormat.of();
        content.forEach((identity, key) -> text.append(identity).append('=').append(hex.formatHex(key)).append('\n'));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        Path folder = file.getParent();
        Path temp = folder.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            try {
                Files.createFile(temp, attributes(FILE_PERMISSIONS));
            } catch (FileAlreadyExistsException e) {
                throw new IOException("cannot create " + temp + ": another writer?", e);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
            Arrays.fill(bytes, (byte) 0);
        }
        stamp = stampOf(file);
    }

    private static void checkIdentity(String identity) {
        if (identity == null || !IDENTITY.matcher(identity).matches()) {
            throw new IllegalArgumentException("a PSK identity must be 1-128 characters of A-Z a-z 0-9 . _ - : @");
        }
    }

    private static Object stampOf(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return List.of(attributes.lastModifiedTime(), attributes.size(), String.valueOf(attributes.fileKey()));
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Sets owner-only permissions when they are wider (logged). */
    private static void restrict(Path path, Set<PosixFilePermission> wanted) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> actual = view.readAttributes().permissions();
        if (!actual.equals(wanted)) {
            view.setPermissions(wanted);
            LOG.warn(Messages.pskPermissions(path, PosixFilePermissions.toString(actual),
                    PosixFilePermissions.toString(wanted)));
        }
    }
}
