package org.lockergate.management.mqtt.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.management.Artifact;
import org.lockergate.management.BundleOutcome;
import org.lockergate.management.Change;
import org.lockergate.management.ManagementException;
import org.lockergate.management.ManagementService;
import org.lockergate.management.Progress;
import org.lockergate.management.SnapshotInfo;
import org.lockergate.store.LockerStore;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management service behind signed cloud commands (the upstream bundle has verified signature, expiry and request
 * id before a command gets here). Each step of a bundle operation is also written to the outbox as a
 * {@code management.progress} event, so the cloud sees "downloading 40 %", "checking", "rolled back" on
 * {@code events/management.progress} while the command runs; the reply comes at the end.
 *
 * <p>Arguments: {@code bundle.install {url, signature, sha256?, reason?}}, {@code bundle.update {bundle, url,
 * signature, sha256?, reason?}}, {@code bundle.rollback|start|stop|uninstall {bundle, reason?}},
 * {@code config.export {}}, {@code config.import {document, reason?}}, {@code gateway.snapshot {reason?}},
 * {@code gateway.snapshots {}}, {@code gateway.rollback {snapshotId, reason?}}, {@code gateway.inventory {}},
 * {@code gateway.backup {reason?}} (the backup stays on the gateway, under {@code data/backups/}),
 * {@code feature.install {name, reason?}} (a feature of the distribution) or {@code feature.install {url, signature,
 * sha256?, reason?}} (a signed feature archive), {@code feature.uninstall {name, reason?}}.
 */
