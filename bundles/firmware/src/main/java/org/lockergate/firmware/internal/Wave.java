package org.lockergate.firmware.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.lockergate.api.spi.FirmwareUpdater.Verdict;

/**
 * One rollout of an image to the cabinets of its vendor and model, in two waves: the first cabinet alone (the
 * canary), then the rest one after another. A cabinet is never updated while it is busy (a door open, a compartment
 * OPENING or RESERVED: a pickup or deposit in progress): it waits, the others go first, and it is skipped when it
 * stays busy longer than {@code busyGiveUp}. A transfer that breaks off (timeout, the cabinet rebooted mid-transfer)
 * is started again from the first block once the cabinet is back, up to {@code attempts} times. A cabinet that
 * refuses the image, never finishes the transfer or does not come back with the new version within
 * {@code rebootTimeout} has failed: it keeps its old firmware, the alarm {@code firmware_failed} is raised, and
 * the wave stops — the cabinets not yet updated are skipped ({@code wave_stopped}).
 *
 * <p>Time goes through {@code now} and {@code sleeper}, so tests run a whole rollout on a test clock.
 */
final class Wave {

    /** A cabinet to update, with the firmware it had when the rollout started. */
    record Target(String cabinetId, String groupId, String firmware) {
    }

    /** What the gateway knows of a cabinet now. */
    record Status(String firmware, boolean online) {
    }

    /** The cabinets, as the rollout sees them. */
    interface Fleet {
        /** Why the cabinet must not be updated now (door open, pickup in progress), empty when it may. */
        Optional<String> busy(Target target);

        Optional<Status> status(Target target);

        CompletableFuture<Verdict> transfer(Target target, Duration timeout);
    }

    /** Progress of one cabinet, and its failure. */
    interface Listener {
        void progress(Target target, String stage, int attempt, String message);

        void failed(Target target, String message);
    }

    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    record Settings(Duration busyRetry, Duration busyGiveUp, Duration transferTimeout, Duration rebootTimeout,
            Duration poll, int attempts) {
    }

    /** The end of one cabinet's update. */
    enum Result { UPDATED, ALREADY_CURRENT, FAILED, SKIPPED_BUSY, SKIPPED_WAVE_STOPPED }

    record Outcome(Result result, String message) {
    }

    private final String version;
    private final List<Target> targets;
    private final Fleet fleet;
    private final Listener listener;
    private final Settings settings;
    private final Supplier<Instant> now;
    private final Sleeper sleeper;
    private final Map<String, Outcome> outcomes = new LinkedHashMap<>();

    Wave(String version, List<Target> targets, Fleet fleet, Listener listener, Settings settings,
            Supplier<Instant> now, Sleeper sleeper) {
        this.version = version;
        this.targets = List.copyOf(targets);
        this.fleet = fleet;
        this.listener = listener;
        this.settings = settings;
        this.now = now;
        this.sleeper = sleeper;
    }

    /** Runs the rollout to its end; returns the outcome of every target, in the order they ended. */
    Map<String, Outcome> run() throws InterruptedException {
        if (targets.isEmpty()) {
            return Map.of();
        }
        Deque<Target> canary = new ArrayDeque<>(List.of(targets.get(0)));
        boolean ok = runQueue(canary, "canary");
        Deque<Target> rest = new ArrayDeque<>(targets.subList(1, targets.size()));
        if (ok) {
            runQueue(rest, "wave");
        }
        for (Target target : targets) {
            if (!outcomes.containsKey(target.cabinetId())) {
                String message = "前一个柜子升级失败，本轮停止 / skipped: the wave stopped after a cabinet failed";
                outcomes.put(target.cabinetId(), new Outcome(Result.SKIPPED_WAVE_STOPPED, message));
                listener.progress(target, "skipped", 0, message);
            }
        }
        return Map.copyOf(outcomes);
    }

