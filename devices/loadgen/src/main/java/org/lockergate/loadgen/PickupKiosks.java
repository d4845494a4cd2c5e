package org.lockergate.loadgen;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.lockergate.devices.coap.SimulatedKiosk;

/**
 * The residents' kiosks, under the keypad rule (R9, core's {@code KeypadThrottle}): the gateway allows at most
 * {@code budget} (6) pickup attempts per minute per (group, keypad), and over plain CoAP the keypad is the kiosk's
 * IP address <em>without the port</em>, so every kiosk on 127.0.0.1 would share one budget of 6 pickups a minute
 * per group. Each kiosk here therefore binds its own loopback address ({@code 127.P.x.y}, all of 127/8 is local on
 * Linux) and is given at most {@code budget} pickups per 61 s (one second of margin for the gateway's own clock).
 *
 * <p>A kiosk that used its budget rests; when more than {@code restCap} kiosks rest, the oldest idle one is stopped
 * (its endpoint and three threads freed) and a fresh kiosk on a new address takes over. Fresh kiosks are started
 * ahead of need by a background thread, so a lane never waits for a Californium endpoint to start. Counters say
 * how many kiosks were made, and how long lanes waited for a budget (0 unless the cap of live kiosks is reached).
 */
final class PickupKiosks implements AutoCloseable {

    private static final long WINDOW_NANOS = Duration.ofSeconds(61).toNanos();

    /** A kiosk with its attempts of the last window. */
    static final class Keypad {
        final SimulatedKiosk kiosk;
        private final Deque<Long> attempts = new ArrayDeque<>();
        private int inFlight;
        private boolean resting;

        Keypad(SimulatedKiosk kiosk) {
            this.kiosk = kiosk;
        }

        long availableAt(int budget) {
            return attempts.size() < budget ? 0 : attempts.peekFirst() + WINDOW_NANOS;
        }

        void prune(long now) {
            while (!attempts.isEmpty() && attempts.peekFirst() + WINDOW_NANOS <= now) {
                attempts.removeFirst();
            }
        }
    }

    private final String gateway;
    private final String addressPrefix;
    private final int budget;
    private final int restCap;
    private final int spares;
    private final Duration requestTimeout;
    private final Map<String, Group> groups = new HashMap<>();
    private final AtomicInteger addresses = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger maxLive = new AtomicInteger();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong stopped = new AtomicLong();
    private final AtomicLong waitNanos = new AtomicLong();
    private final AtomicLong lockedAnswers = new AtomicLong();
    private final LinkedBlockingQueue<SimulatedKiosk> retired = new LinkedBlockingQueue<>();
    private final Thread helper;
    private volatile boolean running = true;

    private final class Group {
        final String groupId;
        final Deque<Keypad> ready = new ArrayDeque<>();
        final Deque<Keypad> resting = new ArrayDeque<>();
        final LinkedBlockingQueue<SimulatedKiosk> fresh = new LinkedBlockingQueue<>();

        Group(String groupId) {
            this.groupId = groupId;
        }
    }

    PickupKiosks(List<String> groupIds, String gateway, String addressPrefix, int budget, int restCap, int spares,
            Duration requestTimeout) {
        this.gateway = gateway;
        this.addressPrefix = addressPrefix;
        this.budget = budget;
        this.restCap = restCap;
        this.spares = spares;
        this.requestTimeout = requestTimeout;
        for (String g : groupIds) {
            groups.put(g, new Group(g));
        }
        helper = new Thread(this::helperLoop, "pickup-kiosk-helper");
        helper.setDaemon(true);
        helper.start();
    }

    /** A kiosk of the group with a free attempt in its window; the attempt is counted now. */
    Keypad acquire(String groupId) throws InterruptedException {
        Group g = groups.get(groupId);
        long waitStart = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            synchronized (g) {
                Keypad k = g.ready.peekFirst();
                if (k == null && !g.resting.isEmpty() && g.resting.peekFirst().availableAt(budget) <= now) {
                    k = g.resting.pollFirst();
                    k.resting = false;
                    k.prune(now);
                    g.ready.addLast(k);
                }
                if (k == null) {
                    SimulatedKiosk s = g.fresh.poll();
                    if (s != null) {
                        k = new Keypad(s);
                        g.ready.addLast(k);
                    }
                }
                if (k != null) {
                    k.prune(now);
                    k.attempts.addLast(now);
                    k.inFlight++;
                    if (k.attempts.size() >= budget) {
                        g.ready.remove(k);
                        k.resting = true;
                        g.resting.addLast(k);
                    }
                    waitNanos.addAndGet(now - waitStart);
                    return k;
                }
            }
            // no kiosk and no spare yet: make one here (the helper is behind)
            SimulatedKiosk s = newKiosk(groupId);
            g.fresh.add(s);
        }
    }

    /** The call on this kiosk is over. */
    void release(String groupId, Keypad k) {
        Group g = groups.get(groupId);
        synchronized (g) {
            k.inFlight--;
            while (g.resting.size() > restCap) {
                Keypad oldest = g.resting.peekFirst();
                if (oldest.inFlight > 0) {
                    break;
                }
                g.resting.pollFirst();
                retired.add(oldest.kiosk);
            }
        }
    }

    /** The gateway answered {@code locked} (4.29): treat the kiosk's budget as spent for a window. */
    void spent(String groupId, Keypad k) {
        lockedAnswers.incrementAndGet();
        Group g = groups.get(groupId);
        synchronized (g) {
            long now = System.nanoTime();
            while (k.attempts.size() < budget) {
                k.attempts.addLast(now);
            }
            if (!k.resting) {
                g.ready.remove(k);
                k.resting = true;
                g.resting.addLast(k);
            }
        }
    }

    private SimulatedKiosk newKiosk(String groupId) {
        int n = addresses.getAndIncrement();
        String address = addressPrefix + "." + (n / 250 % 256) + "." + (1 + n % 250);
        SimulatedKiosk kiosk = SimulatedKiosk.builder().groupId(groupId).kioskId("bench-pickup-" + n)
                .gateway(gateway).bind(new InetSocketAddress(address, 0)).requestTimeout(requestTimeout).build();
        kiosk.start();
        created.incrementAndGet();
        int now = live.incrementAndGet();
        maxLive.accumulateAndGet(now, Math::max);
        return kiosk;
    }

    private void helperLoop() {
        while (running) {
            try {
                SimulatedKiosk old;
                while ((old = retired.poll()) != null) {
                    old.stop();
                    live.decrementAndGet();
                    stopped.incrementAndGet();
                }
                boolean made = false;
                for (Group g : groups.values()) {
                    if (g.fresh.size() < spares) {
                        g.fresh.add(newKiosk(g.groupId));
                        made = true;
                    }
                }
                if (!made) {
                    Thread.sleep(2);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.err.println("pickup kiosk helper: " + e);
            }
        }
    }

    long created() {
        return created.get();
    }

    long stopped() {
        return stopped.get();
    }

    int live() {
        return live.get();
    }

    int maxLive() {
        return maxLive.get();
    }

    long waitNanos() {
        return waitNanos.get();
    }

    long lockedAnswers() {
        return lockedAnswers.get();
    }

    @Override
    public void close() {
        running = false;
        helper.interrupt();
        try {
            helper.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Group g : groups.values()) {
            synchronized (g) {
                g.ready.forEach(k -> k.kiosk.stop());
                g.resting.forEach(k -> k.kiosk.stop());
                g.fresh.forEach(SimulatedKiosk::stop);
            }
        }
        retired.forEach(SimulatedKiosk::stop);
    }
}
