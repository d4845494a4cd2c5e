package org.lockergate.api.spi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A vendor bundle's way to put a firmware image on one of its cabinets (R14 {@code firmware_failed}, issue 11).
 * Registered as a service with the property {@value CabinetDriverFactory#VENDOR}; the firmware bundle picks the
 * updater of the cabinet's vendor. A vendor whose hardware cannot be updated remotely registers none.
 *
 * <p>The updater only transfers: the firmware bundle decides when (never with an open door or a pickup in
 * progress), and it sees the new version when the cabinet registers again after its reboot.
 *
 * @since 1.2
 */
@ConsumerType
public interface FirmwareUpdater {

    /**
     * Sends the image to the cabinet and waits for the cabinet's verdict on it (hash and model checked by the
     * cabinet before it reboots).
     *
     * @param cabinetId a cabinet of this vendor
     * @param model the model the image is for, as the gateway shows it ({@code Cabinet.model})
     * @param version the version the image carries
     * @param sha256 lower-case hex SHA-256 of the image
     * @param image the image
     * @param timeout how long the whole transfer may take
     * @return the cabinet's verdict; completes exceptionally when the transfer broke off (timeout, the cabinet went
     *     away or rebooted mid-transfer): then the firmware bundle may try again
     */
    CompletableFuture<Verdict> transfer(String cabinetId, String model, String version, String sha256, byte[] image,
            Duration timeout);

    /**
     * What the cabinet said about a complete image.
     *
     * @param accepted true when the cabinet verified the image and is rebooting into it
     * @param code the cabinet's answer code ({@code 2.04}, {@code 4.00} …)
     * @param error the cabinet's error code ({@code hash_mismatch}, {@code wrong_model} …), empty when accepted
     * @param message the cabinet's message, for operators
     */
    record Verdict(boolean accepted, String code, String error, String message) {
    }
}
