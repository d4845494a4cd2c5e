/**
 * The gateway's trust store for signed artifacts: Ed25519 public keys in {@code data/secrets/trust} and detached
 * signatures over an artifact's SHA-256. One rule for everything installed remotely — bundles, feature archives
 * (management) and cabinet firmware images (the firmware bundle).
 */
@Export
@Version("1.0.0")
package org.lockergate.management.trust;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
