/**
 * The daily-maintenance mechanism: maintenance tickets opened by faults (R14 alarms) or by staff, taken, worked and
 * closed by property staff or the vendor's technician ({@link org.lockergate.api.maintenance.TicketService}); and
 * scheduled inspection and cleaning rounds per group with a checklist
 * ({@link org.lockergate.api.maintenance.InspectionService}). Failures are
 * {@link org.lockergate.api.locker.LockerException} with a stable code.
 */
@Export
@Version("1.0.0")
package org.lockergate.api.maintenance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
