/**
 * EventAdmin topics the core posts after each durable change, for the live surfaces (OPC UA, console,
 * kiosk observers, MQTT telemetry). They are notifications, not the record: the outbox in the store is the record.
 */
@Export
@Version("1.0.0")
package org.lockergate.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
