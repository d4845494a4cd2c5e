package org.lockergate.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code lockergate --restore FILE}: puts a backup written by the management bundle ({@code mgmt:backup},
 * {@code POST /api/v1/management/backups}, {@code gateway.backup}) in place of the data folder, with the gateway
 * stopped. Every entry is checked against the SHA-256 in the backup's {@code backup.json} before anything changes;
 * the current data folder is kept beside as {@code data.before-restore-<time>}.
 */
final class Restore {

    private static final Pattern FORMAT = Pattern.compile("\"format\"\\s*:\\s*(\\d+)");
    private static final Pattern FILE = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([0-9a-f]{64})\"");
    private static final Pattern GATEWAY = Pattern.compile("\"gatewayId\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern CREATED = Pattern.compile("\"createdAt\"\\s*:\\s*\"([^\"]*)\"");

    private Restore() {
    }

    static int run(Path data, Path backup) {
        try {
            if (!Files.isRegularFile(backup)) {
                throw new StartupException("找不到备份文件 / No backup file " + backup, 2);
            }
            refuseWhileRunning(data);
            // 1. read and check everything before touching the data folder
            String manifest = null;
            Map<String, String> actual = new LinkedHashMap<>();
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(backup))) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
                    if (e.isDirectory()) {
                        continue;
                    }
                    safe(data, e.getName());
                    if (e.getName().equals("backup.json")) {
                        manifest = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                    } else {
                        actual.put(e.getName(), sha256(zip));
                    }
                }
            }
            if (manifest == null) {
                throw new StartupException("不是 LockerGate 备份 / " + backup + " is not a LockerGate backup: no backup.json",
                        2);
            }
            Matcher format = FORMAT.matcher(manifest);
            if (!format.find() || Integer.parseInt(format.group(1)) > 1) {
                throw new StartupException("备份格式较新或无效 / The backup's format is newer than this gateway reads, or "
                        + "missing — restore it with a newer LockerGate", 2);
            }
            Map<String, String> expected = new LinkedHashMap<>();
            Matcher file = FILE.matcher(manifest);
            while (file.find()) {
                expected.put(file.group(1), file.group(2));
            }
            if (!expected.equals(actual)) {
                for (Map.Entry<String, String> e : expected.entrySet()) {
                    if (!e.getValue().equals(actual.get(e.getKey()))) {
                        throw new StartupException("备份已损坏 / The backup is damaged or was changed: " + e.getKey()
                                + (actual.containsKey(e.getKey()) ? " does not match its SHA-256" : " is missing")
                                + " — nothing was restored", 2);
                    }
                }
                throw new StartupException("备份已损坏 / The backup holds files its manifest does not list: "
                        + actual.keySet().stream().filter(k -> !expected.containsKey(k)).toList()
                        + " — nothing was restored", 2);
            }
            // 2. keep the current data folder, then unpack
            Path kept = null;
            if (Files.isDirectory(data) && Files.list(data).findAny().isPresent()) {
                kept = data.resolveSibling(data.getFileName() + ".before-restore-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
                Files.move(data, kept);
            }
            Files.createDirectories(data);
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(backup))) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
                    if (e.isDirectory() || e.getName().equals("backup.json")) {
                        continue;
                    }
                    Path target = safe(data, e.getName());
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                    if (e.getName().startsWith("secrets/")) {
                        ownerOnly(target);
                    }
                }
            }
            Matcher gateway = GATEWAY.matcher(manifest);
            Matcher created = CREATED.matcher(manifest);
            Log.info("已恢复备份 / Restored " + actual.size() + " files from " + backup + " (gateway "
                    + (gateway.find() ? gateway.group(1) : "?") + ", taken " + (created.find() ? created.group(1) : "?")
                    + ") into " + data + (kept == null ? "" : "; the previous data folder is kept as " + kept)
                    + ". 现在可以启动网关 / Start the gateway now.");
            return 0;
        } catch (StartupException e) {
            Log.error(e.getMessage());
            return e.exitCode();
        } catch (IOException | RuntimeException e) {
            Log.error("恢复失败 / Restore failed: " + e);
            return 1;
        }
    }

    /** H2 holds a lock on its file while the gateway runs; restoring under it would corrupt both. */
    private static void refuseWhileRunning(Path data) throws IOException {
        Path db = data.resolve("db").resolve("lockergate.mv.db");
        if (!Files.isRegularFile(db)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new StartupException("网关正在运行 / The gateway is running (its database is locked): stop it "
                        + "before restoring", 3);
            }
        } catch (OverlappingFileLockException e) {
            throw new StartupException("网关正在运行 / The gateway is running: stop it before restoring", 3);
        }
    }

    /** The entry's path inside the data folder; refuses {@code ../} and absolute names (zip slip). */
    static Path safe(Path data, String name) {
        Path target = data.resolve(name).normalize();
        if (!target.startsWith(data.normalize()) || name.startsWith("/") || name.contains("\\")) {
            throw new StartupException("备份中有非法路径 / The backup holds an unsafe path: " + name
                    + " — nothing was restored", 2);
        }
        return target;
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX
        }
    }
}
