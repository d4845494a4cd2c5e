package org.lockergate.vendor.coap.internal;

import java.net.InetSocketAddress;
import java.util.Set;
import org.lockergate.api.locker.CabinetLink;

/**
 * One live registration ({@code rd/{regId}}) of a cabinet: where it registered from, over what, and the core's link.
 * The address follows the latest refresh (RFC 9176 §5.3.1: an update from another address moves the registration),
 * so a cabinet behind NAT keeps getting its unlocks.
 */
final class Registration {

    private final String regId;
    private final String cabinetId;
    private final String groupId;
    private final Set<String> labels;
    private final CabinetLink link;
    private final long lifetimeNanos;
    private volatile Peer peer;
    private volatile long expiresAt;

    /** Where the gateway sends unlocks: the address and whether over DTLS. */
    record Peer(InetSocketAddress address, boolean secure) {
    }

    Registration(String regId, String cabinetId, String groupId, Set<String> labels, CabinetLink link,
            long lifetimeSeconds, Peer peer, long now) {
        this.regId = regId;
        this.cabinetId = cabinetId;
        this.groupId = groupId;
        this.labels = Set.copyOf(labels);
        this.link = link;
        this.lifetimeNanos = lifetimeSeconds * 1_000_000_000L;
        this.peer = peer;
        this.expiresAt = now + lifetimeNanos;
    }

    String regId() {
        return regId;
    }

    String cabinetId() {
        return cabinetId;
    }

    String groupId() {
        return groupId;
    }

    Set<String> labels() {
        return labels;
    }

    CabinetLink link() {
        return link;
    }

    Peer peer() {
        return peer;
    }

    long lifetimeSeconds() {
        return lifetimeNanos / 1_000_000_000L;
    }

    boolean expired(long now) {
        return now - expiresAt >= 0;
    }

    /** A refresh: the lifetime starts again, from the address the refresh came from. */
    void refresh(Peer from, long now) {
        this.peer = from;
        this.expiresAt = now + lifetimeNanos;
    }

    @Override
    public String toString() {
        return "rd/" + regId + " (cabinet " + cabinetId + ")";
    }
}
