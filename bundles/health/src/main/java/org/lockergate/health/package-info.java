/**
 * Whether the gateway is healthy, as DESIGN.md §3 defines it.
 *
 * <p>The gateway is UP when the bundles of the provisioned core features are ACTIVE with their required
 * components satisfied and the store and disk are usable. Vendor bundles, cabinets and the contents of
 * {@code deploy/} are reported in the details but never make the gateway DOWN. Other bundles add checks by
 * registering a {@link org.lockergate.health.HealthContributor}.
 */
@Export
@Version("1.0.0")
package org.lockergate.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
