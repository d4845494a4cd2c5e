/**
 * The gateway's clock, as a service, so lockouts, fees, recalls and alarms can be tested without waiting.
 */
@Export
@Version("1.0.0")
package org.lockergate.api.time;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
