package org.lockergate.management.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.lockergate.management.BackupInfo;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementException.Kind;
import org.lockergate.store.LockerStore;
import org.lockergate.store.StoreException;

/**
 * An online backup of the whole data folder, so that a replaced gateway box takes over its community: the database
 * (H2's consistent online copy, taken by the store while deposits go on), the secrets (pickup-code HMAC key, phone AES
 * key, PSKs, trust store), ConfigAdmin's persisted configuration, the gateway id, the OPC UA certificates, installed
 * features and the kept bundle versions and configuration snapshots. Not copied: the framework cache (rebuilt at
 * start), logs and earlier backups.
 *
 * <p>The zip holds {@code backup.json} first (format, gateway id, creation time, and the SHA-256 of every entry), so
 * the launcher's {@code --restore} refuses a damaged or tampered copy before it touches anything.
 */
final class DataBackup {

    static final int FORMAT = 1;
    static final String MANIFEST = "backup.json";
    private static final List<String> SKIPPED = List.of("felix-cache", "logs", "backups", "db");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path data;
    private final String gatewayVersion;

    DataBackup(Path data, String gatewayVersion) {
        this.data = data;
        this.gatewayVersion = gatewayVersion;
    }

    BackupInfo write(LockerStore store, Instant now) throws ManagementException {
        if (store == null) {
            throw new ManagementException(Kind.CONFLICT, "backup.no_store", "数据库未运行，无法备份 / The store is not "
                    + "running: a backup needs the locker feature");
        }
        Path dir = data.resolve("backups");
        Path target = dir.resolve("gateway-backup-" + NAME.format(now) + ".zip");
        Path part = dir.resolve(target.getFileName() + ".part");
        Path dbZip = null;
        Path tempDir = null;
        try {
            Files.createDirectories(dir);
            dbZip = store.backup(dir.resolve("db-" + NAME.format(now) + ".zip.tmp"));
            Map<String, Path> files = new LinkedHashMap<>();
            collect(files);
            Map<String, String> hashes = new LinkedHashMap<>();
            // database entries come from the store's consistent copy, not from the live file; streamed, never in memory
            Map<String, Path> dbEntries = new LinkedHashMap<>();
            Path unpacked = Files.createDirectories(dir.resolve("db-" + NAME.format(now) + ".tmp"));
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(dbZip))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                    if (!e.isDirectory()) {
                        Path out = unpacked.resolve(Path.of(e.getName()).getFileName().toString());
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                        dbEntries.put("db/" + out.getFileName(), out);
                    }
                }
            }
            tempDir = unpacked;
            for (Map.Entry<String, Path> e : dbEntries.entrySet()) {
                hashes.put(e.getKey(), hashFile(e.getValue()));
            }
            for (Map.Entry<String, Path> f : files.entrySet()) {
                hashes.put(f.getKey(), hashFile(f.getValue()));
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("format", FORMAT);
            manifest.put("gatewayVersion", gatewayVersion);
            manifest.put("gatewayId", readGatewayId());
            manifest.put("createdAt", now.toString());
            manifest.put("files", hashes);
            byte[] manifestBytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(manifest);

            MessageDigest zipDigest = MessageDigest.getInstance("SHA-256");
            try (OutputStream raw = Files.newOutputStream(part);
                    ZipOutputStream zip = new ZipOutputStream(new DigestOutputStream(raw, zipDigest))) {
                put(zip, MANIFEST, manifestBytes);
                Map<String, Path> all = new LinkedHashMap<>(dbEntries);
                all.putAll(files);
                for (Map.Entry<String, Path> f : all.entrySet()) {
                    zip.putNextEntry(new ZipEntry(f.getKey()));
                    try (InputStream in = Files.newInputStream(f.getValue())) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
            ownerOnly(part);
            try (var channel = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true); // a backup that is not on disk is no backup
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            return new BackupInfo(target, now, Files.size(target), hashes.size() + 1, hex(zipDigest.digest()));
        } catch (IOException | StoreException | NoSuchAlgorithmException e) {
            throw new ManagementException(Kind.FAILED, "backup.failed", "备份失败 / Backup failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(part);
                if (dbZip != null) {
                    Files.deleteIfExists(dbZip);
                }
                if (tempDir != null) {
                    try (Stream<Path> walk = Files.walk(tempDir)) {
                        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            } catch (IOException e) {
                // best effort
            }
        }
    }

    private void collect(Map<String, Path> files) throws IOException {
        if (!Files.isDirectory(data)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(data)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path rel = data.relativize(p);
                if (SKIPPED.contains(rel.getName(0).toString()) || p.getFileName().toString().endsWith(".part")
                        || p.getFileName().toString().endsWith(".lock.db")) {
                    continue;
                }
                files.put(rel.toString().replace('\\', '/'), p);
            }
        }
    }

    private String readGatewayId() {
        try {
            Path id = data.resolve("gateway-id");
            return Files.isRegularFile(id) ? Files.readString(id).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Names of the backups kept under {@code data/backups}, newest first. */
    List<Path> list() {
        Path dir = data.resolve("backups");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith("gateway-backup-")
                    && p.getFileName().toString().endsWith(".zip")).sorted().toList());
            java.util.Collections.reverse(out);
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX
        }
    }

    static String hashFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return hex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
