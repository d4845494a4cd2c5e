/**
 * Sending and returns from the locker (R20, 寄件/退件): a resident's prepaid send order (or return order) from the
 * cloud reserves a compartment, the resident drops the parcel with a send code, the chosen courier company collects
 * it ({@link org.lockergate.api.send.SendService}). Orders are refused while the group's camera is offline (R14
 * {@code camera_offline}). States are {@link org.lockergate.api.model.SendOrderState}. Failures are
 * {@link org.lockergate.api.locker.LockerException}.
 */
@Export
@Version("1.0.0")
package org.lockergate.api.send;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