    /** Updates the queue's cabinets, a busy one going to the back; false when one failed (the wave stops). */
    private boolean runQueue(Deque<Target> queue, String phase) throws InterruptedException {
        Map<String, Instant> busySince = new LinkedHashMap<>();
        while (!queue.isEmpty()) {
            Target target = queue.pollFirst();
            Optional<Status> status = fleet.status(target);
            if (status.isPresent() && version.equals(status.get().firmware())) {
                finish(target, Result.ALREADY_CURRENT, "已是版本 " + version + " / already on " + version);
                continue;
            }
            Optional<String> busy = fleet.busy(target);
            if (busy.isPresent()) {
                Instant since = busySince.computeIfAbsent(target.cabinetId(), id -> now.get());
                if (!now.get().isBefore(since.plus(settings.busyGiveUp()))) {
                    finish(target, Result.SKIPPED_BUSY, "柜子一直在使用中，跳过 / skipped: busy for "
                            + settings.busyGiveUp().toSeconds() + " s (" + busy.get() + ")");
                    continue;
                }
                listener.progress(target, "waiting", 0, "柜子使用中，稍后重试 / waiting: " + busy.get());
                queue.addLast(target);
                if (queue.stream().allMatch(t -> busySince.containsKey(t.cabinetId()))) {
                    sleeper.sleep(settings.busyRetry()); // everyone left is busy: wait before asking again
                }
                continue;
            }
            if (!update(target, phase)) {
                return false;
            }
        }
        return true;
    }

    private boolean update(Target target, String phase) throws InterruptedException {
        String lastProblem = "";
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            listener.progress(target, "transferring", attempt, phase + ": " + target.firmware() + " → " + version);
            Verdict verdict;
            try {
                verdict = fleet.transfer(target, settings.transferTimeout())
                        .get(settings.transferTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                lastProblem = String.valueOf(cause.getMessage());
                listener.progress(target, "interrupted", attempt, "传输中断，将从头重传 / transfer broke off, starting "
                        + "again: " + lastProblem);
                if (!awaitOnline(target)) {
                    lastProblem += "; the cabinet did not come back within " + settings.rebootTimeout().toSeconds()
                            + " s";
                    break;
                }
                continue;
            }
            if (!verdict.accepted()) {
                return fail(target, "柜子拒绝了固件 / the cabinet refused the image: " + verdict.code() + " "
                        + verdict.error() + " " + verdict.message());
            }
            listener.progress(target, "rebooting", attempt, "柜子已验证固件，正在重启 / verified by the cabinet, "
                    + "rebooting");
            if (awaitVersion(target)) {
                finish(target, Result.UPDATED, "已升级到 " + version + " / updated to " + version);
                return true;
            }
            Optional<Status> after = fleet.status(target);
            return fail(target, "柜子重启后未报告新版本 / the cabinet did not register with " + version + " within "
                    + settings.rebootTimeout().toSeconds() + " s (reports " + after.map(Status::firmware)
                    .orElse("nothing") + ")");
        }
        return fail(target, "传输 " + settings.attempts() + " 次均未完成 / the transfer did not complete in "
                + settings.attempts() + " attempts: " + lastProblem);
    }

    private boolean awaitVersion(Target target) throws InterruptedException {
        Instant deadline = now.get().plus(settings.rebootTimeout());
        while (now.get().isBefore(deadline)) {
            Optional<Status> status = fleet.status(target);
            if (status.isPresent() && status.get().online() && version.equals(status.get().firmware())) {
                return true;
            }
            sleeper.sleep(settings.poll());
        }
        return false;
    }

    /** After a broken transfer: wait until the cabinet is online again (it may have rebooted). */
    private boolean awaitOnline(Target target) throws InterruptedException {
        Instant deadline = now.get().plus(settings.rebootTimeout());
        sleeper.sleep(settings.poll());
        while (now.get().isBefore(deadline)) {
            if (fleet.status(target).map(Status::online).orElse(false)) {
                return true;
            }
            sleeper.sleep(settings.poll());
        }
        return false;
    }

    private boolean fail(Target target, String message) {
        finish(target, Result.FAILED, message);
        listener.failed(target, message);
        return false;
    }

    private void finish(Target target, Result result, String message) {
        outcomes.put(target.cabinetId(), new Outcome(result, message));
        listener.progress(target, switch (result) {
            case UPDATED, ALREADY_CURRENT -> "updated";
            case FAILED -> "failed";
            default -> "skipped";
        }, 0, message);
    }
}
