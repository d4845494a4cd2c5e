package org.lockergate.vendor.coap.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live registrations, by registration id and by cabinet: at most one per cabinet (a new registration replaces
 * the old one, whose id is then unknown). A registration not refreshed within its lifetime is gone: found expired
 * by a lookup or by {@link #sweep()}, it is removed and its link detached. Thread-safe.
 *
 * <p>Registration ids are 16 random hex digits, so a peer cannot refresh or delete a registration it did not make
 * by guessing its id.
 */
final class Registrations {

    private static final Logger LOG = LoggerFactory.getLogger(Registrations.class);
    private static final int STRIPES = 64;

    private final Map<String, Registration> byId = new HashMap<>();
    private final Map<String, Registration> byCabinet = new HashMap<>();
    private final Object[] stripes = new Object[STRIPES];
    private final SecureRandom random = new SecureRandom();
    private final LongSupplier nanos;
    private boolean closed;

    /** @param nanos the monotonic clock of lifetimes ({@code System::nanoTime}; tests move their own) */
    Registrations(LongSupplier nanos) {
        this.nanos = nanos;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    long now() {
        return nanos.getAsLong();
    }

    /** The lock that serialises attaching one cabinet, so the core and this table agree on its latest link. */
    Object lockFor(String cabinetId) {
        return stripes[Math.floorMod(cabinetId.hashCode(), STRIPES)];
    }

    /** A fresh registration id. */
    String newId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Adds a registration, replacing the cabinet's previous one (whose id is forgotten; its link is not detached: the
     * core has already replaced it with the new one).
     *
     * @return false when the table is closed (the vendor is stopping): the caller must detach the new link
     */
    synchronized boolean put(Registration registration) {
        if (closed) {
            return false;
        }
        Registration before = byCabinet.put(registration.cabinetId(), registration);
        if (before != null) {
            byId.remove(before.regId());
        }
        byId.put(registration.regId(), registration);
        return true;
    }

    /** The live registration with this id; an expired one is removed and detached. */
    Optional<Registration> find(String regId) {
        Registration expired;
        synchronized (this) {
            Registration found = byId.get(regId);
            if (found == null) {
                return Optional.empty();
            }
            if (!found.expired(now())) {
                return Optional.of(found);
            }
            remove(found);
            expired = found;
        }
        expire(expired);
        return Optional.empty();
    }

    /** The live registration of a cabinet; an expired one is removed and detached. */
    Optional<Registration> ofCabinet(String cabinetId) {
        Registration found;
        synchronized (this) {
            found = byCabinet.get(cabinetId);
        }
        return found == null ? Optional.empty() : find(found.regId());
    }

    /**
     * Removes a registration if it is still the cabinet's current one.
     *
     * @return whether it was
     */
    synchronized boolean remove(Registration registration) {
        if (byId.get(registration.regId()) != registration) {
            return false;
        }
        byId.remove(registration.regId());
        byCabinet.remove(registration.cabinetId(), registration);
        return true;
    }

    /** Removes and detaches every registration whose lifetime is over; returns how many. */
    int sweep() {
        List<Registration> expired = new ArrayList<>();
        synchronized (this) {
            long now = now();
            for (Registration registration : List.copyOf(byId.values())) {
                if (registration.expired(now)) {
                    remove(registration);
                    expired.add(registration);
                }
            }
        }
        expired.forEach(this::expire);
        return expired.size();
    }

    /** The cabinets with a live registration, sorted. */
    synchronized List<String> cabinetIds() {
        long now = now();
        TreeSet<String> ids = new TreeSet<>();
        for (Registration registration : byCabinet.values()) {
            if (!registration.expired(now)) {
                ids.add(registration.cabinetId());
            }
        }
        return List.copyOf(ids);
    }

    /** Closes the table: from now on {@link #put} refuses; every registration is removed and its link detached. */
    void close(String reason) {
        List<Registration> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(byId.values());
            byId.clear();
            byCabinet.clear();
        }
        for (Registration registration : all) {
            detach(registration, reason);
        }
    }

    private void expire(Registration registration) {
        LOG.info("柜子 {} 的注册 rd/{} 已过期（{} 秒未刷新）/ Registration rd/{} of cabinet {} expired (not refreshed"
                + " within {} s)", registration.cabinetId(), registration.regId(), registration.lifetimeSeconds(),
                registration.regId(), registration.cabinetId(), registration.lifetimeSeconds());
        detach(registration, "registration expired (lt " + registration.lifetimeSeconds() + " s)");
    }

    static void detach(Registration registration, String reason) {
        try {
            registration.link().detach(reason);
        } catch (RuntimeException e) {
            LOG.warn("柜子 {} 断开失败 / Detaching cabinet {} failed: {}", registration.cabinetId(),
                    registration.cabinetId(), e.toString());
        }
    }
}
