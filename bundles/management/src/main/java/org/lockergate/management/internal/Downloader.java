package org.lockergate.management.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementException.Kind;
import org.lockergate.management.Progress;
import org.lockergate.management.Progress.Stage;

/**
 * Fetches an artifact into memory with a size limit, a timeout and progress in percent. A download that ends before
 * its announced length is refused as truncated (the signature check would refuse it too, but this says why).
 */
final class Downloader {

    private final long maxBytes;
    private final Duration timeout;

    Downloader(long maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    byte[] fetch(URI uri, Progress progress) throws ManagementException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        try {
            return switch (scheme) {
                case "http", "https" -> http(uri, progress);
                case "file" -> file(Path.of(uri), progress);
                default -> throw new ManagementException(Kind.BAD_REQUEST, "artifact.url",
                        "不支持的地址 / Unsupported URL " + uri + ": use http, https or file");
            };
        } catch (IOException e) {
            throw new ManagementException(Kind.FAILED, "download.failed",
                    "下载失败 / Download of " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ManagementException(Kind.FAILED, "download.interrupted", "下载被中断 / Download interrupted");
        }
    }

    private byte[] file(Path path, Progress progress) throws IOException, ManagementException {
        long size = Files.size(path);
        checkSize(size, path.toString());
        byte[] content = Files.readAllBytes(path);
        progress.report(Stage.DOWNLOADING, 100, "已读取 / Read " + content.length + " bytes from " + path);
        return content;
    }

    private byte[] http(URI uri, Progress progress) throws IOException, InterruptedException, ManagementException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).proxy(java.net.ProxySelector.of(null)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new ManagementException(Kind.FAILED, "download.status",
                        "下载失败 / Download of " + uri + " answered HTTP " + response.statusCode());
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > 0) {
                checkSize(length, uri.toString());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(length > 0 ? (int) length : 64 * 1024);
            byte[] buffer = new byte[64 * 1024];
            int lastPercent = -1;
            try {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    out.write(buffer, 0, n);
                    checkSize(out.size(), uri.toString());
                    int percent = length > 0 ? (int) (out.size() * 100 / length) : -1;
                    if (percent / 10 != lastPercent / 10) { // every 10 %
                        progress.report(Stage.DOWNLOADING, percent, "下载中 / Downloading " + out.size() + " bytes");
                        lastPercent = percent;
                    }
                }
            } catch (IOException e) {
                if (length > 0) { // the server hung up early
                    throw truncated(uri, out.size(), length);
                }
                throw e;
            }
            if (length > 0 && out.size() != length) {
                throw truncated(uri, out.size(), length);
            }
            progress.report(Stage.DOWNLOADING, 100, "下载完成 / Downloaded " + out.size() + " bytes");
            return out.toByteArray();
        }
    }

    private static ManagementException truncated(URI uri, long got, long length) {
        return new ManagementException(Kind.FAILED, "download.truncated", "下载不完整 / Truncated download of " + uri
                + ": " + got + " of " + length + " bytes");
    }

    private void checkSize(long size, String what) throws ManagementException {
        if (size > maxBytes) {
            throw new ManagementException(Kind.BAD_REQUEST, "artifact.too_large",
                    "软件包过大 / " + what + " is larger than the limit of " + maxBytes + " bytes");
        }
    }
}
