package org.lockergate.devices.coap;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays couriers and residents in front of one group: a courier signs in at the kiosk and deposits a parcel of a
 * random size (the typical stock mix S 69 % / M 23 % / L 8 %); in the compartment the answer names he puts the item
 * and closes the door; later the resident gets the pickup code from a {@link PickupCodeSource} (never from the
 * deposit answer), types it — now and then a wrong one first — takes the item and closes the door. Some parcels are
 * left for long, so they become overdue.
 *
 * <p>Runs on two daemon threads until {@link #stop()}, or for a given number of cycles (deposits); logs what it does
 * in plain words (Chinese and English) at INFO.
 */
public final class TrafficGenerator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);

    /** Stock mix of sizes (DESIGN.md R10): S 69 %, M 23 %, L 8 %. */
    private static final double SHARE_S = 0.69;
    private static final double SHARE_M = 0.23;
    private static final int CODE_ATTEMPTS = 3;

    private final SimulatedKiosk kiosk;
    private final Map<String, SimulatedCabinet> cabinets;
    private final PickupCodeSource codes;
    private final String courierId;
    private final String pin;
    private final String token;
    private final double depositsPerMinute;
    private final int cycles;
    private final double wrongCodeRate;
    private final double longStayRate;
    private final Duration pickupDelayMin;
    private final Duration pickupDelayMax;
    private final Duration longStay;
    private final Duration codeWait;
    private final Random random;
    private final Clock clock;

    private final Object lock = new Object();
    private final AtomicInteger started = new AtomicInteger();
    private int resolved;
    private int deposits;
    private int depositFailures;
    private int pickups;
    private int pickupFailures;
    private int wrongCodes;
    private int leftForLong;
    private int lockouts;
    private String session;
    private ScheduledThreadPoolExecutor executor;
    private ScheduledFuture<?> depositTask;

    private TrafficGenerator(Builder b) {
        this.kiosk = b.kiosk;
        Map<String, SimulatedCabinet> byId = new LinkedHashMap<>();
        b.cabinets.forEach(c -> byId.put(c.cabinetId(), c));
        this.cabinets = Map.copyOf(byId);
        this.codes = b.codes;
        this.courierId = b.courierId;
        this.pin = b.pin;
        this.token = b.token;
        this.depositsPerMinute = b.depositsPerMinute;
        this.cycles = b.cycles;
        this.wrongCodeRate = b.wrongCodeRate;
        this.longStayRate = b.longStayRate;
        this.pickupDelayMin = b.pickupDelayMin;
        this.pickupDelayMax = b.pickupDelayMax;
        this.longStay = b.longStay;
        this.codeWait = b.codeWait;
        this.random = b.seed == null ? new Random() : new Random(b.seed);
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the generator did so far. */
    public record Stats(int depositsStarted, int deposits, int depositFailures, int pickups, int pickupFailures,
            int wrongCodes, int leftForLong, int lockouts, int resolved) {
    }

    /** Starts depositing at the configured rate; the first deposit goes at once. */
    public void start() {
        synchronized (lock) {
            if (executor != null) {
                throw new IllegalStateException("traffic generator already started");
            }
            executor = new ScheduledThreadPoolExecutor(2, runnable -> {
                Thread thread = new Thread(runnable, "lockergate-traffic-" + kiosk.groupId());
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            long periodMillis = Math.max(1, Math.round(60_000.0 / depositsPerMinute));
            depositTask = executor.scheduleAtFixedRate(this::depositCycle, 0, periodMillis, TimeUnit.MILLISECONDS);
        }
        LOG.info("模拟流量开始：柜组 {}，每分钟 {} 件，快递员 {} — traffic started for group {}: {} deposits per minute, "
                + "courier {}{}", kiosk.groupId(), depositsPerMinute, courierId, kiosk.groupId(), depositsPerMinute,
                courierId, cycles > 0 ? ", " + cycles + " cycles" : "");
    }

    /** Stops at once: pickups not yet done stay in the lockers. */
    public void stop() {
        ScheduledThreadPoolExecutor current;
        synchronized (lock) {
            current = executor;
            executor = null;
            lock.notifyAll();
        }
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("模拟流量停止 — traffic stopped: {}", stats());
        }
    }

    @Override
    public void close() {
        stop();
    }

    public Stats stats() {
        synchronized (lock) {
            return new Stats(started.get(), deposits, depositFailures, pickups, pickupFailures, wrongCodes,
                    leftForLong, lockouts, resolved);
        }
    }

    /**
     * With a number of cycles: waits until every one of them is resolved (picked up, left for long, or failed).
     * Returns {@code false} on timeout, and at once when the generator runs without a bound.
     */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        if (cycles <= 0) {
            return false;
        }
        synchronized (lock) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (resolved < cycles) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    // ---------------------------------------------------------------------------------------------- courier

    private void depositCycle() {
        int n = started.incrementAndGet();
        if (cycles > 0 && n > cycles) {
            started.decrementAndGet();
            synchronized (lock) {
                if (depositTask != null) {
                    depositTask.cancel(false);
                }
            }
            return;
        }
        try {
            deposit(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("存件出错 — deposit {} failed: {}", n, e.toString());
            count(() -> depositFailures++, true);
        }
    }

    private void deposit(int n) throws InterruptedException {
        String current = session();
        if (current == null) {
            count(() -> depositFailures++, true);
            return;
        }
        Size size = randomSize();
        String waybill = waybillPrefix() + digits(10);
        String phone = "1" + (3 + random.nextInt(7)) + digits(9);
        Consent consent = new Consent("app", "C-" + digits(6), OffsetDateTime.now(clock), random.nextDouble() < 0.8);
        DepositResult result = kiosk.deposit(current, waybill, size, phone, consent, Declared.NONE);
        if ("no_session".equals(result.reply().error())) {
            synchronized (lock) {
                session = null;
            }
            current = session();
            if (current == null) {
                count(() -> depositFailures++, true);
                return;
            }
            result = kiosk.deposit(current, waybill, size, phone, consent, Declared.NONE);
        }
        if (!result.ok()) {
            LOG.info("存件 #{} ({}) 被拒：{} {} — deposit #{} ({}) refused: {} {}", n, size, result.reply().codeText(),
                    result.reply().error(), n, size, result.reply().codeText(), result.reply().error());
            count(() -> depositFailures++, true);
            return;
        }
        SimulatedCabinet cabinet = cabinets.get(result.cabinetId());
        String label = result.compartment();
        if (cabinet == null) {
            LOG.warn("存件 #{} 分到了不在模拟中的柜 {} — deposit #{} went to cabinet {}, which is not simulated here", n,
                    result.cabinetId(), n, result.cabinetId());
            count(() -> depositFailures++, true);
            return;
        }
        if (!result.skipped().isEmpty()) {
            StringBuilder skipped = new StringBuilder();
            result.skipped().forEach(s -> skipped.append(skipped.length() == 0 ? "" : ", ").append(s.compartment())
                    .append(" (").append(s.outcome()).append(')'));
            LOG.info("存件 #{} 跳过了格口 {} — deposit #{} skipped {}", n, skipped, n, skipped);
        }
        cabinet.putItem(label);
        cabinet.closeDoor(label);
        count(() -> deposits++, false);
        LOG.info("快递员 {} 存入包裹 {}（{}，运单 {}）到 {}/{}，已放入并关门 — courier {} deposited parcel {} ({}, waybill {}) "
                + "in {}/{}, put the item in and closed the door", courierId, result.parcelId(), size, waybill,
                cabinet.cabinetId(), label, courierId, result.parcelId(), size, waybill, cabinet.cabinetId(), label);
        Parcel parcel = new Parcel(n, result.parcelId(), phone);
        if (random.nextDouble() < longStayRate) {
            count(() -> leftForLong++, true);
            LOG.info("包裹 {} 将久放不取（会超期）— parcel {} will be left for long (overdue)", parcel.id, parcel.id);
            schedule(() -> pickup(parcel, 1, true), longStay);
        } else {
            schedule(() -> pickup(parcel, 1, false), randomDelay());
        }
    }

    /** The courier's session, signing in when there is none; {@code null} when signing in failed. */
    private String session() throws InterruptedException {
        synchronized (lock) {
            if (session != null) {
                return session;
            }
        }
        SessionResult result = token != null ? kiosk.signInWithToken(token) : kiosk.signIn(courierId, pin);
        if (!result.ok()) {
            LOG.warn("快递员 {} 登录失败：{} {} — courier {} could not sign in: {} {}", courierId,
                    result.reply().codeText(), result.reply().body(), courierId, result.reply().codeText(),
                    result.reply().body());
            return null;
        }
        LOG.info("快递员 {}（{}）登录 — courier {} ({}) signed in", courierId, result.company(), courierId,
                result.company());
        synchronized (lock) {
            session = result.session();
            return session;
        }
    }

    // ---------------------------------------------------------------------------------------------- resident

    private record Parcel(int cycle, String id, String phone) {
    }

    private void pickup(Parcel parcel, int attempt, boolean afterLongStay) {
        try {
            Optional<PickupNotice> notice = codes.await(parcel.id, codeWait);
            if (notice.isEmpty()) {
                if (attempt < CODE_ATTEMPTS) {
                    LOG.info("包裹 {} 还没有取件码，稍后再试 — no pickup code for parcel {} yet, trying later", parcel.id,
                            parcel.id);
                    schedule(() -> pickup(parcel, attempt + 1, afterLongStay), randomDelay());
                } else {
                    LOG.warn("包裹 {} 一直没有取件码，放弃 — parcel {} never got a pickup code, giving up", parcel.id,
                            parcel.id);
                    count(() -> pickupFailures++, !afterLongStay);
                }
                return;
            }
            String code = notice.get().code();
            String phoneLast4 = random.nextDouble() < 0.3 ? parcel.phone.substring(parcel.phone.length() - 4) : null;
            if (attempt == 1 && random.nextDouble() < wrongCodeRate) {
                String wrong = wrongCode(code);
                PickupResult refused = kiosk.pickup(wrong, null);
                count(() -> wrongCodes++, false);
                LOG.info("居民输错取件码 {} → {} {}（剩余 {} 次）— a resident typed a wrong code {} → {} {} ({} attempts left)",
                        wrong, refused.reply().codeText(), refused.reply().error(), refused.reply().attemptsLeft(),
                        wrong, refused.reply().codeText(), refused.reply().error(), refused.reply().attemptsLeft());
            }
            PickupResult result = kiosk.pickup(code, phoneLast4);
            if ("locked".equals(result.reply().error())) {
                count(() -> lockouts++, false);
                OffsetDateTime until = result.reply().lockedUntil();
                Duration wait = until == null ? Duration.ofMinutes(1)
                        : Duration.between(OffsetDateTime.now(clock), until).plusSeconds(1);
                LOG.info("键盘锁定到 {}，包裹 {} 稍后再取 — keypad locked until {}, parcel {} later", until, parcel.id,
                        until, parcel.id);
                schedule(() -> pickup(parcel, attempt + 1, afterLongStay), wait.isNegative() ? Duration.ZERO : wait);
                return;
            }
            if (!result.ok()) {
                LOG.info("取件失败，包裹 {}：{} {} — pickup of parcel {} failed: {} {}", parcel.id,
                        result.reply().codeText(), result.reply().error(), parcel.id, result.reply().codeText(),
                        result.reply().error());
                count(() -> pickupFailures++, !afterLongStay);
                return;
            }
            SimulatedCabinet cabinet = cabinets.get(result.cabinetId());
            if (cabinet != null) {
                cabinet.takeItem(result.compartment());
                cabinet.closeDoor(result.compartment());
            }
            count(() -> pickups++, !afterLongStay);
            LOG.info("居民取走包裹 {}（{}/{}，费用 {} 分{}），已关门 — a resident picked up parcel {} ({}/{}, fee {} fen{}) "
                    + "and closed the door", parcel.id, result.cabinetId(), result.compartment(), result.feeFen(),
                    result.feeOwed() ? "，欠费" : "", parcel.id, result.cabinetId(), result.compartment(),
                    result.feeFen(), result.feeOwed() ? ", owed" : "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("取件出错 — pickup of parcel {} failed: {}", parcel.id, e.toString());
            count(() -> pickupFailures++, !afterLongStay);
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private void schedule(Runnable job, Duration delay) {
        ScheduledThreadPoolExecutor current;
        synchronized (lock) {
            current = executor;
        }
        if (current == null) {
            return;
        }
        try {
            current.schedule(job, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // stopped meanwhile
        }
    }

    private void count(Runnable increment, boolean resolves) {
        synchronized (lock) {
            increment.run();
            if (resolves) {
                resolved++;
            }
            lock.notifyAll();
        }
    }

    private Size randomSize() {
        double r = random.nextDouble();
        return r < SHARE_S ? Size.S : r < SHARE_S + SHARE_M ? Size.M : Size.L;
    }

    private Duration randomDelay() {
        long min = pickupDelayMin.toMillis();
        long max = Math.max(min, pickupDelayMax.toMillis());
        return Duration.ofMillis(min + (max == min ? 0 : (long) (random.nextDouble() * (max - min))));
    }

    private String waybillPrefix() {
        String letters = courierId.replaceAll("[^A-Za-z]", "");
        return letters.isEmpty() ? "WB" : letters.substring(0, Math.min(2, letters.length())).toUpperCase();
    }

    private String digits(int count) {
        StringBuilder text = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            text.append((char) ('0' + random.nextInt(10)));
        }
        return text.toString();
    }

    private String wrongCode(String code) {
        String wrong;
        do {
            wrong = digits(Math.max(1, code.length()));
        } while (wrong.equals(code));
        return wrong;
    }

    // ---------------------------------------------------------------------------------------------- builder

    /** Builds a {@link TrafficGenerator}. */
    public static final class Builder {
        private SimulatedKiosk kiosk;
        private List<SimulatedCabinet> cabinets = List.of();
        private PickupCodeSource codes;
        private String courierId;
        private String pin;
        private String token;
        private double depositsPerMinute = 6;
        private int cycles;
        private double wrongCodeRate = 0.1;
        private double longStayRate = 0.05;
        private Duration pickupDelayMin = Duration.ofSeconds(20);
        private Duration pickupDelayMax = Duration.ofMinutes(2);
        private Duration longStay = Duration.ofHours(26);
        private Duration codeWait = Duration.ofSeconds(30);
        private Long seed;
        private Clock clock = Clock.systemDefaultZone();

        private Builder() {
        }

        /** The group's kiosk. Required. */
        public Builder kiosk(SimulatedKiosk value) {
            this.kiosk = value;
            return this;
        }

        /** The simulated cabinets of the kiosk's group: the generator plays the people in front of them. Required. */
        public Builder cabinets(List<SimulatedCabinet> value) {
            this.cabinets = List.copyOf(value);
            return this;
        }

        /** Where residents learn their pickup codes. Required. */
        public Builder codes(PickupCodeSource value) {
            this.codes = value;
            return this;
        }

        /** The courier who signs in with id and PIN. */
        public Builder courier(String id, String pinValue) {
            this.courierId = id;
            this.pin = pinValue;
            return this;
        }

        /** The courier who signs in with a login token from his company's app instead of a PIN. */
        public Builder courierToken(String id, String tokenValue) {
            this.courierId = id;
            this.token = tokenValue;
            return this;
        }

        /** Deposits per minute; default 6. */
        public Builder depositsPerMinute(double value) {
            this.depositsPerMinute = value;
            return this;
        }

        /** Stop after this many deposits (0, the default: until stopped). */
        public Builder cycles(int value) {
            this.cycles = value;
            return this;
        }

        /** Share of pickups that first type a wrong code; default 0.1. */
        public Builder wrongCodeRate(double value) {
            this.wrongCodeRate = value;
            return this;
        }

        /** Share of parcels left for long (they become overdue); default 0.05. */
        public Builder longStayRate(double value) {
            this.longStayRate = value;
            return this;
        }

        /** Time between a deposit and its pickup, drawn evenly from this range; default 20 s to 2 min. */
        public Builder pickupDelay(Duration min, Duration max) {
            this.pickupDelayMin = min;
            this.pickupDelayMax = max;
            return this;
        }

        /** How long parcels left for long stay; default 26 h. */
        public Builder longStay(Duration value) {
            this.longStay = value;
            return this;
        }

        /** How long a resident waits for the code to arrive; default 30 s. */
        public Builder codeWait(Duration value) {
            this.codeWait = value;
            return this;
        }

        /** A seed for repeatable sizes, codes and choices. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public TrafficGenerator build() {
            Objects.requireNonNull(kiosk, "kiosk");
            Objects.requireNonNull(codes, "codes");
            if (cabinets.isEmpty()) {
                throw new IllegalArgumentException("the traffic generator needs the group's simulated cabinets");
            }
            for (SimulatedCabinet cabinet : cabinets) {
                if (!cabinet.groupId().equals(kiosk.groupId())) {
                    throw new IllegalArgumentException("cabinet " + cabinet.cabinetId() + " is in group "
                            + cabinet.groupId() + ", the kiosk in " + kiosk.groupId());
                }
            }
            if (courierId == null || (pin == null && token == null)) {
                throw new IllegalArgumentException("a courier id with a PIN or a token is required");
            }
            if (!(depositsPerMinute > 0) || cycles < 0 || wrongCodeRate < 0 || wrongCodeRate > 1 || longStayRate < 0
                    || longStayRate > 1) {
                throw new IllegalArgumentException("rate > 0, cycles ≥ 0, rates of wrong codes and long stays 0–1");
            }
            return new TrafficGenerator(this);
        }
    }
}
