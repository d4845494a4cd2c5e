package org.lockergate.health;

/** UP or DOWN; there is no "degraded": what does not make the gateway DOWN is reported in the details. */
public enum HealthStatus {
    UP,
    DOWN
}
