/**
 * Usage statistics and the monthly cost-sharing report of the courier companies (R12): per company, group and day,
 * computed from the parcels in the store; implemented by the rules bundle, read by the REST API. Money in integer
 * fen; shares in per mille (integers).
 */
@Export
@Version("1.1.0")
package org.lockergate.api.report;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
