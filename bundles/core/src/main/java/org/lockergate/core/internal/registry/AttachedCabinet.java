package org.lockergate.core.internal.registry;

import java.time.Instant;
import org.lockergate.api.spi.CabinetDriver;

/**
 * What the core knows in memory about a cabinet: its driver while attached, whether it is online, when it was last
 * heard from. The durable part (the {@code cabinet} row and its compartments) is in the store.
 */
public final class AttachedCabinet {

    private final String cabinetId;
    private final String groupId;
    volatile String vendor;
    volatile CabinetDriver driver;
    volatile long generation;
    volatile boolean online;
    volatile Instant lastSeen;
    volatile Instant offlineSince;
    volatile boolean offlineAlarmRaised;

    AttachedCabinet(String cabinetId, String groupId, String vendor) {
        this.cabinetId = cabinetId;
        this.groupId = groupId;
        this.vendor = vendor;
    }

    public String cabinetId() {
        return cabinetId;
    }

    public String groupId() {
        return groupId;
    }

    public String vendor() {
        return vendor;
    }

    /** The driver while attached and online, else null. */
    public CabinetDriver driver() {
        return online ? driver : null;
    }

    public boolean online() {
        return online;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    public Instant offlineSince() {
        return offlineSince;
    }

    public boolean attached() {
        return driver != null;
    }

    public boolean offlineAlarmRaised() {
        return offlineAlarmRaised;
    }

    public void offlineAlarmRaised(boolean raised) {
        this.offlineAlarmRaised = raised;
    }
}
