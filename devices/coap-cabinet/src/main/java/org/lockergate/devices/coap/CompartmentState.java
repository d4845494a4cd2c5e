package org.lockergate.devices.coap;

/** What the simulated sensors of one compartment say right now. */
public record CompartmentState(String label, Size size, boolean doorClosed, boolean itemPresent, boolean jammed) {
}
