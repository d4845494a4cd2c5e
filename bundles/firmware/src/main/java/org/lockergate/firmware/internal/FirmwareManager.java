package org.lockergate.firmware.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.lockergate.api.locker.AlarmService;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.spi.CabinetDriverFactory;
import org.lockergate.api.spi.FirmwareUpdater;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.store.LockerStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cabinet firmware on the gateway: staged images ({@link FirmwareImages}), rollouts ({@link Wave}) through the
 * vendor bundles' {@link FirmwareUpdater}s, progress as {@value #PROGRESS_EVENT} outbox events and audit rows, and
 * the alarm {@code firmware_failed} for a cabinet that failed. One rollout runs at a time per vendor and model.
 */
@Component(service = FirmwareManager.class, configurationPid = FirmwareConfig.PID, immediate = true)
@Designate(ocd = FirmwareConfig.class)
public class FirmwareManager {

    private static final Logger LOG = LoggerFactory.getLogger(FirmwareManager.class);
    static final String PROGRESS_EVENT = "firmware.progress";

    @Reference
    LockerQueries queries;

    @Reference
    AlarmService alarms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    private final Map<String, FirmwareUpdater> updaters = new ConcurrentHashMap<>();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Rollout> rollouts = new ConcurrentHashMap<>();
    private FirmwareImages images;
    private Wave.Settings settings;
    private ExecutorService runner;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addUpdater(FirmwareUpdater updater, Map<String, Object> properties) {
        if (properties.get(CabinetDriverFactory.VENDOR) instanceof String vendor) {
            updaters.put(vendor, updater);
        }
    }

    void removeUpdater(FirmwareUpdater updater, Map<String, Object> properties) {
        updaters.values().remove(updater);
    }