@Component(service = CommandHandler.class, property = {
    CommandHandler.COMMAND + "=bundle.install", CommandHandler.COMMAND + "=bundle.update",
    CommandHandler.COMMAND + "=bundle.rollback", CommandHandler.COMMAND + "=bundle.start",
    CommandHandler.COMMAND + "=bundle.stop", CommandHandler.COMMAND + "=bundle.uninstall",
    CommandHandler.COMMAND + "=config.export", CommandHandler.COMMAND + "=config.import",
    CommandHandler.COMMAND + "=gateway.snapshot", CommandHandler.COMMAND + "=gateway.snapshots",
    CommandHandler.COMMAND + "=gateway.rollback", CommandHandler.COMMAND + "=gateway.inventory",
    CommandHandler.COMMAND + "=gateway.backup", CommandHandler.COMMAND + "=feature.install",
    CommandHandler.COMMAND + "=feature.uninstall"
})
public class ManagementCommands implements CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementCommands.class);
    static final String PROGRESS_EVENT = "management.progress";

    private final ManagementService management;
    private final ObjectMapper mapper = new ObjectMapper();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerStore store;

    @Activate
    public ManagementCommands(@Reference ManagementService management) {
        this.management = management;
    }

    @Override
    public CommandResult handle(CloudCommand command) throws Exception {
        Change change = new Change("cloud:" + command.requestId(), command.optionalString("reason", null));
        try {
            return switch (command.name()) {
                case "bundle.install" -> outcome(management.install(artifact(command), change, progress(command,
                        command.optionalString("url", "upload"))));
                case "bundle.update" -> {
                    String bundle = command.requiredString("bundle");
                    yield outcome(management.update(bundle, artifact(command), change, progress(command, bundle)));
                }
                case "bundle.rollback" -> {
                    String bundle = command.requiredString("bundle");
                    yield outcome(management.rollback(bundle, change, progress(command, bundle)));
                }
                case "bundle.start" -> outcome(management.start(command.requiredString("bundle"), change));
                case "bundle.stop" -> outcome(management.stop(command.requiredString("bundle"), change));
                case "bundle.uninstall" -> outcome(management.uninstall(command.requiredString("bundle"), change));
                case "config.export" -> CommandResult.ok(Map.of("document",
                        mapper.readValue(management.exportConfiguration(), Map.class)));
                case "config.import" -> {
                    Object document = command.args().get("document");
                    if (!(document instanceof Map<?, ?>)) {
                        throw new CommandException(400, "bad_args", "缺少参数 document / Missing argument document "
                                + "(the JSON object from config.export)", Map.of("arg", "document"));
                    }
                    SnapshotInfo before = management.importConfiguration(mapper.writeValueAsString(document), change);
                    yield CommandResult.ok(Map.of("imported", true, "snapshotBefore", snapshot(before)));
                }
                case "gateway.snapshot" -> CommandResult.ok(snapshot(management.snapshot(change)));
                case "gateway.snapshots" -> CommandResult.ok(Map.of("snapshots",
                        management.snapshots().stream().map(ManagementCommands::snapshot).toList()));
                case "gateway.rollback" -> {
                    String id = command.requiredString("snapshotId");
                    SnapshotInfo before = management.rollbackConfiguration(id, change);
                    yield CommandResult.ok(Map.of("restored", id, "snapshotBefore", snapshot(before)));
                }
                case "gateway.inventory" -> CommandResult.ok(inventory(management.inventory()));
                case "feature.install", "feature.uninstall" -> {
                    org.lockergate.management.FeatureOutcome outcome;
                    if (command.name().equals("feature.install") && command.optionalString("url", null) != null) {
                        // a signed feature archive from outside the distribution
                        outcome = management.installFeature(artifact(command), change,
                                progress(command, command.optionalString("url", "")));
                    } else {
                        String name = command.requiredString("name");
                        outcome = command.name().equals("feature.install")
                                ? management.installFeature(name, change) : management.uninstallFeature(name, change);
                    }
                    yield new CommandResult(outcome.rolledBack() ? 422 : 200, Map.of("feature", outcome.name(),
                            "bundles", outcome.bundles(), "rolledBack", outcome.rolledBack(), "message",
                            outcome.message()));
                }
                case "gateway.backup" -> {
                    org.lockergate.management.BackupInfo info = management.backup(change);
                    yield CommandResult.ok(Map.of("file", info.file().getFileName().toString(), "bytes", info.bytes(),
                            "entries", info.entries(), "sha256", info.sha256(), "createdAt",
                            info.createdAt().toString()));
                }
                default -> throw new CommandException(404, "unknown_command", "未知命令 / Unknown command "
                        + command.name());
            };
        } catch (ManagementException e) {
            throw new CommandException(status(e), e.code(), e.getMessage());
        }
    }

    private static Artifact artifact(CloudCommand command) throws CommandException {
        String url = command.requiredString("url");
        String signature = command.requiredString("signature");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new CommandException(400, "bad_args", "url 无效 / Invalid url: " + e.getMessage(), Map.of("arg", "url"));
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new CommandException(400, "bad_args", "只接受 http/https 地址 / Only http and https URLs are accepted",
                    Map.of("arg", "url"));
        }
        return new Artifact(uri, null, signature, command.optionalString("sha256", null));
    }

    /** Progress as outbox events: durable and in order with everything else the gateway reports. */
    private Progress progress(CloudCommand command, String target) {
        return (stage, percent, message) -> {
            LockerStore s = store;
            if (s == null) {
                return;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("requestId", command.requestId());
            data.put("command", command.name());
            data.put("target", target);
            data.put("stage", stage.name());
            data.put("percent", percent);
            data.put("message", message);
            try {
                String json = mapper.writeValueAsString(data);
                s.write("management progress", tx -> {
                    tx.outbox(OutboxEvent.Stream.EVENTS, PROGRESS_EVENT, Instant.now(), json);
                    return null;
                });
            } catch (Exception e) {
                LOG.warn("Could not report progress of {} {}: {}", command.name(), command.requestId(), e.getMessage());
            }
        };
    }

    private static CommandResult outcome(BundleOutcome outcome) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("bundle", outcome.symbolicName());
        body.put("version", outcome.version());
        body.put("previousVersion", outcome.previousVersion());
        body.put("state", outcome.state());
        body.put("rolledBack", outcome.rolledBack());
        body.put("message", outcome.message());
        body.put("signer", outcome.signer());
        return new CommandResult(outcome.rolledBack() ? 422 : 200, body);
    }

    private static Map<String, Object> snapshot(SnapshotInfo info) {
        return Map.of("id", info.id(), "createdAt", info.createdAt().toString(), "actor", info.actor(), "reason",
                info.reason(), "configurations", info.configurations());
    }

    private static Map<String, Object> inventory(org.lockergate.management.Inventory inventory) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("takenAt", inventory.takenAt().toString());
        body.put("health", inventory.health());
        body.put("features", inventory.features());
        body.put("bundles", inventory.bundles().stream().map(b -> Map.of("id", b.id(), "symbolicName",
                String.valueOf(b.symbolicName()), "version", b.version(), "state", b.state())).toList());
        body.put("system", inventory.system());
        body.put("recentOperations", inventory.recentOperations());
        body.put("recentErrors", inventory.recentErrors());
        body.put("cabinets", inventory.cabinets().stream().map(c -> {
            Map<String, Object> cabinet = new LinkedHashMap<>();
            cabinet.put("groupId", c.groupId());
            cabinet.put("cabinetId", c.cabinetId());
            cabinet.put("vendor", c.vendor());
            cabinet.put("model", c.model());
            cabinet.put("firmware", c.firmware());
            cabinet.put("online", c.online());
            cabinet.put("lastSeen", c.lastSeen() == null ? null : c.lastSeen().toString());
            return cabinet;
        }).toList());
        return body;
    }

    static int status(ManagementException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> 400;
            case UNTRUSTED -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FAILED -> e.code().startsWith("download.") ? 502 : 500;
        };
    }
}
