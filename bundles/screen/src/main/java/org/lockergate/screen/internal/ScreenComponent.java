package org.lockergate.screen.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.OutboxEvent;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.store.LockerStore;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapResponseCode;
import org.lockergate.transport.coap.CoapService;
import org.lockergate.upstream.mqtt.CloudCommand;
import org.lockergate.upstream.mqtt.CommandException;
import org.lockergate.upstream.mqtt.CommandHandler;
import org.lockergate.upstream.mqtt.CommandResult;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * Screen content on the gateway: the signed cloud commands {@code screen.playlist.set}, {@code screen.playlist.delete}
 * and {@code screen.playlists}; the CoAP resources the cabinets use ({@code GET /screen/{groupId}}, observable;
 * {@code GET /screen/media/{sha256}}, Block2; {@code POST /screen/impressions/{cabinetId}}); and a periodic check,
 * on the gateway clock, that tells observers when a schedule starts or ends a playlist and reports the plays
 * upstream as {@value ScreenService#IMPRESSIONS_EVENT}.
 *
 * <p>Nothing here is on the path of a deposit or a pickup: the kiosk and cabinet handlers never wait on it, and the
 * cabinet shows the playlist only while no one uses the kiosk (protocol §11).
 */
@Component(service = CommandHandler.class, configurationPid = ScreenConfig.PID, immediate = true, property = {
    CommandHandler.COMMAND + "=screen.playlist.set", CommandHandler.COMMAND + "=screen.playlist.delete",
    CommandHandler.COMMAND + "=screen.playlists"})
@Designate(ocd = ScreenConfig.class)
public class ScreenComponent implements CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ScreenComponent.class);
    static final int OCTET_STREAM = 42;

    @Reference
    LockerQueries queries;

    @Reference
    CoapService coap;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LockerStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<ServiceRegistration<CoapHandler>> handlers = new ArrayList<>();
    private final Map<String, String> notifiedVersion = new ConcurrentHashMap<>();
    private ScreenService screen;
    private ScheduledExecutorService ticker;
    private Duration period;

    @Activate
    void activate(BundleContext context, ScreenConfig config) {
        String data = context.getProperty("lockergate.data");
        Path folder = config.folder().isBlank() ? Path.of(data == null ? "data" : data).resolve("screen")
                : Path.of(config.folder());
        screen = new ScreenService(folder, config.maxItems(), config.maxMediaBytes(),
                Duration.ofSeconds(config.downloadTimeoutSeconds()));
        screen.load(now());
        period = Duration.ofSeconds(Math.max(1, config.reportSeconds()));
        handlers.add(register(context, "/screen/{groupId}", "GET", true, this::playlist));
        handlers.add(register(context, "/screen/media/{sha256}", "GET", false, this::media));
        handlers.add(register(context, "/screen/impressions/{cabinetId}", "POST", false, this::impressions));
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "LockerGate-screen");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(1, config.tickSeconds());
        ticker.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.SECONDS);
        LOG.info("屏幕内容已启动：{} 个播放列表，缓存 {} / Screen content started: {} playlists, cache {}",
                screen.playlists().size(), folder, screen.playlists().size(), folder);
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<CoapHandler> registration : handlers) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle
            }
        }
        handlers.clear();
        ticker.shutdownNow();
    }

    ScreenService service() {
        return screen;
    }

    // ------------------------------------------------------------------------------------------------ MQTT

    @Override
    public CommandResult handle(CloudCommand command) throws Exception {
        try {
            return switch (command.name()) {
                case "screen.playlist.set" -> {
                    Playlist playlist = screen.set(command.args().get("playlist"),
                            g -> queries.group(g).isPresent());
                    playlist.groups().forEach(this::changed);
                    LOG.info("播放列表 {} 已缓存并生效 / Playlist {} cached ({} items) for {}", playlist.playlistId(),
                            playlist.playlistId(), playlist.items().size(), playlist.groups());
                    yield CommandResult.ok(Map.of("playlistId", playlist.playlistId(), "groups",
                            playlist.groups().stream().sorted().toList(), "items", playlist.items().size(), "cached",
                            true));
                }
                case "screen.playlist.delete" -> {
                    String id = command.requiredString("playlistId");
                    Set<String> groups = screen.delete(id);
                    if (groups.isEmpty()) {
                        throw new CommandException(404, "not_found", "未知的播放列表 " + id + " / Unknown playlist "
                                + id, Map.of("playlistId", id));
                    }
                    groups.forEach(this::changed);
                    yield CommandResult.ok(Map.of("playlistId", id, "deleted", true));
                }
                case "screen.playlists" -> CommandResult.ok(Map.of("playlists", screen.playlists().stream()
                        .map(p -> Map.of("playlistId", p.playlistId(), "notice", p.notice(), "priority",
                                p.priority(), "groups", p.groups().stream().sorted().toList(), "items",
                                p.items().size())).toList(), "unreportedPlays", screen.unreported().values()
                        .stream().mapToLong(Long::longValue).sum()));
                default -> throw new CommandException(404, "unknown_command", "未知命令 / Unknown command "
                        + command.name());
            };
        } catch (ScreenException e) {
            LOG.warn("播放列表被拒绝 / Playlist refused ({}): {}", command.requestId(), e.getMessage());
            // the reply schema knows 200/400/403/404/409/500: bad media (422, 413, 502) is the cloud's input → 400
            int status = e.status() >= 500 && e.status() != 502 ? 500 : e.status() >= 400 && e.status() < 500
                    && e.status() != 422 && e.status() != 413 ? e.status() : 400;
            throw new CommandException(status, e.code(), e.getMessage(), e.extra());
        }
    }

    // ------------------------------------------------------------------------------------------------ CoAP

    private void playlist(CoapCall call) {
        String groupId = call.pathVariable("groupId");
        if (queries.group(groupId).isEmpty()) {
            call.respondError(CoapResponseCode.NOT_FOUND, "unknown_group", "未知的柜组 " + groupId
                    + " / Unknown cabinet group " + groupId, Map.of("groupId", groupId));
            return;
        }
        call.respond(CoapResponseCode.CONTENT, screen.current(groupId, now(), zone()));
    }

    private void media(CoapCall call) {
        String sha = call.pathVariable("sha256");
        Optional<byte[]> bytes = PlaylistParser.SHA256.matcher(sha).matches() ? screen.media().read(sha)
                : Optional.empty();
        if (bytes.isEmpty()) {
            call.respondError(CoapResponseCode.NOT_FOUND, "unknown_media", "没有该素材 / No cached media " + sha);
            return;
        }
        call.respondBytes(CoapResponseCode.CONTENT, bytes.get(), OCTET_STREAM);
    }

    private void impressions(CoapCall call) {
        String cabinetId = call.pathVariable("cabinetId");
        if (call.peerIdentity().isPresent() && !call.peerIdentity().get().equals(cabinetId)) {
            call.respondError(CoapResponseCode.FORBIDDEN, "forbidden", "柜子只能上报自己的播放次数 / A cabinet may only "
                    + "report its own plays", Map.of("identity", call.peerIdentity().get()));
            return;
        }
        Optional<Cabinet> cabinet = queries.cabinets(null).stream().filter(c -> c.cabinetId().equals(cabinetId))
                .findFirst();
        if (cabinet.isEmpty()) {
            call.respondError(CoapResponseCode.NOT_FOUND, "unknown_cabinet", "未知的柜子 " + cabinetId
                    + " / Unknown cabinet " + cabinetId);
            return;
        }
        try {
            long counted = screen.countPlays(cabinetId, cabinet.get().groupId(), call.json());
            call.respond(CoapResponseCode.CHANGED, Map.of("counted", counted));
        } catch (ScreenException e) {
            call.respondError(CoapResponseCode.BAD_REQUEST, e.code(), e.getMessage(), e.extra());
        }
    }

    // ------------------------------------------------------------------------------------------------ periodic

    /** Schedules that started or ended: observers are told; a report when due. Package-visible for tests. */
    void tick() {
        try {
            Instant now = now();
            for (CabinetGroup group : queries.groups()) {
                String version = String.valueOf(screen.current(group.groupId(), now, zone()).get("version"));
                String before = notifiedVersion.put(group.groupId(), version);
                if (before != null && !before.equals(version)) {
                    coap.changed("/screen/" + group.groupId());
                }
            }
            screen.reportIfDue(now, period, this::writeReport).ifPresent(report -> LOG.info(
                    "屏幕展示次数已上报 / Screen impressions reported: {} rows, {} – {}",
                    ((List<?>) report.get("impressions")).size(), report.get("from"), report.get("until")));
        } catch (RuntimeException e) {
            LOG.error("屏幕内容定时检查失败 / Screen content check failed", e);
        }
    }

    private boolean writeReport(Map<String, Object> report) {
        LockerStore s = store;
        if (s == null) {
            return false;
        }
        try {
            String json = mapper.writeValueAsString(report);
            s.write("screen.impressions", tx -> {
                tx.outbox(OutboxEvent.Stream.EVENTS, ScreenService.IMPRESSIONS_EVENT, now(), json);
                return null;
            });
            return true;
        } catch (Exception e) {
            LOG.warn("屏幕展示次数暂不能写入 / Cannot write the impressions report yet: {}", e.getMessage());
            return false;
        }
    }

    private void changed(String groupId) {
        notifiedVersion.put(groupId, String.valueOf(screen.current(groupId, now(), zone()).get("version")));
        coap.changed("/screen/" + groupId);
    }

    private Instant now() {
        GatewayClock c = clock;
        return c == null ? Instant.now() : c.now();
    }

    private ZoneId zone() {
        GatewayClock c = clock;
        return c == null ? ZoneId.of("Asia/Shanghai") : c.zone();
    }

    private static ServiceRegistration<CoapHandler> register(BundleContext context, String path, String methods,
            boolean observable, CoapHandler handler) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(CoapHandler.PATH, path);
        props.put(CoapHandler.METHODS, methods);
        if (observable) {
            props.put(CoapHandler.OBSERVABLE, Boolean.TRUE);
        }
        return context.registerService(CoapHandler.class, handler, props);
    }
}
