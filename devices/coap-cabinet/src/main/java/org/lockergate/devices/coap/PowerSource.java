package org.lockergate.devices.coap;

/** Where a cabinet's power comes from; reported with a {@code power} event. */
public enum PowerSource {
    MAINS, BATTERY
}
