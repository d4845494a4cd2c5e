/**
 * The services the core provides: the kiosk workflows ({@link org.lockergate.api.locker.KioskService}),
 * the attachment point for vendor bundles' cabinets ({@link org.lockergate.api.locker.CabinetHost}), read access
 * for the shell, REST and OPC UA ({@link org.lockergate.api.locker.LockerQueries}), alarms
 * ({@link org.lockergate.api.locker.AlarmService}) and maintenance
 * ({@link org.lockergate.api.locker.MaintenanceService}). Since 1.1: the courier take-back
 * ({@link org.lockergate.api.locker.KioskService#withdraw}) and recall/return list
 * ({@link org.lockergate.api.locker.KioskService#recalls}, {@link org.lockergate.api.locker.RecallEntry}). Since 1.2:
 * what the cloud does to a parcel ({@link org.lockergate.api.locker.CloudParcelService}). Since 1.3: paged
 * reads for the REST API ({@link org.lockergate.api.locker.ParcelQuery}, audit/outbox/alarm pages, courier
 * companies and couriers in {@link org.lockergate.api.locker.LockerQueries}) and the audit log for other surfaces
 * ({@link org.lockergate.api.locker.AuditLog}).
 * Failures are {@link org.lockergate.api.locker.LockerException} with a stable error code that every protocol maps to its own status.
 */
@Export
@Version("1.3.0")
package org.lockergate.api.locker;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
