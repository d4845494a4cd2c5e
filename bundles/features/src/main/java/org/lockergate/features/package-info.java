/**
 * Features: installable sets of bundles plus their default configuration, described in the OSGi Feature (R8)
 * JSON format. The runtime provisions the features named in {@code conf/lockergate.properties} at start;
 * {@link org.lockergate.features.FeatureManager} installs and removes features while the gateway runs.
 */
@Export
@Version("1.1.0")
package org.lockergate.features;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
