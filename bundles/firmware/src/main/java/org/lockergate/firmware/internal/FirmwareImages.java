package org.lockergate.firmware.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Staged images under {@code data/firmware/images/}: each image as {@code {sha256}.bin}, and an index
 * ({@code index.json}) of what was staged for which vendor, model and version. Both written atomically (a synced
 * temporary file moved into place); an image is read back only when its bytes still have its hash.
 */
final class FirmwareImages {

    static final Pattern TEXT = Pattern.compile("[^\\p{Cntrl}]{1,64}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Path folder;
    private final FirmwareTrust trust;
    private final long maxBytes;
    private final Map<String, FirmwareImage> index = new LinkedHashMap<>();

    FirmwareImages(Path folder, FirmwareTrust trust, long maxBytes) {
        this.folder = folder;
        this.trust = trust;
        this.maxBytes = maxBytes;
        Path file = folder.resolve("index.json");
        if (Files.isRegularFile(file)) {
            try {
                List<Map<String, Object>> rows = mapper.readValue(file.toFile(),
                        new TypeReference<List<Map<String, Object>>>() { });
                for (Map<String, Object> row : rows) {
                    FirmwareImage image = new FirmwareImage((String) row.get("vendor"), (String) row.get("model"),
                            (String) row.get("version"), (String) row.get("sha256"),
                            ((Number) row.get("bytes")).longValue(), (String) row.get("signer"),
                            (String) row.get("stagedBy"), Instant.parse((String) row.get("stagedAt")));
                    index.put(key(image.vendor(), image.model(), image.version()), image);
                }
            } catch (IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(FirmwareImages.class).error(
                        "固件索引无法读取 / Cannot read {}: {}", file, e.getMessage());
            }
        }
    }

    /**
     * Checks and keeps an image.
     *
     * @param claimedSha256 the hash the stager states, or null; when given it must match the bytes
     * @throws FirmwareException 400 {@code bad_request} (a field), 413 {@code image_too_large}, 422
     *     {@code hash_mismatch}, 403 for the signature (see {@link FirmwareTrust#verify})
     */
    synchronized FirmwareImage stage(String vendor, String model, String version, byte[] image, String signature,
            String claimedSha256, String stagedBy, Instant now) throws FirmwareException {
        field("vendor", vendor);
        field("model", model);
        field("version", version);
        if (image == null || image.length == 0) {
            throw new FirmwareException(400, "bad_request", "固件镜像为空 / The firmware image is empty");
        }
        if (image.length > maxBytes) {
            throw new FirmwareException(413, "image_too_large", "固件镜像超过上限 " + maxBytes + " 字节 / The firmware "
                    + "image is larger than the limit of " + maxBytes + " bytes", Map.of("maxBytes", maxBytes));
        }
        String sha = FirmwareTrust.sha256(image);
        String what = vendor + "/" + model + " " + version;
        if (claimedSha256 != null && !claimedSha256.isBlank() && !claimedSha256.strip().equalsIgnoreCase(sha)) {
            throw new FirmwareException(422, "hash_mismatch", "固件 " + what + " 的 SHA-256 不符（期望 " + claimedSha256
                    + "，实际 " + sha + "） / Firmware " + what + " refused: its SHA-256 is " + sha + ", not "
                    + claimedSha256, Map.of("expected", claimedSha256, "actual", sha));
        }
        String signer = trust.verify(image, signature, "firmware " + what);
        try {
            write(folder.resolve(sha + ".bin"), image);
            FirmwareImage staged = new FirmwareImage(vendor, model, version, sha, image.length, signer, stagedBy, now);
            index.put(key(vendor, model, version), staged);
            write(folder.resolve("index.json"), mapper.writeValueAsBytes(index.values().stream().map(i -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("vendor", i.vendor());
                row.put("model", i.model());
                row.put("version", i.version());
                row.put("sha256", i.sha256());
                row.put("bytes", i.bytes());
                row.put("signer", i.signer());
                row.put("stagedBy", i.stagedBy());
                row.put("stagedAt", i.stagedAt().toString());
                return row;
            }).toList()));
            return staged;
        } catch (IOException e) {
            throw new FirmwareException(500, "storage_failed", "固件无法保存 / Cannot store firmware " + what + ": "
                    + e.getMessage());
        }
    }

    synchronized List<FirmwareImage> list() {
        return new ArrayList<>(index.values());
    }

    synchronized Optional<FirmwareImage> find(String vendor, String model, String version) {
        return Optional.ofNullable(index.get(key(vendor, model, version)));
    }

    /** The image's bytes, checked against its hash. */
    byte[] bytes(FirmwareImage image) throws FirmwareException {
        try {
            byte[] bytes = Files.readAllBytes(folder.resolve(image.sha256() + ".bin"));
            if (!FirmwareTrust.sha256(bytes).equals(image.sha256())) {
                throw new FirmwareException(500, "image_damaged", "固件文件已损坏，请重新上传 / The stored image of "
                        + image.describe() + " is damaged: stage it again");
            }
            return bytes;
        } catch (IOException e) {
            throw new FirmwareException(500, "image_missing", "固件文件缺失 / The stored image of " + image.describe()
                    + " cannot be read: " + e.getMessage());
        }
    }

    private static void field(String name, String value) throws FirmwareException {
        if (value == null || !TEXT.matcher(value).matches() || value.isBlank()) {
            throw new FirmwareException(400, "bad_request", name + " 须为 1–64 个字符 / " + name
                    + " must be 1-64 characters without control characters", Map.of("field", name));
        }
    }

    private static String key(String vendor, String model, String version) {
        return vendor + "\u0000" + model + "\u0000" + version;
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.write(temp, content);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
