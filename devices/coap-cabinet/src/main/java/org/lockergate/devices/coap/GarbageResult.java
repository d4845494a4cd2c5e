package org.lockergate.devices.coap;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;

/**
 * What the gateway answered to the malformed payloads of {@link SimulatedCabinet#garbage()}: a body that is not
 * JSON, and an oversized body. A code is {@code null} when no answer came.
 */
public record GarbageResult(ResponseCode invalidJson, ResponseCode oversized, int oversizedBytes) {
}
