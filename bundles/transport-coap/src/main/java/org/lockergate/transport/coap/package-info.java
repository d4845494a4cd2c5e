/**
 * The gateway's CoAP endpoints, offered to other bundles without a dependency on the protocol library.
 *
 * <p>A bundle answers CoAP requests by registering a {@link org.lockergate.transport.coap.CoapHandler} service with
 * the property {@value org.lockergate.transport.coap.CoapHandler#PATH} (a path template such as
 * {@code /groups/{groupId}/pickups}); the transport routes every request on plain CoAP (UDP 5683) and CoAPs
 * (DTLS-PSK, UDP 5684) to it as a {@link org.lockergate.transport.coap.CoapCall}. The
 * {@link org.lockergate.transport.coap.CoapService} notifies observers and sends the gateway's own requests to
 * devices; the {@link org.lockergate.transport.coap.PskStore} holds the DTLS pre-shared keys.
 */
@Export
@Version("1.1.0")
package org.lockergate.transport.coap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
