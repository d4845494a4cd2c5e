/**
 * How every LockerGate CoAP API answers a refused request: one mapping from
 * {@link org.lockergate.api.locker.LockerException.Kind} to CoAP response codes and one error body
 * {@code {"error":code,"message":…, …extra…}} with times as ISO-8601 with offset. Used by the kiosk API in this bundle
 * and by the CoAP vendor bundle's cabinet API, so both answer the same way.
 */
@Export
@Version("1.0.0")
package org.lockergate.kiosk.coap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
