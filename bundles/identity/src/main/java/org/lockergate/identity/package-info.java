/**
 * Who the gateway's operators are and what they may do.
 *
 * <p>One {@link org.lockergate.identity.IdentityService} serves every operator-facing surface: the REST API,
 * the web console, the remote shell, OPC UA and remote management. Operators are people (admin, technician,
 * property staff, courier-company viewers); couriers are domain data owned by the core (DESIGN.md R0).
 */
@Export
@Version("1.2.0")
package org.lockergate.identity;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
