package org.lockergate.screen.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The media files of the playlists, under {@code data/screen/media/{sha256}}: downloaded once, checked against the
 * playlist's SHA-256 and size limit before they are written (atomically: a temporary file moved into place), and
 * read back only when the bytes still have their name's hash. A file whose hash does not match is never written, so
 * it is never served.
 */
public final class MediaCache {

    private final Path folder;
    private final long maxBytes;
    private final HttpClient http;
    private final Duration timeout;

    public MediaCache(Path folder, long maxBytes, Duration timeout) {
        this.folder = folder;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public boolean has(String sha256) {
        return Files.isRegularFile(folder.resolve(sha256));
    }

    /** Size of a cached file, or -1. */
    public long size(String sha256) {
        try {
            return Files.size(folder.resolve(sha256));
        } catch (IOException e) {
            return -1;
        }
    }

    /** The cached bytes, verified again (a file damaged on disk is deleted and not served). */
    public Optional<byte[]> read(String sha256) {
        Path file = folder.resolve(sha256);
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (!sha256(bytes).equals(sha256)) {
                Files.deleteIfExists(file);
                return Optional.empty();
            }
            return Optional.of(bytes);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Makes sure the item's media is cached: downloads it unless a verified copy is there.
     *
     * @return the size in bytes
     * @throws ScreenException 422 {@code hash_mismatch} (with the expected and actual hash), 413
     *     {@code media_too_large}, 502 {@code download_failed}
     */
    public long fetch(Playlist.Item item) throws ScreenException {
        if (has(item.sha256()) && read(item.sha256()).isPresent()) {
            return size(item.sha256());
        }
        byte[] bytes = download(item);
        String actual = sha256(bytes);
        if (!actual.equals(item.sha256())) {
            throw new ScreenException(422, "hash_mismatch", "素材 " + item.itemId() + " 的 SHA-256 不符，已拒绝（期望 "
                    + item.sha256() + "，实际 " + actual + "） / Media " + item.itemId() + " refused: its SHA-256 is "
                    + actual + ", the playlist says " + item.sha256(), Map.of("itemId", item.itemId(), "expected",
                    item.sha256(), "actual", actual, "url", item.url()));
        }
        try {
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, "." + item.sha256(), ".part");
            try {
                Files.write(temp, bytes);
                try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(temp, folder.resolve(item.sha256()), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new ScreenException(507, "storage_failed", "素材无法写入缓存 / Cannot write media " + item.itemId()
                    + " to " + folder + ": " + e.getMessage(), Map.of("itemId", item.itemId()));
        }
        return bytes.length;
    }

    /** Deletes cached files no playlist names any more. */
    public int retainOnly(java.util.Set<String> keep) {
        int removed = 0;
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                if (!keep.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        } catch (IOException e) {
            // tried again at the next change
        }
        return removed;
    }

    private byte[] download(Playlist.Item item) throws ScreenException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(item.url())).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw failed(item, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(item, "interrupted");
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw failed(item, "HTTP " + response.statusCode());
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw tooLarge(item, declared);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16384];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > maxBytes) {
                    throw tooLarge(item, out.size());
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw failed(item, e.getMessage());
        }
    }

    private ScreenException tooLarge(Playlist.Item item, long size) {
        return new ScreenException(413, "media_too_large", "素材 " + item.itemId() + " 超过上限 " + maxBytes
                + " 字节 / Media " + item.itemId() + " is larger than the limit of " + maxBytes + " bytes ("
                + size + "+)", Map.of("itemId", item.itemId(), "maxBytes", maxBytes));
    }

    private static ScreenException failed(Playlist.Item item, String why) {
        return new ScreenException(502, "download_failed", "素材 " + item.itemId() + " 下载失败 / Cannot download media "
                + item.itemId() + " from " + item.url() + ": " + why, Map.of("itemId", item.itemId(), "url",
                item.url()));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
