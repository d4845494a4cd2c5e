package org.lockergate.vendor.lockboard.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.lockergate.api.locker.CabinetDescriptor;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.CabinetHost;
import org.lockergate.api.locker.CabinetLink;
import org.lockergate.api.locker.CompartmentSpec;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.spi.CabinetDriver;
import org.lockergate.api.spi.UnlockOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lock-board cabinet: polls its boards, reports changes, unlocks and verifies, and is its own
 * {@link CabinetDriver}.
 *
 * <ul>
 * <li><b>Attach</b> at the first poll in which a board answers (so the firmware is known and "online" is true), with
 * a new boot ({@link Boots}); the core's stored door and item state of each compartment ({@code baseline}) is what
 * the first poll is compared with, so a re-attach after a vendor restart reports only what changed meanwhile.</li>
 * <li><b>Poll</b> every {@link PollSettings#pollInterval()} (fixed delay): each board read in one go; door and item
 * changes become DOOR and OCCUPANCY events (seq from 1 per boot), rising fault bits FAULT events ({@code door_jammed}
 * for bit 0, {@code fault_bit_N} else; value false when a bit clears). Events are reported with
 * {@link CabinetLink#report} and kept for the next cycle while the core refuses them.</li>
 * <li><b>Liveness</b>: {@link CabinetLink#heartbeat()} after every cycle in which a board answered; a board that
 * misses {@link PollSettings#offlineAfterMissedPolls()} polls in a row is offline (FAULT {@code board_offline}, and
 * {@code board_online} once every board answers again); with every board silent the heartbeats stop and the core
 * marks the cabinet offline.</li>
 * <li><b>Unlock</b> (R13): the door is read first (open: ALREADY_OPEN, no pulse), then one pulse, then the door is read
 * every {@link PollSettings#verifyInterval()} until it opens (OPENED) or the window ends (JAMMED). A pulse that
 * certainly was not sent fails the stage; one whose answer was lost is verified like a sent one. Never repeated.</li>
 * <li><b>Close</b>: polling stops, unlocks still running fail (saying whether a pulse went out), unreported events
 * are reported one last time, the link is detached with the reason, the connection released.</li>
 * </ul>
 * All state is confined to one thread per cabinet; transport callbacks hop onto it.
 */
public final class BoardCabinet implements CabinetDriver {

    private static final Logger LOG = LoggerFactory.getLogger(BoardCabinet.class);
    private static final int MAX_PENDING = 10_000;

    private final CabinetPlan plan;
    private final BoardIo io;
    private final CabinetHost host;
    private final Function<CabinetPlan, Map<String, Sensors>> baseline;
    private final PollSettings settings;
    private final ScheduledExecutorService thread;
    private final Map<String, CompartmentSpec> byLabel = new LinkedHashMap<>();
    private final Map<Integer, List<CompartmentSpec>> byBoard = new LinkedHashMap<>();
    private final Map<String, Sensors> known = new HashMap<>();
    private final Map<Integer, Integer> missed = new HashMap<>();
    private final Map<Integer, Integer> faultBits = new HashMap<>();
    private final List<CabinetEvent> pending = new ArrayList<>();
    private final List<Unlock> unlocks = new ArrayList<>();
    private volatile CabinetLink link;
    private volatile boolean closed;
    private Boolean announcedOffline;
    private ScheduledFuture<?> nextPoll;
    private long boot;
    private long seq;
    private String firmware = "unknown";

    public BoardCabinet(CabinetPlan plan, BoardIo io, CabinetHost host,
            Function<CabinetPlan, Map<String, Sensors>> baseline, PollSettings settings) {
        this.plan = plan;
        this.io = io;
        this.host = host;
        this.baseline = baseline;
        this.settings = settings;
        for (CompartmentSpec spec : plan.compartments()) {
            byLabel.put(spec.label(), spec);
            byBoard.computeIfAbsent(spec.board(), b -> new ArrayList<>()).add(spec);
        }
        for (int board : plan.boards()) {
            byBoard.computeIfAbsent(board, b -> new ArrayList<>());
            missed.put(board, 0);
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "LockerGate-" + plan.vendor() + "-" + plan.cabinetId());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.thread = executor;
    }

    public String cabinetId() {
        return plan.cabinetId();
    }

    public CabinetPlan plan() {
        return plan;
    }

    /** Whether the core has the cabinet attached through this driver. */
    public boolean attached() {
        return link != null;
    }

    /** Starts polling. */
    public void start() {
        thread.execute(this::poll);
    }

    // --- polling ---

    private void poll() {
        if (closed) {
            return;
        }
        Map<Integer, CompletableFuture<BoardState>> reads = new LinkedHashMap<>();
        for (int board : plan.boards()) {
            CompletableFuture<BoardState> read;
            try {
                read = io.read(board);
            } catch (RuntimeException e) {
                read = CompletableFuture.failedFuture(e);
            }
            reads.put(board, read);
        }
        CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new))
                .handleAsync((v, e) -> {
                    // each board's outcome is read from its own stage; afterPoll always schedules the next cycle
                    afterPoll(reads);
                    return null;
                }, thread)
                .exceptionally(e -> {
                    if (!closed && !(unwrap(e) instanceof RejectedExecutionException)) {
                        LOG.error("柜子 {} 轮询处理失败 / Poll cycle of cabinet {} failed", plan.cabinetId(),
                                plan.cabinetId(), e);
                    }
                    return null;
                });
    }

    private void afterPoll(Map<Integer, CompletableFuture<BoardState>> reads) {
        if (closed) {
            return;
        }
        try {
            Map<Integer, BoardState> ok = new LinkedHashMap<>();
            Map<Integer, Throwable> failed = new LinkedHashMap<>();
            reads.forEach((board, read) -> {
                try {
                    ok.put(board, read.getNow(null));
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    failed.put(board, unwrap(e));
                }
            });
            if (link == null && !ok.isEmpty()) {
                attach(ok.values().iterator().next());
            }
            List<CabinetEvent> events = new ArrayList<>();
            ok.forEach((board, state) -> {
                if (missed.put(board, 0) >= settings.offlineAfterMissedPolls()) {
                    LOG.info("柜子 {} 锁控板 {} 恢复在线 / Lock board {} of cabinet {} is back", plan.cabinetId(), board,
                            board, plan.cabinetId());
                }
                if (link != null) {
                    compare(board, state, events);
                }
            });
            failed.forEach((board, error) -> {
                int count = missed.merge(board, 1, Integer::sum);
                if (count == settings.offlineAfterMissedPolls()) {
                    LOG.warn("柜子 {} 锁控板 {} 连续 {} 次轮询无应答，离线 / Lock board {} of cabinet {} offline after {}"
                            + " missed polls: {}", plan.cabinetId(), board, count, board, plan.cabinetId(), count,
                            error.getMessage());
                } else if (count < settings.offlineAfterMissedPolls()) {
                    LOG.debug("cabinet {} board {} missed poll {}: {}", plan.cabinetId(), board, count,
                            error.getMessage());
                }
            });
            if (link != null) {
                boolean offline = missed.values().stream().anyMatch(n -> n >= settings.offlineAfterMissedPolls());
                if (announcedOffline == null || announcedOffline != offline) {
                    events.add(event(CabinetEvent.Type.FAULT, null, true, offline ? "board_offline" : "board_online"));
                    announcedOffline = offline;
                }
                report(events);
                if (!ok.isEmpty()) {
                    link.heartbeat();
                }
            }
        } finally {
            schedule();
        }
    }

    private void schedule() {
        if (!closed) {
            try {
                nextPoll = thread.schedule(this::poll, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void attach(BoardState first) {
        if (first.firmware() != null) {
            firmware = first.firmware();
        }
        long newBoot = Boots.next();
        CabinetDescriptor descriptor = new CabinetDescriptor(plan.cabinetId(), plan.groupId(), plan.vendor(),
                plan.model(), firmware, newBoot, plan.compartments());
        try {
            link = host.attach(descriptor, this);
        } catch (LockerException | RuntimeException e) {
            LOG.warn("柜子 {} 接入失败，下次轮询重试 / Attaching cabinet {} failed, retrying at the next poll: {}",
                    plan.cabinetId(), plan.cabinetId(), e.getMessage());
            return;
        }
        boot = newBoot;
        seq = 0;
        pending.clear();
        announcedOffline = null;
        faultBits.clear();
        known.clear();
        Map<String, Sensors> stored;
        try {
            stored = baseline.apply(plan);
        } catch (RuntimeException e) {
            LOG.debug("no baseline for cabinet {}: {}", plan.cabinetId(), e.toString());
            stored = Map.of();
        }
        for (String label : byLabel.keySet()) {
            known.put(label, stored.getOrDefault(label, Sensors.UNKNOWN));
        }
        LOG.info("柜子 {} 已接入（{} {}，固件 {}，{} 块锁控板，{} 个格口）/ Cabinet {} attached ({} {}, firmware {}, {} boards,"
                + " {} compartments)", plan.cabinetId(), plan.vendor(), plan.model(), firmware, plan.boards().size(),
                byLabel.size(), plan.cabinetId(), plan.vendor(), plan.model(), firmware, plan.boards().size(),
                byLabel.size());
    }

    private void compare(int board, BoardState state, List<CabinetEvent> events) {
        for (CompartmentSpec spec : byBoard.getOrDefault(board, List.of())) {
            observe(spec.label(), state.door(spec.channel()), state.item(spec.channel()), events);
        }
        int before = faultBits.getOrDefault(board, 0);
        int now = state.faultBits();
        if (before != now) {
            for (int bit = 0; bit < 16; bit++) {
                int mask = 1 << bit;
                if ((before & mask) != (now & mask)) {
                    boolean set = (now & mask) != 0;
                    String code = bit == 0 ? "door_jammed" : "fault_bit_" + bit;
                    events.add(event(CabinetEvent.Type.FAULT, null, set, code));
                    if (set) {
                        LOG.warn("柜子 {} 锁控板 {} 故障位 {}（{}）/ Cabinet {} board {} fault bit {} ({}) set",
                                plan.cabinetId(), board, bit, code, plan.cabinetId(), board, bit, code);
                    }
                }
            }
            faultBits.put(board, now);
        }
    }

    /** Records what a sensor read showed; adds events for what changed (occupancy before door). */
    private void observe(String label, Boolean door, Boolean item, List<CabinetEvent> events) {
        Sensors before = known.getOrDefault(label, Sensors.UNKNOWN);
        Boolean newDoor = door == null ? before.doorClosed() : door;
        Boolean newItem = item == null ? before.itemPresent() : item;
        if (item != null && !item.equals(before.itemPresent())) {
            events.add(event(CabinetEvent.Type.OCCUPANCY, label, item, null));
        }
        if (door != null && !door.equals(before.doorClosed())) {
            events.add(event(CabinetEvent.Type.DOOR, label, door, null));
        }
        known.put(label, new Sensors(newDoor, newItem));
    }

    private CabinetEvent event(CabinetEvent.Type type, String label, boolean value, String code) {
        return new CabinetEvent(++seq, Instant.now(), type, label, value, code);
    }

    private void report(List<CabinetEvent> events) {
        pending.addAll(events);
        if (pending.size() > MAX_PENDING) {
            int drop = pending.size() - MAX_PENDING;
            LOG.error("柜子 {} 有 {} 个事件无法上报，丢弃最早的 {} 个 / Cabinet {}: {} events not accepted, dropping the"
                    + " oldest {}", plan.cabinetId(), pending.size(), drop, plan.cabinetId(), pending.size(), drop);
            pending.subList(0, drop).clear();
        }
        CabinetLink current = link;
        if (pending.isEmpty() || current == null) {
            return;
        }
        try {
            current.report(boot, List.copyOf(pending));
            pending.clear();
        } catch (LockerException | RuntimeException e) {
            LOG.warn("柜子 {} 的 {} 个事件上报失败，稍后重试 / Reporting {} events of cabinet {} failed, retrying: {}",
                    plan.cabinetId(), pending.size(), pending.size(), plan.cabinetId(), e.getMessage());
        }
    }

    // --- unlock ---

    private enum Phase {
        CHECKING, PULSING, VERIFYING
    }

    private static final class Unlock {
        final String label;
        final CompartmentSpec spec;
        final Duration pulse;
        final CompletableFuture<UnlockOutcome> result = new CompletableFuture<>();
        Phase phase = Phase.CHECKING;
        long deadline;
        boolean sawClosed;

        Unlock(String label, CompartmentSpec spec, Duration pulse) {
            this.label = label;
            this.spec = spec;
            this.pulse = pulse;
        }
    }

    @Override
    public CompletionStage<UnlockOutcome> unlock(String compartment, Duration pulse) {
        CompartmentSpec spec = compartment == null ? null : byLabel.get(compartment);
        if (spec == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("柜子 " + plan.cabinetId() + " 没有格口 "
                    + compartment + " / cabinet " + plan.cabinetId() + " has no compartment " + compartment));
        }
        Unlock unlock = new Unlock(compartment, spec, pulse == null ? Duration.ofMillis(400) : pulse);
        try {
            thread.execute(() -> begin(unlock));
        } catch (RejectedExecutionException e) {
            unlock.result.completeExceptionally(stopped(unlock));
        }
        return unlock.result;
    }

    private void begin(Unlock unlock) {
        if (closed) {
            unlock.result.completeExceptionally(stopped(unlock));
            return;
        }
        int board = unlock.spec.board();
        if (missed.getOrDefault(board, 0) >= settings.offlineAfterMissedPolls()) {
            unlock.result.completeExceptionally(new IOException("柜子 " + plan.cabinetId() + " 锁控板 " + board
                    + " 离线，格口 " + unlock.label + " 未开锁 / lock board " + board + " of cabinet " + plan.cabinetId()
                    + " is offline: compartment " + unlock.label + " not unlocked"));
            return;
        }
        unlocks.add(unlock);
        io.doorClosed(board, unlock.spec.channel()).whenCompleteAsync((closedNow, error) -> {
            if (unlock.result.isDone()) {
                return;
            }
            if (error != null) {
                finish(unlock, null, new IOException("柜子 " + plan.cabinetId() + " 格口 " + unlock.label
                        + " 门状态读取失败，未开锁 / cannot read the door of compartment " + unlock.label + " of cabinet "
                        + plan.cabinetId() + ", not unlocked: " + unwrap(error).getMessage(), unwrap(error)));
            } else if (!closedNow) {
                seen(unlock.label, false);
                finish(unlock, UnlockOutcome.ALREADY_OPEN, null);
            } else {
                pulse(unlock);
            }
        }, thread);
    }

    private void pulse(Unlock unlock) {
        unlock.phase = Phase.PULSING;
        unlock.sawClosed = true;
        io.pulse(unlock.spec.board(), unlock.spec.channel(), unlock.pulse).whenCompleteAsync((v, error) -> {
            if (unlock.result.isDone()) {
                return;
            }
            Throwable cause = error == null ? null : unwrap(error);
            if (cause instanceof BoardIo.NotSent) {
                finish(unlock, null, new IOException("柜子 " + plan.cabinetId() + " 格口 " + unlock.label
                        + " 开锁指令未发出 / unlock of compartment " + unlock.label + " of cabinet " + plan.cabinetId()
                        + " not sent: " + cause.getMessage(), cause));
                return;
            }
            if (cause != null) {
                LOG.warn("柜子 {} 格口 {} 开锁应答丢失，继续验证门状态 / Unlock answer for compartment {} of cabinet {} lost ({}):"
                        + " verifying the door anyway", plan.cabinetId(), unlock.label, unlock.label, plan.cabinetId(),
                        cause.getMessage());
            }
            unlock.phase = Phase.VERIFYING;
            unlock.deadline = System.nanoTime() + settings.openWindow().toNanos();
            verify(unlock);
        }, thread);
    }

    private void verify(Unlock unlock) {
        if (unlock.result.isDone()) {
            return;
        }
        io.doorClosed(unlock.spec.board(), unlock.spec.channel()).whenCompleteAsync((closedNow, error) -> {
            if (unlock.result.isDone()) {
                return;
            }
            if (error == null && !closedNow) {
                seen(unlock.label, false);
                finish(unlock, UnlockOutcome.OPENED, null);
                return;
            }
            if (error == null) {
                unlock.sawClosed = true;
            }
            if (System.nanoTime() - unlock.deadline >= 0) {
                if (error == null) {
                    LOG.warn("柜子 {} 格口 {} 在 {} 秒内未打开：卡门 / Compartment {} of cabinet {} did not open within {} s:"
                            + " jammed", plan.cabinetId(), unlock.label, settings.openWindow().toSeconds(),
                            unlock.label, plan.cabinetId(), settings.openWindow().toSeconds());
                    finish(unlock, UnlockOutcome.JAMMED, null);
                } else {
                    TimeoutException timeout = new TimeoutException("柜子 " + plan.cabinetId() + " 格口 " + unlock.label
                            + " 开锁后门状态未知 / door of compartment " + unlock.label + " of cabinet " + plan.cabinetId()
                            + " unknown after the unlock pulse: " + unwrap(error).getMessage());
                    timeout.initCause(unwrap(error));
                    finish(unlock, null, timeout);
                }
                return;
            }
            try {
                thread.schedule(() -> verify(unlock), settings.verifyInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                unlock.result.completeExceptionally(stopped(unlock));
            }
        }, thread);
    }

    /** A door seen open by an unlock: reported at once, so the core hears of the opening with the outcome. */
    private void seen(String label, boolean doorClosed) {
        List<CabinetEvent> events = new ArrayList<>();
        observe(label, doorClosed, null, events);
        if (link != null) {
            report(events);
        }
    }

    private void finish(Unlock unlock, UnlockOutcome outcome, Throwable error) {
        unlocks.remove(unlock);
        if (error != null) {
            LOG.warn(error.getMessage());
            unlock.result.completeExceptionally(error);
        } else {
            LOG.debug("cabinet {} compartment {} unlock: {}", plan.cabinetId(), unlock.label, outcome);
            unlock.result.complete(outcome);
        }
    }

    private IOException stopped(Unlock unlock) {
        String what = unlock.phase == Phase.CHECKING ? "未开锁 / not unlocked"
                : "开锁指令已发出，门状态未验证 / the unlock pulse went out, the door was not verified";
        return new IOException("厂商模块停止，柜子 " + plan.cabinetId() + " 格口 " + unlock.label + " " + what
                + " (vendor bundle stopping: cabinet " + plan.cabinetId() + ", compartment " + unlock.label + ")");
    }

    // --- close ---

    /** Stops everything and detaches the link with {@code reason}; waits at most 2 s for the cabinet's thread. */
    public void close(String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    closeOnThread(reason);
                } finally {
                    done.complete(null);
                }
            });
            done.get(2, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            closed = true;
            detach(reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            detach(reason);
        } finally {
            thread.shutdownNow();
            io.close();
        }
    }

    private void closeOnThread(String reason) {
        closed = true;
        if (nextPoll != null) {
            nextPoll.cancel(false);
        }
        for (Unlock unlock : List.copyOf(unlocks)) {
            unlock.result.completeExceptionally(stopped(unlock));
        }
        unlocks.clear();
        if (link != null && !pending.isEmpty()) {
            report(List.of());
        }
        detach(reason);
    }

    private void detach(String reason) {
        CabinetLink current = link;
        link = null;
        if (current != null) {
            try {
                current.detach(reason);
            } catch (RuntimeException e) {
                LOG.warn("柜子 {} 断开失败 / Detaching cabinet {} failed: {}", plan.cabinetId(), plan.cabinetId(),
                        e.toString());
            }
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    @Override
    public String toString() {
        return plan.vendor() + " driver of cabinet " + plan.cabinetId();
    }
}
