package org.lockergate.core.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.lockergate.api.spi.CabinetDriver;
import org.lockergate.api.spi.UnlockOutcome;

/** A cabinet driver that answers what the test scripted per door (default: opened), or times out. */
final class FakeDriver implements CabinetDriver {

    /** What the door does: an outcome, or no answer. */
    enum Answer {
        OPENED, ALREADY_OPEN, JAMMED, TIMEOUT
    }

    private final Map<String, Deque<Answer>> scripted = new ConcurrentHashMap<>();
    final List<String> unlocks = new CopyOnWriteArrayList<>();
    final List<Duration> pulses = new CopyOnWriteArrayList<>();

    FakeDriver answer(String label, Answer... answers) {
        scripted.computeIfAbsent(label, l -> new ArrayDeque<>()).addAll(List.of(answers));
        return this;
    }

    @Override
    public CompletionStage<UnlockOutcome> unlock(String compartment, Duration pulse) {
        unlocks.add(compartment);
        pulses.add(pulse);
        Deque<Answer> queue = scripted.get(compartment);
        Answer answer;
        synchronized (this) {
            answer = queue == null || queue.isEmpty() ? Answer.OPENED : queue.pollFirst();
        }
        return switch (answer) {
            case OPENED -> CompletableFuture.completedFuture(UnlockOutcome.OPENED);
            case ALREADY_OPEN -> CompletableFuture.completedFuture(UnlockOutcome.ALREADY_OPEN);
            case JAMMED -> CompletableFuture.completedFuture(UnlockOutcome.JAMMED);
            case TIMEOUT -> CompletableFuture.failedFuture(new TimeoutException("no answer"));
        };
    }
}
