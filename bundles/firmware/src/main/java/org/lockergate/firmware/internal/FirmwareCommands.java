package org.lockergate.firmware.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The signed cloud commands of cabinet firmware (verified by the upstream bundle before they get here):
 * {@code firmware.stage {vendor, model, version, url, signature, sha256}} downloads, checks and keeps an image;
 * {@code firmware.rollout {vendor, model, version}} starts a rollout and answers with its plan at once (the result
 * of each cabinet follows as {@code events/firmware.progress}); {@code firmware.status {rolloutId}} answers the
 * rollout's state; {@code firmware.images {}} lists the staged images.
 */
@Component(service = CommandHandler.class, property = {
    CommandHandler.COMMAND + "=firmware.stage", CommandHandler.COMMAND + "=firmware.rollout",
    CommandHandler.COMMAND + "=firmware.status", CommandHandler.COMMAND + "=firmware.images"})
public class FirmwareCommands implements CommandHandler {

    private static final long MAX_DOWNLOAD = 64L * 1024 * 1024;

    private final FirmwareManager firmware;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    @Activate
    public FirmwareCommands(@Reference FirmwareManager firmware) {
        this.firmware = firmware;
    }

    @Override
    public CommandResult handle(CloudCommand command) throws Exception {
        String actor = "cloud:" + command.requestId();
        try {
            return switch (command.name()) {
                case "firmware.stage" -> {
                    String vendor = command.requiredString("vendor");
                    String model = command.requiredString("model");
                    String version = command.requiredString("version");
                    String signature = command.requiredString("signature");
                    String sha256 = command.requiredString("sha256");
                    byte[] image = download(command.requiredString("url"));
                    yield CommandResult.ok(FirmwareServlet.image(firmware.stage(vendor, model, version, image,
                            signature, sha256, actor)));
                }
                case "firmware.rollout" -> CommandResult.ok(firmware.rollout(command.requiredString("vendor"),
                        command.requiredString("model"), command.requiredString("version"), actor).describe());
                case "firmware.status" -> {
                    String id = command.requiredString("rolloutId");
                    yield CommandResult.ok(firmware.rollout(id).orElseThrow(() -> new CommandException(404,
                            "not_found", "未知的升级 " + id + " / Unknown rollout " + id)).describe());
                }
                case "firmware.images" -> CommandResult.ok(Map.of("images", firmware.images().stream()
                        .map(FirmwareServlet::image).toList()));
                default -> throw new CommandException(404, "unknown_command", "未知命令 / Unknown command "
                        + command.name());
            };
        } catch (FirmwareException e) {
            throw new CommandException(e.status() >= 500 ? 500 : e.status() == 413 || e.status() == 422 ? 400
                    : e.status(), e.code(), e.getMessage(), e.extra());
        }
    }

    private byte[] download(String url) throws CommandException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new CommandException(400, "bad_args", "url 无效 / Invalid url", Map.of("arg", "url"));
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new CommandException(400, "bad_args", "只接受 http/https 地址 / Only http and https URLs are accepted",
                    Map.of("arg", "url"));
        }
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(120)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new CommandException(400, "download_failed", "固件下载失败 / Cannot download the firmware: HTTP "
                            + response.statusCode(), Map.of("url", url));
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[16384];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    if (out.size() > MAX_DOWNLOAD) {
                        throw new CommandException(400, "image_too_large", "固件过大 / The firmware image is too large",
                                Map.of("url", url));
                    }
                }
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new CommandException(400, "download_failed", "固件下载失败 / Cannot download the firmware: "
                    + e.getMessage(), Map.of("url", url));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(500, "interrupted", "中断 / Interrupted");
        }
    }
}
