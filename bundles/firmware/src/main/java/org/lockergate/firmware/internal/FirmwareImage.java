package org.lockergate.firmware.internal;

import java.time.Instant;

/**
 * A staged firmware image.
 *
 * @param vendor the vendor bundle that drives the cabinets ({@code coap}), as {@code Cabinet.vendor}
 * @param model the cabinet model as the gateway shows it ({@code acme M1}), as {@code Cabinet.model}
 * @param version the version the image carries, as the cabinet will report it when it registers
 * @param sha256 lower-case hex SHA-256 of the image
 * @param bytes its size
 * @param signer the trusted key that signed it
 * @param stagedBy who staged it ({@code operator:NAME} or {@code cloud:REQUEST})
 * @param stagedAt when
 */
public record FirmwareImage(String vendor, String model, String version, String sha256, long bytes, String signer,
        String stagedBy, Instant stagedAt) {

    String describe() {
        return vendor + "/" + model + " " + version;
    }
}
