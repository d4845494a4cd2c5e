/**
 * Simulated devices for the LockerGate CoAP protocol v1 (coap-cabinet-v1.md): a master cabinet with its own
 * controller ({@link org.lockergate.devices.coap.SimulatedCabinet}), a group's kiosk
 * ({@link org.lockergate.devices.coap.SimulatedKiosk}) and a {@link org.lockergate.devices.coap.TrafficGenerator}
 * that plays couriers and residents. Used by the demo inside the gateway, by tests and from the command line.
 */
@Export
@Version("1.1.0")
package org.lockergate.devices.coap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
