package org.lockergate.devices.coap;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.lockergate.devices.coap.internal.Backoff;
import org.lockergate.devices.coap.internal.Coap;
import org.lockergate.devices.coap.internal.EventQueue;
import org.lockergate.devices.coap.internal.FirmwareResource;
import org.lockergate.devices.coap.internal.ScreenPlayer;
import org.lockergate.devices.coap.internal.Json;
import org.lockergate.devices.coap.internal.LocksResource;
import org.lockergate.devices.coap.internal.NetworkConditions;
import org.lockergate.devices.coap.internal.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A simulated master cabinet with its own controller, speaking the cabinet API of the LockerGate CoAP protocol v1
 * (coap-cabinet-v1.md) to a gateway.
 *
 * <p>On {@link #start()} it opens one CoAP endpoint (UDP, or DTLS-PSK for a {@code coaps://} gateway) on which it
 * both serves {@code POST /locks/{label}} and sends its own requests, so the gateway's unlocks reach the address the
 * cabinet registered from. It registers ({@code POST /rd?ep=…&lt=…} with its descriptor), refreshes the
 * registration every heartbeat, registers again when the gateway has forgotten it, reports every sensor change as
 * an event with a per-boot sequence number, re-sends events until the gateway acknowledges them, and deregisters on
 * {@link #stop()}.
 *
 * <p>Each compartment has a door sensor (closed at start), an item sensor (empty at start) and can be jammed. Tests
 * and the {@link TrafficGenerator} play the people in front of the cabinet ({@link #putItem}, {@link #closeDoor},
 * …) and its misbehaviour ({@link #offline}, {@link #lossPercent}, {@link #slow}, {@link #garbage}, {@link #jam}).
 *
 * <p>Thread-safe. The cabinet uses two threads of its own (registration and heartbeats; event delivery), one timer
 * thread and Californium's endpoint threads (one each by default).
 */
public final class SimulatedCabinet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedCabinet.class);

    /** Heartbeat in seconds when the registration answer names none. */
    public static final int DEFAULT_HEARTBEAT_SECONDS = 10;

    private final String cabinetId;
    private final String groupId;
    private final String vendor;
    private final String model;
    private volatile String firmware;
    private final List<CompartmentSpec> specs;
    private final URI gateway;
    private final Coap.Psk psk;
    private final InetSocketAddress bind;
    private final Clock clock;
    private final long lifetimeSeconds;
    private final Duration heartbeatOverride;
    private final Duration ackTimeout;
    private final Duration requestTimeout;
    private final Duration retryFirst;
    private final Duration retryMax;
    private final int maxBatch;
    private final int contentFormat;

    private final NetworkConditions network = new NetworkConditions();
    private final List<CabinetListener> listeners = new CopyOnWriteArrayList<>();

    /** Guards everything below; waited on by the two loops. */
    private final Object lock = new Object();
    private final Map<String, Door> doors = new LinkedHashMap<>();
    private final EventQueue events;
    private int boot;
    private boolean startedOnce;
    private boolean running;
    private boolean offline;
    private boolean registered;
    private boolean refreshNow;
    private String location;
    private Duration heartbeat = Duration.ofSeconds(DEFAULT_HEARTBEAT_SECONDS);
    private boolean cameraOk = true;
    private PowerSource power = PowerSource.MAINS;
    private Duration slow = Duration.ZERO;
    private long deliveryNotBefore;
    private int registrations;
    private int heartbeats;
    private int unlocks;
    private int rejectedEvents;
    private GarbageResult lastGarbage;
    private final boolean screenEnabled;
    private ScreenPlayer screen;
    private boolean failFirmwareVerification;
    private int rebootAfterFirmwareBlocks = -1;
    /** Set from the moment a mid-transfer reboot fault fires until the controller is back: nothing is answered. */
    private volatile boolean rebootingMidTransfer;
    private int firmwareUpdates;
    private String lastFirmwareRefusal;

    private CoapServer server;
    private CoapEndpoint endpoint;
    private ScheduledExecutorService timers;
    private Thread controlThread;
    private Thread deliveryThread;

    private SimulatedCabinet(Builder b) {
        this.cabinetId = b.cabinetId;
        this.groupId = b.groupId;
        this.vendor = b.vendor;
        this.model = b.model;
        this.firmware = b.firmware;
        this.specs = List.copyOf(b.compartments);
        this.gateway = b.gateway;
        this.psk = b.psk;
        this.bind = b.bind;
        this.clock = b.clock;
        this.lifetimeSeconds = b.lifetimeSeconds;
        this.heartbeatOverride = b.heartbeatOverride;
        this.ackTimeout = b.ackTimeout;
        this.requestTimeout = b.requestTimeout;
        this.retryFirst = b.retryFirst;
        this.retryMax = b.retryMax;
        this.maxBatch = b.maxBatch;
        this.contentFormat = b.cbor ? Json.CBOR : Json.JSON;
        this.boot = b.boot;
        this.events = new EventQueue(boot);
        for (CompartmentSpec spec : specs) {
            doors.put(spec.label(), new Door(spec));
        }
        network.lossPercent(b.lossPercent);
        this.screenEnabled = b.screen;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------- life cycle

    /**
     * Opens the endpoint, serves {@code /locks} and starts registering. Returns at once; see
     * {@link #awaitRegistered(Duration)}. After a {@link #stop()} the cabinet may start again: that is a new boot
     * (the counter goes up, sequence numbers start again at 1; unacknowledged events of the old boot are still sent).
     */
    public void start() {
        synchronized (lock) {
            if (running) {
                throw new IllegalStateException("cabinet " + cabinetId + " is running");
            }
            if (startedOnce) {
                boot++;
                events.newBoot(boot);
            }
            startedOnce = true;
        }
        Configuration config = Coap.configuration(ackTimeout);
        // firmware images (Block1 to the cabinet) and screen media (Block2 from the gateway) are larger than 8 KiB
        config.set(org.eclipse.californium.core.config.CoapConfig.MAX_RESOURCE_BODY_SIZE, 16 * 1024 * 1024);
        CoapEndpoint newEndpoint = Coap.endpoint(Coap.isSecure(gateway), bind, psk, network, config,
                "[cabinet " + cabinetId + "] ");
        ScheduledExecutorService newTimers = Executors.newSingleThreadScheduledExecutor(
                daemon("lockergate-cabinet-" + cabinetId + "-timer"));
        CoapServer newServer = new CoapServer(config);
        newServer.addEndpoint(newEndpoint);
        newServer.add(new LocksResource(new LocksResource.Locks() {
            @Override
            public UnlockOutcome unlock(String label, int pulseMs) {
                return SimulatedCabinet.this.unlock(label, pulseMs);
            }

            @Override
            public Duration answerDelay() {
                synchronized (lock) {
                    return slow;
                }
            }
        }, newTimers));
        newServer.add(new FirmwareResource(new FirmwareResource.Firmware() {
            @Override
            public String[] receive(String version, String sha256, String model, byte[] image) {
                return SimulatedCabinet.this.receiveFirmware(version, sha256, model, image);
            }

            @Override
            public void accepted(String version) {
                reboot(version);
            }
        }));
        newEndpoint.addInterceptor(new org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter() {
            @Override
            public void receiveRequest(Request request) {
                if (rebootingMidTransfer) {
                    request.setCanceled(true); // the controller is down: the rest of the transfer goes unanswered
                    return;
                }
                if (request.getOptions().getUriPathString().equals("fw") && request.getOptions().hasBlock1()) {
                    int after;
                    synchronized (lock) {
                        after = rebootAfterFirmwareBlocks;
                        if (after >= 0 && request.getOptions().getBlock1().getNum() >= after) {
                            rebootAfterFirmwareBlocks = -1; // once
                        } else {
                            after = -1;
                        }
                    }
                    if (after >= 0) {
                        LOG.warn("柜 {} 在固件传输中重启（第 {} 块） — cabinet {} reboots mid-transfer (block {})",
                                cabinetId, request.getOptions().getBlock1().getNum(), cabinetId,
                                request.getOptions().getBlock1().getNum());
                        // down from this block on, not only once the reboot thread stops the endpoint: on
                        // loopback the remaining blocks would otherwise all be answered before it does
                        rebootingMidTransfer = true;
                        request.setCanceled(true);
                        reboot(null);
                    }
                }
            }
        });
        try {
            newServer.start();
        } catch (RuntimeException e) {
            newServer.destroy();
            newTimers.shutdownNow();
            throw new IllegalStateException("cabinet " + cabinetId + " cannot open its endpoint on " + bind, e);
        }
        synchronized (lock) {
            server = newServer;
            endpoint = newEndpoint;
            timers = newTimers;
            running = true;
            registered = false;
            location = null;
            deliveryNotBefore = 0;
            controlThread = daemon("lockergate-cabinet-" + cabinetId + "-control").newThread(this::controlLoop);
            deliveryThread = daemon("lockergate-cabinet-" + cabinetId + "-events").newThread(this::deliveryLoop);
            controlThread.start();
            deliveryThread.start();
            if (screenEnabled) {
                screen = new ScreenPlayer(cabinetId, groupId, gateway, requestTimeout);
                screen.start(newEndpoint);
            }
        }
        LOG.info("柜 {} 启动 (boot {})，本地地址 {}，网关 {} — cabinet {} started (boot {}) on {}, gateway {}", cabinetId,
                boot, newEndpoint.getAddress(), gateway, cabinetId, boot, newEndpoint.getAddress(), gateway);
    }

    /**
     * Stops the loops, deregisters ({@code DELETE /rd/{regId}}, unless offline) and closes the endpoint.
     * Unacknowledged events stay queued for the next start.
     */
    public void stop() {
        Thread control;
        Thread delivery;
        String deregister;
        synchronized (lock) {
            if (!running) {
                return;
            }
            running = false;
            control = controlThread;
            delivery = deliveryThread;
            deregister = registered && !offline ? location : null;
            registered = false;
            lock.notifyAll();
        }
        control.interrupt();
        delivery.interrupt();
        join(control);
        join(delivery);
        if (deregister != null) {
            try {
                Response response = Coap.call(endpoint, request(Code.DELETE, deregister, List.of()),
                        shorter(requestTimeout, Duration.ofSeconds(2)));
                LOG.info("柜 {} 注销 {} → {} — cabinet {} deregistered {} → {}", cabinetId, deregister,
                        codeOf(response), cabinetId, deregister, codeOf(response));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ScreenPlayer player;
        synchronized (lock) {
            player = screen;
        }
        if (player != null) {
            player.stop();
        }
        server.stop();
        server.destroy();
        timers.shutdownNow();
        LOG.info("柜 {} 已停止 — cabinet {} stopped", cabinetId, cabinetId);
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    // ---------------------------------------------------------------------------------------------- firmware

    /** The firmware version the cabinet runs (and registers with). */
    public String firmware() {
        return firmware;
    }

    /** Fault: the next images fail the cabinet's own verification (it answers 4.06 and keeps its firmware). */
    public void failFirmwareVerification(boolean value) {
        synchronized (lock) {
            failFirmwareVerification = value;
        }
    }

    /** Fault: the cabinet reboots (on its old firmware) when Block1 number {@code block} of an image arrives; once. */
    public void rebootDuringFirmwareTransfer(int block) {
        synchronized (lock) {
            rebootAfterFirmwareBlocks = block;
        }
    }

    /** How many images the cabinet accepted. */
    public int firmwareUpdates() {
        synchronized (lock) {
            return firmwareUpdates;
        }
    }

    /** The cabinet's last refusal of an image ({@code hash_mismatch: …}), or null. */
    public String lastFirmwareRefusal() {
        synchronized (lock) {
            return lastFirmwareRefusal;
        }
    }

    private String[] receiveFirmware(String version, String sha256, String model, byte[] image) {
        String actual = ScreenPlayer.sha256(image);
        String[] refusal = null;
        synchronized (lock) {
            String ownModel = model.isEmpty() || model.equals(this.model) || model.equals(vendor + " " + this.model)
                    ? null : model;
            if (ownModel != null) {
                refusal = new String[] {"wrong_model", "image for " + model + ", this cabinet is " + vendor + " "
                        + this.model};
            } else if (failFirmwareVerification || !actual.equalsIgnoreCase(sha256)) {
                refusal = new String[] {"hash_mismatch", "image SHA-256 " + actual + " does not verify (expected "
                        + sha256 + ")"};
            }
            if (refusal != null) {
                lastFirmwareRefusal = refusal[0] + ": " + refusal[1];
            } else {
                firmwareUpdates++;
            }
        }
        LOG.info("柜 {} 收到固件 {}（{} 字节）：{} — cabinet {} got firmware {} ({} bytes): {}", cabinetId, version,
                image.length, refusal == null ? "验证通过，重启" : refusal[0], cabinetId, version, image.length,
                refusal == null ? "verified, rebooting" : refusal[0]);
        return refusal;
    }

    /** Restarts the controller (a new boot) on another thread, with a new firmware version when given. */
    private void reboot(String newFirmware) {
        Thread thread = daemon("lockergate-cabinet-" + cabinetId + "-reboot").newThread(() -> {
            try {
                Thread.sleep(50); // let the answer leave first
                stop();
                if (newFirmware != null) {
                    firmware = newFirmware;
                }
                rebootingMidTransfer = false;
                start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("cabinet {}: reboot failed", cabinetId, e);
            }
        });
        thread.start();
    }

    // ---------------------------------------------------------------------------------------------- screen

    /** The playlist the cabinet observes (empty without {@code Builder.screen(true)} or before the first answer). */
    public List<ScreenItem> screenPlaylist() {
        ScreenPlayer player;
        synchronized (lock) {
            player = screen;
        }
        return player == null ? List.of() : player.items();
    }

    /**
     * Shows the playlist once, only when the cabinet is idle (every door closed): the pickup and deposit screens are
     * never covered. Returns how many items were shown.
     */
    public int playScreenIfIdle() {
        ScreenPlayer player;
        synchronized (lock) {
            player = screen;
            if (player == null || doors.values().stream().anyMatch(d -> !d.closed)) {
                return 0;
            }
        }
        return player.playOnce();
    }

    /** Plays counted and not yet reported, by "playlist|item". */
    public Map<String, Long> screenPlays() {
        ScreenPlayer player;
        synchronized (lock) {
            player = screen;
        }
        return player == null ? Map.of() : player.unreported();
    }

    /** Sends the plays counted to the gateway; true when it took them (or there were none). */
    public boolean reportScreenPlays() throws InterruptedException {
        ScreenPlayer player;
        synchronized (lock) {
            player = screen;
        }
        return player == null || player.report();
    }

    // ---------------------------------------------------------------------------------------------- identity

    public String cabinetId() {
        return cabinetId;
    }

    public String groupId() {
        return groupId;
    }

    public URI gateway() {
        return gateway;
    }

    /** The current boot counter (the builder's value, plus one for every restart). */
    public int boot() {
        synchronized (lock) {
            return boot;
        }
    }

    /** The address the cabinet serves and sends from; {@code null} before {@link #start()}. */
    public InetSocketAddress localAddress() {
        synchronized (lock) {
            return endpoint == null ? null : endpoint.getAddress();
        }
    }

    public List<CompartmentSpec> compartmentSpecs() {
        return specs;
    }

    // ---------------------------------------------------------------------------------------------- registration

    public boolean isRegistered() {
        synchronized (lock) {
            return registered;
        }
    }

    /** The registration resource the gateway assigned ({@code rd/…}), or {@code null}. */
    public String registrationLocation() {
        synchronized (lock) {
            return location;
        }
    }

    /** How often the cabinet refreshes its registration: the override, else the gateway's answer. */
    public Duration heartbeat() {
        synchronized (lock) {
            return heartbeatOverride != null ? heartbeatOverride : heartbeat;
        }
    }

    /** How many times the cabinet has registered successfully. */
    public int registrations() {
        synchronized (lock) {
            return registrations;
        }
    }

    /** How many heartbeats (registration refreshes) the gateway has answered with 2.04. */
    public int heartbeats() {
        synchronized (lock) {
            return heartbeats;
        }
    }

    /** How many unlocks the cabinet has answered. */
    public int unlocks() {
        synchronized (lock) {
            return unlocks;
        }
    }

    /** Waits until the cabinet is registered; {@code false} if it is not within the timeout. */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        return awaitCondition(timeout, () -> registered);
    }

    // ---------------------------------------------------------------------------------------------- physical model

    /** What the sensors of one compartment say. */
    public CompartmentState compartment(String label) {
        synchronized (lock) {
            return door(label).state();
        }
    }

    /** Every compartment's sensors, in descriptor order. */
    public List<CompartmentState> compartments() {
        synchronized (lock) {
            List<CompartmentState> states = new ArrayList<>(doors.size());
            doors.values().forEach(d -> states.add(d.state()));
            return states;
        }
    }

    /** Someone closes the door: a {@code door} event {@code closed:true}. Returns whether the door was open. */
    public boolean closeDoor(String label) {
        synchronized (lock) {
            Door door = door(label);
            if (door.closed) {
                return false;
            }
            door.closed = true;
            event(CabinetEvent.DOOR, label, Map.of("closed", true));
            return true;
        }
    }

    /**
     * Someone puts an item into the open compartment: an {@code occupancy} event {@code present:true}. Returns
     * whether the compartment was empty.
     *
     * @throws IllegalStateException when the door is closed
     */
    public boolean putItem(String label) {
        return setPresent(label, true);
    }

    /** Someone takes the item out of the open compartment: an {@code occupancy} event {@code present:false}. */
    public boolean takeItem(String label) {
        return setPresent(label, false);
    }

    private boolean setPresent(String label, boolean present) {
        synchronized (lock) {
            Door door = door(label);
            if (door.closed) {
                throw new IllegalStateException("compartment " + label + " of " + cabinetId + " is closed");
            }
            if (door.present == present) {
                return false;
            }
            door.present = present;
            event(CabinetEvent.OCCUPANCY, label, Map.of("present", present));
            return true;
        }
    }

    /**
     * The door opens without an unlock (a crowbar, a faulty lock): a {@code door} event {@code closed:false}, from
     * which the gateway raises {@code forced_open}. Works on jammed doors too. Returns whether the door was closed.
     */
    public boolean openByForce(String label) {
        synchronized (lock) {
            Door door = door(label);
            if (!door.closed) {
                return false;
            }
            door.closed = false;
            event(CabinetEvent.DOOR, label, Map.of("closed", false));
            LOG.info("柜 {} 格口 {} 被强行打开 — cabinet {} compartment {} forced open", cabinetId, label, cabinetId, label);
            return true;
        }
    }

    /** From now on an unlock of this compartment answers {@code jammed} and the door stays closed. */
    public void jam(String label) {
        synchronized (lock) {
            door(label).jammed = true;
        }
    }

    public void unjam(String label) {
        synchronized (lock) {
            door(label).jammed = false;
        }
    }

    /** The camera works or not: a {@code camera} event {@code ok} when that changes. */
    public void setCamera(boolean ok) {
        synchronized (lock) {
            if (cameraOk != ok) {
                cameraOk = ok;
                event(CabinetEvent.CAMERA, null, Map.of("ok", ok));
            }
        }
    }

    /** Mains or battery: a {@code power} event {@code {"mains":…,"battery":…}} when that changes. */
    public void setPower(PowerSource source) {
        Objects.requireNonNull(source, "source");
        synchronized (lock) {
            if (power != source) {
                power = source;
                event(CabinetEvent.POWER, null,
                        Map.of("mains", source == PowerSource.MAINS, "battery", source == PowerSource.BATTERY));
            }
        }
    }

    /** The tamper switch trips: a {@code tamper} event. */
    public void tamper() {
        synchronized (lock) {
            event(CabinetEvent.TAMPER, null, Map.of());
        }
    }

    /** The controller reports a fault: a {@code fault} event {@code code}. */
    public void fault(String code) {
        Objects.requireNonNull(code, "code");
        synchronized (lock) {
            event(CabinetEvent.FAULT, null, Map.of("code", code));
        }
    }

    private UnlockOutcome unlock(String label, int pulseMs) {
        UnlockOutcome outcome;
        synchronized (lock) {
            Door door = doors.get(label);
            if (door == null) {
                LOG.warn("柜 {} 收到未知格口 {} 的开锁 — cabinet {}: unlock of unknown compartment {}", cabinetId, label,
                        cabinetId, label);
                return null;
            }
            unlocks++;
            if (!door.closed) {
                outcome = UnlockOutcome.ALREADY_OPEN;
            } else if (door.jammed) {
                outcome = UnlockOutcome.JAMMED;
            } else {
                door.closed = false;
                event(CabinetEvent.DOOR, label, Map.of("closed", false));
                outcome = UnlockOutcome.OPENED;
            }
        }
        LOG.info("柜 {} 格口 {} 开锁 ({} ms) → {} — cabinet {} compartment {} unlocked ({} ms) → {}", cabinetId, label,
                pulseMs, outcome.wireName(), cabinetId, label, pulseMs, outcome.wireName());
        listeners.forEach(l -> l.unlocked(label, outcome));
        return outcome;
    }

    private Door door(String label) {
        Door door = doors.get(label);
        if (door == null) {
            throw new IllegalArgumentException("cabinet " + cabinetId + " has no compartment " + label);
        }
        return door;
    }

    /** Queues an event; the caller holds the lock. */
    private void event(String type, String compartment, Map<String, Object> fields) {
        CabinetEvent event = events.add(OffsetDateTime.now(clock), type, compartment, fields);
        LOG.debug("cabinet {} event {}", cabinetId, event);
        lock.notifyAll();
    }

    // ---------------------------------------------------------------------------------------------- events

    /** The events not yet acknowledged, oldest first. */
    public List<CabinetEvent> pendingEvents() {
        synchronized (lock) {
            return events.snapshot();
        }
    }

    /** The highest sequence number of the current boot the gateway has acknowledged. */
    public long lastAcked() {
        synchronized (lock) {
            return events.acked();
        }
    }

    /** The sequence number of the last event of the current boot (0 before the first). */
    public long lastSeq() {
        synchronized (lock) {
            return events.lastSeq();
        }
    }

    /** Events the gateway refused with 4.00 {@code bad_event} (dropped, not retried). */
    public int rejectedEvents() {
        synchronized (lock) {
            return rejectedEvents;
        }
    }

    /** Waits until the gateway has acknowledged the current boot's events up to {@code seq}. */
    public boolean awaitAcked(long seq, Duration timeout) throws InterruptedException {
        return awaitCondition(timeout, () -> events.acked() >= seq);
    }

    /** Waits until every queued event is acknowledged. */
    public boolean awaitAllAcked(Duration timeout) throws InterruptedException {
        return awaitCondition(timeout, events::isEmpty);
    }

    // ---------------------------------------------------------------------------------------------- misbehaviour

    /**
     * Offline: no heartbeats, no events, no answers — every datagram in either direction is lost. Back online, the
     * cabinet refreshes its registration at once and sends what it queued meanwhile.
     */
    public void offline(boolean value) {
        synchronized (lock) {
            if (offline == value) {
                return;
            }
            offline = value;
            network.offline(value);
            refreshNow = !value;
            deliveryNotBefore = 0;
            lock.notifyAll();
        }
        LOG.info(value ? "柜 {} 离线 — cabinet {} goes offline" : "柜 {} 恢复在线 — cabinet {} back online", cabinetId,
                cabinetId);
    }

    public boolean isOffline() {
        synchronized (lock) {
            return offline;
        }
    }

    /**
     * Loses this share (0–100 %) of the datagrams in each direction, on the socket below CoAP and DTLS; CoAP's
     * retransmissions and the cabinet's own retries then have to make up for it.
     */
    public void lossPercent(double percent) {
        network.lossPercent(percent);
        LOG.info("柜 {} 丢包率 {}% — cabinet {} packet loss {}%", cabinetId, percent, cabinetId, percent);
    }

    public double lossPercent() {
        return network.lossPercent();
    }

    /** Delays the answers to unlocks by this much (the empty ACK goes at once, the answer follows separately). */
    public void slow(Duration delay) {
        synchronized (lock) {
            slow = delay == null || delay.isNegative() ? Duration.ZERO : delay;
        }
    }

    /**
     * Sends two malformed payloads to the gateway's events resource, once: a body that is not JSON, and an
     * oversized body (16 KiB of JSON padding, sent block-wise); returns and keeps the gateway's answers. A correct
     * gateway answers 4.00 {@code bad_event} to the first and 4.00 or 4.13 to the second, and stores nothing.
     */
    public GarbageResult garbage() throws InterruptedException {
        requireRunning();
        List<String> eventsPath = List.of("cabinets", cabinetId, "events");
        Request invalid = request(Code.POST, null, eventsPath);
        invalid.setPayload("{\"boot\":" + boot() + ",\"events\":[{\"seq\":1,\"type\":door".getBytes(StandardCharsets.UTF_8));
        invalid.getOptions().setContentFormat(Json.JSON);
        ResponseCode invalidCode = codeOf(Coap.call(endpoint, invalid, requestTimeout));

        int size = 16 * 1024;
        ObjectNode padded = Json.object().put("boot", boot());
        padded.putArray("events");
        padded.put("padding", "x".repeat(size));
        Request oversized = request(Code.POST, null, eventsPath);
        Json.write(oversized, padded, Json.JSON);
        ResponseCode oversizedCode = codeOf(Coap.call(endpoint, oversized, requestTimeout.multipliedBy(2)));

        GarbageResult result = new GarbageResult(invalidCode, oversizedCode, oversized.getPayloadSize());
        synchronized (lock) {
            lastGarbage = result;
        }
        LOG.info("柜 {} 发送畸形数据：无效 JSON → {}，超大报文 {} 字节 → {} — cabinet {} sent garbage: invalid JSON → {}, "
                + "oversized {} bytes → {}", cabinetId, invalidCode, result.oversizedBytes(), oversizedCode, cabinetId,
                invalidCode, result.oversizedBytes(), oversizedCode);
        return result;
    }

    /** The answers to the last {@link #garbage()}, or {@code null}. */
    public GarbageResult lastGarbage() {
        synchronized (lock) {
            return lastGarbage;
        }
    }

    public void addListener(CabinetListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(CabinetListener listener) {
        listeners.remove(listener);
    }

    // ---------------------------------------------------------------------------------------------- control loop

    /** Registers, then refreshes the registration every heartbeat; registers again whenever it is lost. */
    private void controlLoop() {
        Backoff backoff = new Backoff(retryFirst, retryMax);
        try {
            while (true) {
                boolean needRegister;
                synchronized (lock) {
                    while (running && offline) {
                        lock.wait();
                    }
                    if (!running) {
                        return;
                    }
                    needRegister = !registered;
                }
                if (needRegister) {
                    if (register()) {
                        backoff.reset();
                    } else {
                        pause(backoff.next());
                    }
                    continue;
                }
                String refresh;
                synchronized (lock) {
                    long deadline = System.nanoTime() + heartbeat().toNanos();
                    long left;
                    while (running && !offline && registered && !refreshNow
                            && (left = deadline - System.nanoTime()) > 0) {
                        lock.wait(Math.max(1, left / 1_000_000));
                    }
                    if (!running || offline || !registered) {
                        continue;
                    }
                    refreshNow = false;
                    refresh = location;
                }
                refresh(refresh);
            }
        } catch (InterruptedException stop) {
            // stop() interrupts
        } catch (RuntimeException e) {
            LOG.error("cabinet {}: registration loop failed", cabinetId, e);
        }
    }

    private boolean register() throws InterruptedException {
        ObjectNode descriptor;
        synchronized (lock) {
            descriptor = Wire.descriptor(vendor, model, firmware, boot, groupId, specs);
        }
        Request request = Coap.request(Code.POST, gateway, List.of("rd"),
                List.of("ep=" + cabinetId, "lt=" + lifetimeSeconds));
        Json.write(request, descriptor, contentFormat);
        Response response = Coap.call(endpoint, request, requestTimeout);
        if (response == null) {
            LOG.warn("柜 {} 注册无应答 — cabinet {}: registration got no answer", cabinetId, cabinetId);
            return false;
        }
        if (response.getCode() != ResponseCode.CREATED) {
            LOG.warn("柜 {} 注册被拒 {} {} — cabinet {}: registration refused {} {}", cabinetId, response.getCode(),
                    response.getPayloadString(), cabinetId, response.getCode(), response.getPayloadString());
            return false;
        }
        String newLocation = response.getOptions().getLocationPathString();
        if (newLocation.isEmpty()) {
            LOG.warn("cabinet {}: registration answer has no Location-Path; using rd/{}", cabinetId, cabinetId);
            newLocation = "rd/" + cabinetId;
        }
        int seconds = DEFAULT_HEARTBEAT_SECONDS;
        JsonNode body = Json.decodeLenient(response);
        if (body.path("heartbeat").canConvertToInt() && body.path("heartbeat").asInt() > 0) {
            seconds = body.path("heartbeat").asInt();
        }
        Duration interval;
        synchronized (lock) {
            location = newLocation;
            heartbeat = Duration.ofSeconds(seconds);
            registered = true;
            refreshNow = false;
            registrations++;
            deliveryNotBefore = 0;
            interval = heartbeat();
            lock.notifyAll();
        }
        LOG.info("柜 {} 已注册 {}，心跳 {} 秒 — cabinet {} registered as {}, heartbeat {} s", cabinetId, newLocation,
                interval.toMillis() / 1000.0, cabinetId, newLocation, interval.toMillis() / 1000.0);
        String registeredAt = newLocation;
        listeners.forEach(l -> l.registered(registeredAt, interval));
        return true;
    }

    private void refresh(String at) throws InterruptedException {
        Response response = Coap.call(endpoint, request(Code.POST, at, List.of()), requestTimeout);
        if (response == null) {
            LOG.warn("柜 {} 心跳无应答 — cabinet {}: heartbeat got no answer", cabinetId, cabinetId);
        } else if (response.getCode() == ResponseCode.CHANGED) {
            synchronized (lock) {
                heartbeats++;
            }
            LOG.debug("cabinet {} heartbeat ok", cabinetId);
        } else if (response.getCode() == ResponseCode.NOT_FOUND) {
            LOG.info("柜 {} 注册已失效 ({})，重新注册 — cabinet {}: registration unknown ({}), registering again",
                    cabinetId, errorOf(response), cabinetId, errorOf(response));
            forgetRegistration(at);
        } else {
            LOG.warn("cabinet {}: heartbeat answered {} {}", cabinetId, response.getCode(), response.getPayloadString());
        }
    }

    private void forgetRegistration(String at) {
        synchronized (lock) {
            if (Objects.equals(location, at)) {
                registered = false;
                lock.notifyAll();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- delivery loop

    /** Sends queued events in order, in batches, until each is acknowledged. */
    private void deliveryLoop() {
        Backoff backoff = new Backoff(retryFirst, retryMax);
        try {
            while (true) {
                List<CabinetEvent> batch;
                String at;
                synchronized (lock) {
                    while (true) {
                        if (!running) {
                            return;
                        }
                        if (offline || !registered || events.isEmpty()) {
                            lock.wait();
                            continue;
                        }
                        long wait = deliveryNotBefore == 0 ? 0 : deliveryNotBefore - System.nanoTime();
                        if (wait > 0) {
                            lock.wait(Math.max(1, wait / 1_000_000));
                            continue;
                        }
                        break;
                    }
                    batch = events.nextBatch(maxBatch);
                    at = location;
                }
                boolean progress = deliver(batch, at);
                synchronized (lock) {
                    if (progress) {
                        backoff.reset();
                        deliveryNotBefore = 0;
                    } else {
                        long delay = backoff.next().toNanos();
                        deliveryNotBefore = System.nanoTime() + Math.max(1, delay);
                    }
                }
            }
        } catch (InterruptedException stop) {
            // stop() interrupts
        } catch (RuntimeException e) {
            LOG.error("cabinet {}: event delivery loop failed", cabinetId, e);
        }
    }

    /** Sends one batch; returns whether at least one event left the queue. */
    private boolean deliver(List<CabinetEvent> batch, String registrationAt) throws InterruptedException {
        int batchBoot = batch.get(0).boot();
        long first = batch.get(0).seq();
        long last = batch.get(batch.size() - 1).seq();
        Request request = request(Code.POST, null, List.of("cabinets", cabinetId, "events"));
        Json.write(request, Wire.events(batchBoot, batch), contentFormat);
        Response response = Coap.call(endpoint, request, requestTimeout);
        if (response == null) {
            LOG.info("柜 {} 事件 {}..{} 无应答，稍后重发 — cabinet {}: events {}..{} got no answer, will retry",
                    cabinetId, first, last, cabinetId, first, last);
            return false;
        }
        ResponseCode code = response.getCode();
        if (code == ResponseCode.CHANGED) {
            JsonNode body = Json.decodeLenient(response);
            if (!body.path("acked").canConvertToLong()) {
                LOG.warn("cabinet {}: events answer without acked: {}", cabinetId, response.getPayloadString());
                return false;
            }
            int ackBoot = body.path("boot").canConvertToInt() ? body.path("boot").asInt() : batchBoot;
            long acked = body.path("acked").asLong();
            int removed;
            synchronized (lock) {
                removed = events.ack(ackBoot, acked);
                lock.notifyAll();
            }
            LOG.debug("cabinet {} events {}..{} acked {} (boot {})", cabinetId, first, last, acked, ackBoot);
            listeners.forEach(l -> l.acknowledged(ackBoot, acked));
            return removed > 0;
        }
        if (code == ResponseCode.FORBIDDEN) {
            LOG.info("柜 {} 未注册 ({})，重新注册后重发 — cabinet {}: not registered ({}), registering again", cabinetId,
                    errorOf(response), cabinetId, errorOf(response));
            forgetRegistration(registrationAt);
            return false;
        }
        if (code == ResponseCode.BAD_REQUEST) {
            LOG.error("柜 {} 事件 {}..{} 被拒 {}，丢弃 — cabinet {}: events {}..{} refused {}, dropped", cabinetId, first,
                    last, response.getPayloadString(), cabinetId, first, last, response.getPayloadString());
            synchronized (lock) {
                rejectedEvents += events.ack(batchBoot, last);
                lock.notifyAll();
            }
            return true;
        }
        LOG.warn("cabinet {}: events {}..{} answered {} {}", cabinetId, first, last, code, response.getPayloadString());
        return false;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** A request to the gateway: to a registration location ({@code rd/…}) or to the given path segments. */
    private Request request(Code code, String location, List<String> path) {
        List<String> segments = location != null ? Arrays.asList(location.split("/")) : path;
        return Coap.request(code, gateway, segments, List.of());
    }

    private void requireRunning() {
        synchronized (lock) {
            if (!running) {
                throw new IllegalStateException("cabinet " + cabinetId + " is not running");
            }
        }
    }

    private void pause(Duration delay) throws InterruptedException {
        synchronized (lock) {
            long deadline = System.nanoTime() + delay.toNanos();
            long left;
            while (running && (left = deadline - System.nanoTime()) > 0) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private interface Condition {
        boolean holds();
    }

    private boolean awaitCondition(Duration timeout, Condition condition) throws InterruptedException {
        synchronized (lock) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long left;
            while (!condition.holds()) {
                left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private static ResponseCode codeOf(Response response) {
        return response == null ? null : response.getCode();
    }

    private static String errorOf(Response response) {
        JsonNode body = Json.decodeLenient(response);
        return body.path("error").asText(response.getCode().toString());
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void join(Thread thread) {
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String toString() {
        return "SimulatedCabinet[" + cabinetId + " of " + groupId + " → " + gateway + "]";
    }

    /** One compartment's sensors and lock; guarded by the cabinet's lock. */
    private static final class Door {
        final CompartmentSpec spec;
        boolean closed = true;
        boolean present;
        boolean jammed;

        Door(CompartmentSpec spec) {
            this.spec = spec;
        }

        CompartmentState state() {
            return new CompartmentState(spec.label(), spec.size(), closed, present, jammed);
        }
    }

    // ---------------------------------------------------------------------------------------------- builder

    /** Builds a {@link SimulatedCabinet}; {@link #build()} fills the defaults. */
    public static final class Builder {
        private String cabinetId;
        private String groupId;
        private String vendor = "lockergate-sim";
        private String model = "SIM-1";
        private String firmware = "1.0.0";
        private int boot = 1;
        private boolean screen;
        private final List<CompartmentSpec> compartments = new ArrayList<>();
        private URI gateway = URI.create("coap://127.0.0.1:5683");
        private Coap.Psk psk;
        private InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 0);
        private Clock clock = Clock.systemDefaultZone();
        private long lifetimeSeconds = 60;
        private Duration heartbeatOverride;
        private Duration ackTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration retryFirst = Duration.ofMillis(500);
        private Duration retryMax = Duration.ofSeconds(30);
        private int maxBatch = 32;
        private double lossPercent;
        private boolean cbor;

        private Builder() {
        }

        /** The cabinet's id, also the {@code ep} of its registration and its PSK identity. Required. */
        public Builder cabinetId(String value) {
            this.cabinetId = value;
            return this;
        }

        /** The group (柜组) the cabinet belongs to. Required. */
        public Builder groupId(String value) {
            this.groupId = value;
            return this;
        }

        public Builder vendor(String value) {
            this.vendor = value;
            return this;
        }

        public Builder model(String value) {
            this.model = value;
            return this;
        }

        public Builder firmware(String value) {
            this.firmware = value;
            return this;
        }

        /** The boot counter of the first start (default 1); every further start adds one. */
        public Builder boot(int value) {
            this.boot = value;
            return this;
        }

        public Builder compartment(String label, Size size, int board, int channel) {
            this.compartments.add(new CompartmentSpec(label, size, board, channel));
            return this;
        }

        public Builder compartments(List<CompartmentSpec> specs) {
            this.compartments.addAll(specs);
            return this;
        }

        /** {@code coap://host:port} or {@code coaps://host:port} (then a PSK is required). Default port 5683/5684. */
        public Builder gateway(String uri) {
            this.gateway = Coap.gatewayUri(uri);
            return this;
        }

        public Builder gateway(URI uri) {
            return gateway(uri.toString());
        }

        /** The DTLS pre-shared key for {@code coaps://}; the identity is usually the cabinet id. */
        public Builder psk(String identity, byte[] key) {
            this.psk = new Coap.Psk(identity, key);
            return this;
        }

        /** The local address to bind; default 127.0.0.1 and an ephemeral port. */
        public Builder bind(InetSocketAddress address) {
            this.bind = address;
            return this;
        }

        /** The clock of event timestamps (its zone gives their offset). */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** The {@code lt} (lifetime, seconds) asked for when registering; default 60. */
        public Builder lifetimeSeconds(long value) {
            this.lifetimeSeconds = value;
            return this;
        }

        /** Refresh this often instead of the gateway's {@code heartbeat}; for tests. */
        public Builder heartbeatOverride(Duration value) {
            this.heartbeatOverride = value;
            return this;
        }

        /** CoAP's ACK timeout (first retransmission); default 2 s. Tests shorten it. */
        public Builder ackTimeout(Duration value) {
            this.ackTimeout = value;
            return this;
        }

        /** How long one request waits for its answer before it counts as lost; default 30 s. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /** First and largest delay between retries of registrations and event batches; default 0.5 s and 30 s. */
        public Builder retry(Duration first, Duration max) {
            this.retryFirst = first;
            this.retryMax = max;
            return this;
        }

        /** The largest number of events per request; default 32. */
        public Builder maxBatch(int value) {
            this.maxBatch = value;
            return this;
        }

        /** Packet loss from the start, in percent. */
        public Builder lossPercent(double value) {
            this.lossPercent = value;
            return this;
        }

        /** Send CBOR (content-format 60) instead of JSON. */
        /** The cabinet has a screen: it observes {@code /screen/{groupId}} and fetches the media. */
        public Builder screen(boolean value) {
            this.screen = value;
            return this;
        }

        public Builder cbor(boolean value) {
            this.cbor = value;
            return this;
        }

        public SimulatedCabinet build() {
            require(cabinetId, "cabinetId");
            require(groupId, "groupId");
            require(vendor, "vendor");
            require(model, "model");
            require(firmware, "firmware");
            if (compartments.isEmpty()) {
                throw new IllegalArgumentException("cabinet " + cabinetId + " has no compartments");
            }
            if (compartments.stream().map(CompartmentSpec::label).distinct().count() != compartments.size()) {
                throw new IllegalArgumentException("compartment labels of " + cabinetId + " are not unique");
            }
            if (boot < 0 || lifetimeSeconds < 1 || maxBatch < 1) {
                throw new IllegalArgumentException("boot ≥ 0, lifetime ≥ 1 s and maxBatch ≥ 1 are required");
            }
            if (Coap.isSecure(gateway) && psk == null) {
                throw new IllegalArgumentException("coaps:// needs psk(identity, key)");
            }
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(bind, "bind");
            return new SimulatedCabinet(this);
        }

        private static void require(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " is required");
            }
        }
    }
}