    @Activate
    void activate(BundleContext context, FirmwareConfig config) {
        String data = context.getProperty("lockergate.data");
        Path dataFolder = Path.of(data == null ? "data" : data);
        FirmwareTrust trust = new FirmwareTrust(config.trustFolder().isBlank()
                ? dataFolder.resolve("secrets").resolve("trust") : Path.of(config.trustFolder()));
        images = new FirmwareImages(config.folder().isBlank() ? dataFolder.resolve("firmware").resolve("images")
                : Path.of(config.folder()), trust, config.maxImageBytes());
        settings = new Wave.Settings(Duration.ofSeconds(config.busyRetrySeconds()),
                Duration.ofSeconds(config.busyGiveUpSeconds()), Duration.ofSeconds(config.transferTimeoutSeconds()),
                Duration.ofSeconds(config.rebootTimeoutSeconds()), Duration.ofMillis(Math.max(10, config.pollMillis())),
                Math.max(1, config.attempts()));
        runner = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "LockerGate-firmware-rollout");
            thread.setDaemon(true);
            return thread;
        });
        LOG.info("固件升级已就绪：{} 个镜像，信任库 {} / Cabinet firmware ready: {} images, trust store {}",
                images.list().size(), trust.folder(), images.list().size(), trust.folder());
    }

    @Deactivate
    void deactivate() {
        runner.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------ staging

    FirmwareImage stage(String vendor, String model, String version, byte[] image, String signature, String sha256,
            String actor) throws FirmwareException {
        FirmwareImage staged = images.stage(vendor, model, version, image, signature, sha256, actor, now());
        audit(actor, "firmware.staged", staged.describe(), "sha256 " + staged.sha256() + ", " + staged.bytes()
                + " bytes, signed by " + staged.signer());
        LOG.info("固件已暂存 / Firmware staged: {} ({} bytes, SHA-256 {}, key {}) by {}", staged.describe(),
                staged.bytes(), staged.sha256(), staged.signer(), actor);
        return staged;
    }

    List<FirmwareImage> images() {
        return images.list();
    }

    // ------------------------------------------------------------------------------------------------ rollout

    /**
     * Starts a rollout of a staged image to every cabinet of its vendor and model that is not on that version yet.
     *
     * @throws FirmwareException 404 {@code not_staged} / {@code no_cabinets}, 409 {@code rollout_running},
     *     409 {@code no_updater} when the vendor bundle cannot update firmware
     */
    Rollout rollout(String vendor, String model, String version, String actor) throws FirmwareException {
        FirmwareImage image = images.find(vendor, model, version).orElseThrow(() -> new FirmwareException(404,
                "not_staged", "未暂存该固件 / No staged firmware " + vendor + "/" + model + " " + version,
                Map.of("vendor", vendor, "model", model, "version", version)));
        FirmwareUpdater updater = updaters.get(vendor);
        if (updater == null) {
            throw new FirmwareException(409, "no_updater", "厂商 " + vendor + " 的柜子不支持远程固件升级 / Cabinets of "
                    + "vendor " + vendor + " cannot be updated remotely (no firmware updater registered)",
                    Map.of("vendor", vendor));
        }
        byte[] bytes = images.bytes(image);
        List<Wave.Target> targets = queries.cabinets(null).stream()
                .filter(c -> vendor.equals(c.vendor()) && model.equals(c.model()))
                .filter(c -> !version.equals(c.firmware()))
                .sorted(Comparator.comparing(Cabinet::cabinetId))
                .map(c -> new Wave.Target(c.cabinetId(), c.groupId(), String.valueOf(c.firmware())))
                .toList();
        if (targets.isEmpty()) {
            throw new FirmwareException(404, "no_cabinets", "没有需要升级的 " + vendor + "/" + model + " 柜子 / No cabinet "
                    + "of " + vendor + "/" + model + " needs " + version, Map.of("vendor", vendor, "model", model));
        }
        synchronized (rollouts) {
            for (Rollout running : rollouts.values()) {
                if (running.running() && running.image.vendor().equals(vendor) && running.image.model().equals(model)) {
                    throw new FirmwareException(409, "rollout_running", "该型号已有升级在进行 / A rollout for " + vendor
                            + "/" + model + " is running: " + running.id, Map.of("rolloutId", running.id));
                }
            }
            Rollout rollout = new Rollout("fw-" + UUID.randomUUID().toString().substring(0, 8), image, actor, now(),
                    targets);
            rollouts.put(rollout.id, rollout);
            audit(actor, "firmware.rollout", image.describe(), rollout.id + ": " + targets.size() + " cabinets, first "
                    + targets.get(0).cabinetId());
            Wave wave = new Wave(version, targets, fleet(updater, image, bytes), listener(rollout), settings,
                    Instant::now, duration -> Thread.sleep(Math.max(1, duration.toMillis())));
            rollout.done = CompletableFuture.runAsync(() -> {
                try {
                    rollout.outcomes.putAll(wave.run());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.error("固件升级 {} 出错 / Rollout {} failed", rollout.id, rollout.id, e);
                } finally {
                    rollout.finishedAt = now();
                    LOG.info("固件升级 {} 结束 / Rollout {} of {} finished: {}", rollout.id, rollout.id,
                            image.describe(), rollout.outcomes);
                }
            }, runner);
            return rollout;
        }
    }

    Optional<Rollout> rollout(String id) {
        return Optional.ofNullable(rollouts.get(id));
    }

    Collection<Rollout> rollouts() {
        return rollouts.values();
    }

    private Wave.Fleet fleet(FirmwareUpdater updater, FirmwareImage image, byte[] bytes) {
        return new Wave.Fleet() {
            @Override
            public Optional<String> busy(Wave.Target target) {
                for (Compartment c : queries.compartments(target.groupId())) {
                    if (!c.cabinetId().equals(target.cabinetId())) {
                        continue;
                    }
                    if (!c.doorClosed()) {
                        return Optional.of("door " + c.label() + " open");
                    }
                    if (c.state() == CompartmentState.OPENING || c.state() == CompartmentState.RESERVED) {
                        return Optional.of("compartment " + c.label() + " " + c.state());
                    }
                }
                return Optional.empty();
            }

            @Override
            public Optional<Wave.Status> status(Wave.Target target) {
                return queries.cabinets(target.groupId()).stream()
                        .filter(c -> c.cabinetId().equals(target.cabinetId()))
                        .findFirst().map(c -> new Wave.Status(String.valueOf(c.firmware()), c.online()));
            }

            @Override
            public CompletableFuture<FirmwareUpdater.Verdict> transfer(Wave.Target target, Duration timeout) {
                try {
                    return updater.transfer(target.cabinetId(), image.model(), image.version(), image.sha256(), bytes,
                            timeout);
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        };
    }

    private Wave.Listener listener(Rollout rollout) {
        return new Wave.Listener() {
            @Override
            public void progress(Wave.Target target, String stage, int attempt, String message) {
                rollout.stages.put(target.cabinetId(), stage);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("rolloutId", rollout.id);
                data.put("vendor", rollout.image.vendor());
                data.put("model", rollout.image.model());
                data.put("version", rollout.image.version());
                data.put("cabinetId", target.cabinetId());
                data.put("groupId", target.groupId());
                data.put("fromVersion", target.firmware());
                data.put("stage", stage);
                data.put("attempt", attempt);
                data.put("message", message);
                rollout.events.add(data);
                LOG.info("固件升级 {} 柜 {}: {} — {}", rollout.id, target.cabinetId(), stage, message);
                LockerStore s = store;
                if (s == null) {
                    return;
                }
                try {
                    String json = mapper.writeValueAsString(data);
                    s.write("firmware progress", tx -> {
                        tx.outbox(OutboxEvent.Stream.EVENTS, PROGRESS_EVENT, now(), json);
                        if (!stage.equals("waiting") && !stage.equals("transferring")) {
                            tx.audit(now(), rollout.actor, "firmware." + stage, target.cabinetId(),
                                    rollout.image.describe() + ": " + message);
                        }
                        return null;
                    });
                } catch (Exception e) {
                    LOG.warn("Cannot record firmware progress of {}: {}", target.cabinetId(), e.getMessage());
                }
            }

            @Override
            public void failed(Wave.Target target, String message) {
                try {
                    alarms.raise(AlarmType.FIRMWARE_FAILED, target.groupId(), target.cabinetId(), null,
                            "固件 " + rollout.image.version() + " 升级失败，柜子仍为 " + target.firmware() + " / Firmware "
                                    + rollout.image.version() + " failed, the cabinet stays on " + target.firmware()
                                    + ": " + message);
                } catch (RuntimeException e) {
                    LOG.error("Cannot raise firmware_failed for {}: {}", target.cabinetId(), e.getMessage());
                }
            }
        };
    }

    private void audit(String actor, String action, String target, String detail) {
        LockerStore s = store;
        if (s == null) {
            return;
        }
        try {
            s.write(action, tx -> {
                tx.audit(now(), actor, action, target, detail);
                return null;
            });
        } catch (Exception e) {
            LOG.warn("Cannot audit {}: {}", action, e.getMessage());
        }
    }

    private Instant now() {
        GatewayClock c = clock;
        return c == null ? Instant.now() : c.now();
    }

    /** One rollout and what happened to each cabinet. */
    static final class Rollout {
        final String id;
        final FirmwareImage image;
        final String actor;
        final Instant startedAt;
        final List<Wave.Target> targets;
        final Map<String, Wave.Outcome> outcomes = new ConcurrentHashMap<>();
        final Map<String, String> stages = new ConcurrentHashMap<>();
        final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
        volatile Instant finishedAt;
        volatile CompletableFuture<Void> done;

        Rollout(String id, FirmwareImage image, String actor, Instant startedAt, List<Wave.Target> targets) {
            this.id = id;
            this.image = image;
            this.actor = actor;
            this.startedAt = startedAt;
            this.targets = targets;
        }

        boolean running() {
            return finishedAt == null;
        }

        Map<String, Object> describe() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("rolloutId", id);
            body.put("vendor", image.vendor());
            body.put("model", image.model());
            body.put("version", image.version());
            body.put("sha256", image.sha256());
            body.put("startedAt", startedAt.toString());
            body.put("running", running());
            body.put("canary", targets.get(0).cabinetId());
            List<Map<String, Object>> cabinets = new ArrayList<>();
            for (Wave.Target target : targets) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("cabinetId", target.cabinetId());
                row.put("groupId", target.groupId());
                row.put("fromVersion", target.firmware());
                row.put("stage", stages.getOrDefault(target.cabinetId(), "queued"));
                Wave.Outcome outcome = outcomes.get(target.cabinetId());
                row.put("result", outcome == null ? null : outcome.result().name().toLowerCase(java.util.Locale.ROOT));
                row.put("message", outcome == null ? null : outcome.message());
                cabinets.add(row);
            }
            body.put("cabinets", cabinets);
            return body;
        }
    }
}
