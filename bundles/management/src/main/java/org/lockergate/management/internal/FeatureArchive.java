package org.lockergate.management.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementException.Kind;

/**
 * A feature from outside the distribution: one zip, signed as a whole like a bundle (detached Ed25519 over its
 * SHA-256), holding {@code NAME.json} (an OSGi feature) at its root and the feature's bundles under
 * {@code repository/} in Maven layout. One signature covers the feature and every bundle in it, so a bundle cannot
 * be swapped without breaking the signature.
 *
 * <p>Unpacking is defensive: the archive comes from the network. Only those two kinds of entries are accepted, no
 * path leaves the target folder, and the entry count and unpacked size are bounded (a zip bomb stops early).
 */
final class FeatureArchive {

    /** Names a feature may have: they become folder names under {@code data/features/remote/}. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");

    static final int MAX_ENTRIES = 500;

    private FeatureArchive() {
    }

    /**
     * Unpacks the archive into {@code target} (which must not exist) as {@code feature.json} plus
     * {@code repository/}; returns the feature's name (its JSON file's name).
     */
    static String unpack(byte[] zip, Path target, long maxUnpackedBytes, String source) throws ManagementException {
        String name = null;
        Set<String> seen = new HashSet<>();
        long total = 0;
        int entries = 0;
        try {
            Files.createDirectories(target);
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                ZipEntry entry;
                while ((entry = in.getNextEntry()) != null) {
                    if (++entries > MAX_ENTRIES) {
                        throw bad("feature.archive_too_many", "功能包条目过多 / The feature archive " + source
                                + " has more than " + MAX_ENTRIES + " entries");
                    }
                    String path = entry.getName();
                    if (entry.isDirectory()) {
                        continue;
                    }
                    if (!seen.add(path)) {
                        throw bad("feature.archive_duplicate", "功能包条目重复 / The feature archive " + source
                                + " holds " + path + " twice");
                    }
                    Path out;
                    if (!path.contains("/") && path.endsWith(".json")) {
                        if (name != null) {
                            throw bad("feature.archive_two_features", "功能包只能含一个功能 / The feature archive "
                                    + source + " holds two feature files: " + name + ".json and " + path);
                        }
                        name = path.substring(0, path.length() - ".json".length());
                        if (!NAME.matcher(name).matches()) {
                            throw bad("feature.name", "功能名称无效 / Invalid feature name '" + name + "' in " + source
                                    + ": lower-case letters, digits and '-', at most 48");
                        }
                        out = target.resolve("feature.json");
                    } else if (path.startsWith("repository/") && path.endsWith(".jar") && !path.contains("\\")
                            && !path.contains("//")) {
                        out = target.resolve(path).normalize();
                        if (!out.startsWith(target.resolve("repository")) || path.contains("..")) {
                            throw bad("feature.archive_path", "功能包路径无效 / The feature archive " + source
                                    + " has an entry outside its repository: " + path);
                        }
                    } else {
                        throw bad("feature.archive_entry", "功能包含有不允许的条目 / The feature archive " + source
                                + " may only hold NAME.json and repository/**.jar, not " + path);
                    }
                    Files.createDirectories(out.getParent());
                    total += copy(in, out, maxUnpackedBytes - total, source);
                }
            }
        } catch (ZipException e) {
            throw bad("feature.archive_not_zip", "不是有效的功能包 / " + source + " is not a zip archive: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new ManagementException(Kind.FAILED, "feature.archive_io", "无法解压功能包 / Cannot unpack " + source
                    + ": " + e.getMessage());
        }
        if (name == null) {
            throw bad("feature.archive_no_feature", "功能包缺少功能描述 / The feature archive " + source
                    + " holds no NAME.json at its root" + (entries == 0 ? " (it is empty or not a zip)" : ""));
        }
        return name;
    }

    private static long copy(InputStream in, Path out, long budget, String source) throws IOException,
            ManagementException {
        long written = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream o = Files.newOutputStream(out)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > budget) {
                    throw bad("feature.archive_too_large", "功能包解压后过大 / The feature archive " + source
                            + " unpacks to more than the limit");
                }
                o.write(buffer, 0, n);
            }
        }
        return written;
    }

    private static ManagementException bad(String code, String message) {
        return new ManagementException(Kind.BAD_REQUEST, code, message);
    }
}
