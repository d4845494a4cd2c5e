/**
 * Cloud commands over MQTT, offered to other bundles without a dependency on the MQTT library.
 *
 * <p>The upstream bundle receives signed commands on {@code lockergate/v1/{gatewayId}/cmd/{name}}, verifies the
 * envelope (signature, expiry, replay) and hands each accepted command to the
 * {@link org.lockergate.upstream.mqtt.CommandHandler} service registered with
 * {@value org.lockergate.upstream.mqtt.CommandHandler#COMMAND}{@code =<name>}. The handler's
 * {@link org.lockergate.upstream.mqtt.CommandResult} (or its {@link org.lockergate.upstream.mqtt.CommandException})
 * is published on {@code reply/{requestId}} as {@code {"requestId","status","body","ts"}}.
 */
@Export
@Version("1.0.0")
package org.lockergate.upstream.mqtt;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
