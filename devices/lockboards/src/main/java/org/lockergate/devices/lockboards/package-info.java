/**
 * Simulated lock boards for tests, the demo and the command line: {@link org.lockergate.devices.lockboards.Cu48Simulator}
 * (CU48 boards, Modbus TCP, DESIGN.md §4) and {@link org.lockergate.devices.lockboards.KerongSimulator} (Kerong
 * KR-CU16 boards behind a serial-to-TCP server), each serving N {@link org.lockergate.devices.lockboards.LockBoard}s
 * whose doors, items and faults a test drives.
 */
@Export
@Version("1.0.0")
package org.lockergate.devices.lockboards;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
