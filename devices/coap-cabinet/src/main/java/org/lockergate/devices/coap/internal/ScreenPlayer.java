package org.lockergate.devices.coap.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Endpoint;
import org.lockergate.devices.coap.ScreenItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cabinet's screen: observes {@code /screen/{groupId}} (RFC 7641) from the cabinet's own endpoint, fetches each
 * new media file with {@code GET /screen/media/{sha256}} (Block2, RFC 7959) and keeps it only when its hash matches,
 * counts the plays of the items it shows while idle, and reports them with {@code POST /screen/impressions/{id}}.
 */
public final class ScreenPlayer {

    private static final Logger LOG = LoggerFactory.getLogger(ScreenPlayer.class);

    private final String cabinetId;
    private final String groupId;
    private final URI gateway;
    private final Duration timeout;
    private final Map<String, byte[]> media = new ConcurrentHashMap<>();
    private final Map<String, Long> plays = new LinkedHashMap<>();
    private volatile List<ScreenItem> items = List.of();
    private volatile String version = "";
    private volatile int notifications;
    private CoapClient client;
    private CoapObserveRelation relation;
    private Endpoint endpoint;
    private String pendingReportId;
    /** Media is fetched here, never on Californium's protocol thread (which delivers the notifications). */
    private java.util.concurrent.ExecutorService worker;

    public ScreenPlayer(String cabinetId, String groupId, URI gateway, Duration timeout) {
        this.cabinetId = cabinetId;
        this.groupId = groupId;
        this.gateway = gateway;
        this.timeout = timeout;
    }

    /** Starts observing from the cabinet's endpoint (after every start of the cabinet). */
    public synchronized void start(Endpoint endpoint) {
        this.endpoint = endpoint;
        worker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "lockergate-cabinet-" + cabinetId + "-screen");
            thread.setDaemon(true);
            return thread;
        });
        java.util.concurrent.ExecutorService updates = worker;
        client = new CoapClient(gateway.resolve("/screen/" + groupId));
        client.setEndpoint(endpoint);
        client.setTimeout(timeout.toMillis());
        relation = client.observe(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                if (response.getCode() == ResponseCode.CONTENT) {
                    notifications++;
                    JsonNode body = Json.decodeLenient(response.advanced());
                    try {
                        updates.execute(() -> update(body));
                    } catch (java.util.concurrent.RejectedExecutionException stopped) {
                        // the cabinet is stopping
                    }
                }
            }

            @Override
            public void onError() {
                LOG.debug("cabinet {}: screen observe failed", cabinetId);
            }
        });
    }

    public synchronized void stop() {
        if (relation != null) {
            relation.proactiveCancel();
            relation = null;
        }
        if (client != null) {
            client.shutdown();
            client = null;
        }
        if (worker != null) {
            worker.shutdownNow();
            worker = null;
        }
    }

    public List<ScreenItem> items() {
        return items;
    }

    public String version() {
        return version;
    }

    public int notifications() {
        return notifications;
    }

    private void update(JsonNode body) {
        List<ScreenItem> next = new ArrayList<>();
        for (JsonNode item : body.path("items")) {
            String sha = item.path("sha256").asText();
            boolean cached = media.containsKey(sha) || fetch(sha, item.path("media").asText());
            next.add(new ScreenItem(item.path("playlistId").asText(), item.path("itemId").asText(),
                    item.path("type").asText(), item.path("notice").asBoolean(),
                    item.path("durationSeconds").asInt(), sha, cached));
        }
        items = List.copyOf(next);
        version = body.path("version").asText();
        LOG.info("柜 {} 屏幕播放列表 {}：{} 项 — cabinet {} screen playlist {}: {} items", cabinetId, version,
                next.size(), cabinetId, version, next.size());
    }

    private boolean fetch(String sha256, String path) {
        Endpoint current;
        synchronized (this) {
            current = endpoint;
        }
        if (current == null || path.isEmpty()) {
            return false;
        }
        Request request = new Request(Code.GET);
        request.setURI(gateway.resolve(path));
        try {
            Response response = Coap.call(current, request, timeout);
            if (response == null || response.getCode() != ResponseCode.CONTENT) {
                return false;
            }
            byte[] bytes = response.getPayload();
            if (!sha256(bytes).equals(sha256)) {
                LOG.warn("cabinet {}: media {} has the wrong hash, not shown", cabinetId, sha256);
                return false;
            }
            media.put(sha256, bytes);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Shows every cached item once (the caller checked the cabinet is idle); returns how many were shown. */
    public synchronized int playOnce() {
        int shown = 0;
        for (ScreenItem item : items) {
            if (item.cached()) {
                plays.merge(item.playlistId() + "|" + item.itemId(), 1L, Long::sum);
                shown++;
            }
        }
        return shown;
    }

    public synchronized Map<String, Long> unreported() {
        return Map.copyOf(plays);
    }

    /** Reports the plays counted; the same report id is used again until the gateway answers 2.04. */
    public boolean report() throws InterruptedException {
        ObjectNode body;
        Map<String, Long> sent;
        Endpoint current;
        synchronized (this) {
            if (plays.isEmpty()) {
                return true;
            }
            if (pendingReportId == null) {
                pendingReportId = UUID.randomUUID().toString();
            }
            sent = Map.copyOf(plays);
            body = Json.object().put("reportId", pendingReportId);
            ArrayNode list = body.putArray("plays");
            sent.forEach((key, n) -> {
                String[] parts = key.split("\\|", 2);
                list.addObject().put("playlistId", parts[0]).put("itemId", parts[1]).put("count", n);
            });
            current = endpoint;
        }
        Request request = new Request(Code.POST);
        request.setURI(gateway.resolve("/screen/impressions/" + cabinetId));
        Json.write(request, body, Json.JSON);
        Response response = Coap.call(current, request, timeout);
        if (response == null || response.getCode() != ResponseCode.CHANGED) {
            return false;
        }
        synchronized (this) {
            sent.forEach((key, n) -> plays.computeIfPresent(key, (k, v) -> v - n == 0 ? null : v - n));
            pendingReportId = null;
        }
        return true;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
