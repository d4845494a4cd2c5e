package org.lockergate.core.internal.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.lockergate.api.spi.Notifier;
import org.lockergate.api.spi.PickupNotification;
import org.lockergate.core.internal.events.Json;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEVELOPMENT ONLY — writes pickup codes to a file. Appends one JSON object per line to
 * {@code {lockergate.data}/logs/notifications.log} with exactly {@code parcelId, groupId, cabinetId, compartment,
 * code, phoneMasked, freeUntil} (DESIGN.md §4) for the demo's traffic generator and for tests. Active only with its
 * configuration ({@code org.lockergate.core.devnotifier}), which the demo ships and production must never have.
 */
@Component(service = Notifier.class, configurationPid = DevNotifier.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DevNotifier.Config.class)
public class DevNotifier implements Notifier {

    public static final String PID = "org.lockergate.core.devnotifier";
    private static final Logger LOG = LoggerFactory.getLogger(DevNotifier.class);

    @ObjectClassDefinition(name = "LockerGate development notifier",
            description = "DEVELOPMENT ONLY: writes pickup codes to {data}/logs/notifications.log")
    public @interface Config {
        @AttributeDefinition(name = "File", description = "Empty: {lockergate.data}/logs/notifications.log",
                required = false)
        String file() default "";

        @AttributeDefinition(name = "Time zone of freeUntil")
        String zone() default "Asia/Shanghai";
    }

    private final Path file;
    private final ZoneId zone;

    @Activate
    public DevNotifier(Config config, BundleContext context) {
        this(config.file() == null || config.file().isBlank()
                ? dataDir(context.getProperty("lockergate.data")).resolve("logs").resolve("notifications.log")
                : Path.of(config.file().strip()), zone(config.zone()));
    }

    public DevNotifier(Path file, ZoneId zone) {
        this.file = file;
        this.zone = zone;
        LOG.warn("开发用通知器已启用：取件码会写入 {}，仅用于演示和测试，切勿用于生产 / Development notifier active: it writes "
                + "pickup codes to {} - for demos and tests only, never in production", file, file);
    }

    @Override
    public synchronized void notify(PickupNotification n) {
        String line = Json.write(Json.obj("parcelId", n.parcelId(), "groupId", n.groupId(), "cabinetId",
                n.cabinetId(), "compartment", n.compartment(), "code", n.code(), "phoneMasked", n.phoneMasked(),
                "freeUntil", n.freeUntil() == null ? null : OffsetDateTime.ofInstant(n.freeUntil(), zone).toString()));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("Development notifier could not write {}: {}", file, e.toString());
        }
    }

    static Path dataDir(String property) {
        return Path.of(property == null || property.isBlank() ? "./data" : property);
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }
}
