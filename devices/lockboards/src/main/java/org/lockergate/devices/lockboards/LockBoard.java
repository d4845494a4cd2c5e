package org.lockergate.devices.lockboards;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One simulated lock board: doors (closed at start), items (absent at start), jammed locks, fault bits, an unlock
 * counter, and how it misbehaves on the wire ({@link Fault}). Channels are numbered from 1. Door physics: an unlock
 * pulse opens a closed, unjammed door after {@link #openDelay(Duration) openDelay}; with
 * {@link #autoClose(Duration) autoClose} set, the door closes again that long after it opened. Unlocking a jammed
 * lock leaves the door closed and sets fault bit 0. Thread-safe.
 */
public final class LockBoard {

    /** How the board behaves on the wire. */
    public enum Fault {
        /** Answers normally. */
        NONE,
        /** Never answers (powered off, cable cut). */
        OFFLINE,
        /** Answers after {@link LockBoard#slowDelay(Duration)}. */
        SLOW,
        /** Sends noise and corrupt frames around (Kerong) or instead of (CU48: a frame with a wrong transaction id
         * followed by junk) its answers. */
        GARBAGE,
        /** Answers with an exception (CU48: 04 device failure); Kerong boards have none and stay silent. */
        EXCEPTION
    }

    private final int address;
    private final int channels;
    private final int firmware;
    private final ScheduledExecutorService scheduler;
    private final boolean[] doorClosed;
    private final boolean[] itemPresent;
    private final boolean[] jammed;
    private final int[] unlocks;
    private int faultBits;
    private int unlockCounter;
    private int pulseMillis = 400;
    private volatile Fault fault = Fault.NONE;
    private volatile Duration slowDelay = Duration.ofSeconds(1);
    private volatile Duration openDelay = Duration.ofMillis(50);
    private volatile Duration autoClose = Duration.ZERO;

    LockBoard(int address, int channels, int firmware, ScheduledExecutorService scheduler) {
        this.address = address;
        this.channels = channels;
        this.firmware = firmware;
        this.scheduler = scheduler;
        this.doorClosed = new boolean[channels];
        this.itemPresent = new boolean[channels];
        this.jammed = new boolean[channels];
        this.unlocks = new int[channels];
        java.util.Arrays.fill(doorClosed, true);
    }

    /** The board's bus address (Modbus unit id, Kerong board address). */
    public int address() {
        return address;
    }

    public int channels() {
        return channels;
    }

    public int firmware() {
        return firmware;
    }

    public synchronized boolean doorClosed(int channel) {
        return doorClosed[index(channel)];
    }

    public synchronized boolean itemPresent(int channel) {
        return itemPresent[index(channel)];
    }

    /** Opens or closes a door by hand (a courier, a resident, a test). */
    public synchronized LockBoard door(int channel, boolean closed) {
        doorClosed[index(channel)] = closed;
        return this;
    }

    /** Puts an item in or takes it out. */
    public synchronized LockBoard item(int channel, boolean present) {
        itemPresent[index(channel)] = present;
        return this;
    }

    /** Jams a lock (its door will not open) or frees it. */
    public synchronized LockBoard jam(int channel, boolean jam) {
        jammed[index(channel)] = jam;
        return this;
    }

    /** Fault bits (bit 0 = a door is jammed). */
    public synchronized int faultBits() {
        return faultBits;
    }

    /** Clears the fault bits (a technician's reset). */
    public synchronized LockBoard clearFaults() {
        faultBits = 0;
        return this;
    }

    public synchronized LockBoard faultBits(int bits) {
        faultBits = bits & 0xFFFF;
        return this;
    }

    /** Unlock pulses received, all channels. */
    public synchronized int unlockCounter() {
        return unlockCounter;
    }

    /** Unlock pulses received by one channel. */
    public synchronized int unlocks(int channel) {
        return unlocks[index(channel)];
    }

    public synchronized int pulseMillis() {
        return pulseMillis;
    }

    synchronized void pulseMillis(int millis) {
        pulseMillis = millis;
    }

    public Fault fault() {
        return fault;
    }

    public LockBoard fault(Fault value) {
        fault = value == null ? Fault.NONE : value;
        synchronized (this) {
            notifyAll();
        }
        return this;
    }

    public Duration slowDelay() {
        return slowDelay;
    }

    public LockBoard slowDelay(Duration value) {
        slowDelay = value;
        return this;
    }

    /** How long after the pulse an unjammed door opens (default 50 ms). */
    public LockBoard openDelay(Duration value) {
        openDelay = value;
        return this;
    }

    /** How long an opened door stays open before it closes by itself; zero (default) = until closed by hand. */
    public LockBoard autoClose(Duration value) {
        autoClose = value == null ? Duration.ZERO : value;
        return this;
    }

    /** An unlock pulse on one channel (what the wire command does). */
    public void unlock(int channel) {
        int i = index(channel);
        boolean open;
        synchronized (this) {
            unlockCounter = (unlockCounter + 1) & 0xFFFF;
            unlocks[i]++;
            if (jammed[i]) {
                faultBits |= 1;
                return;
            }
            open = doorClosed[i];
        }
        if (open) {
            later(openDelay, () -> {
                synchronized (this) {
                    if (jammed[i]) {
                        return;
                    }
                    doorClosed[i] = false;
                }
                Duration close = autoClose;
                if (!close.isZero() && !close.isNegative()) {
                    later(close, () -> door(channel, true));
                }
            });
        }
    }

    /** Blocks while the board is {@link Fault#OFFLINE} (at most {@code max}); returns whether it is online now. */
    boolean awaitOnline(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        synchronized (this) {
            while (fault == Fault.OFFLINE) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    private void later(Duration delay, Runnable action) {
        if (delay.isZero() || delay.isNegative()) {
            action.run();
        } else {
            scheduler.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private int index(int channel) {
        if (channel < 1 || channel > channels) {
            throw new IllegalArgumentException("channel must be 1-" + channels + ": " + channel);
        }
        return channel - 1;
    }

    @Override
    public synchronized String toString() {
        StringBuilder doors = new StringBuilder();
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < channels; i++) {
            doors.append(doorClosed[i] ? (jammed[i] ? 'J' : '-') : 'O');
            items.append(itemPresent[i] ? '#' : '.');
        }
        return "board " + address + " [" + fault + "] doors " + doors + " items " + items + " faultBits 0x"
                + Integer.toHexString(faultBits) + " unlocks " + unlockCounter;
    }
}
