package org.lockergate.devices.coap.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What the simulated network does to one endpoint's datagrams: lose a share of them, or all of them while the
 * device is offline. Read by the connectors for every datagram, written by the simulator at any time.
 */
public final class NetworkConditions {

    private volatile double lossFraction;
    private volatile boolean offline;

    /** Sets the share of datagrams lost in each direction, in percent (0–100). */
    public void lossPercent(double percent) {
        if (percent < 0 || percent > 100 || Double.isNaN(percent)) {
            throw new IllegalArgumentException("loss must be 0–100 %: " + percent);
        }
        this.lossFraction = percent / 100.0;
    }

    public double lossPercent() {
        return lossFraction * 100.0;
    }

    public void offline(boolean offline) {
        this.offline = offline;
    }

    public boolean offline() {
        return offline;
    }

    /** Decides the fate of one datagram, in either direction. */
    public boolean drop() {
        if (offline) {
            return true;
        }
        double loss = lossFraction;
        return loss > 0 && ThreadLocalRandom.current().nextDouble() < loss;
    }
}
