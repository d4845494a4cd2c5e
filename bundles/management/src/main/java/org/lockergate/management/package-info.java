/**
 * Remote management for field technicians: signed bundles and features installed, updated (with automatic
 * rollback) and removed while the gateway runs, configuration snapshots, and one-call inventory.
 *
 * <p>One implementation, {@link org.lockergate.management.ManagementService}, serves the shell, the REST API and the
 * MQTT command channel.
 */
@Export
@Version("1.1.0")
package org.lockergate.management;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
