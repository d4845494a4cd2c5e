package org.lockergate.upstream.mqtt.internal;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The seqs of one stream sent on one connection, in send (= seq) order, and which of them the broker acknowledged.
 * Gives the highest seq below which everything is acknowledged — the only seq that may be confirmed in the store.
 */
final class AckWindow {

    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    private final Set<Long> ackedAhead = new HashSet<>();

    synchronized void sent(long seq) {
        sent.addLast(seq);
    }

    /** Takes back the last {@link #sent} when its publish was refused. */
    synchronized void unsent(long seq) {
        if (!sent.isEmpty() && sent.peekLast() == seq) {
            sent.removeLast();
        }
    }

    /**
     * Records the PUBACK of {@code seq}.
     *
     * @return the new highest contiguous acknowledged seq, or -1 when it did not move
     */
    synchronized long acked(long seq) {
        Long head = sent.peekFirst();
        if (head == null || head != seq) {
            if (sent.contains(seq)) {
                ackedAhead.add(seq);
            }
            return -1;
        }
        long highest = sent.removeFirst();
        while (!sent.isEmpty() && ackedAhead.remove(sent.peekFirst())) {
            highest = sent.removeFirst();
        }
        return highest;
    }

    synchronized int inFlight() {
        return sent.size();
    }
}
