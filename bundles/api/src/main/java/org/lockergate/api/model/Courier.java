package org.lockergate.api.model;

/**
 * A courier as cached by the gateway (R0): synced from the cloud, or seeded from configuration.
 * The PIN is kept only as a slow salted hash.
 *
 * @param courierId e.g. {@code ZTO-0421}
 * @param companyCode the company whose quota his deposits draw on
 * @param name display name (shown masked)
 * @param active false when the company has suspended him
 */
public record Courier(String courierId, String companyCode, String name, boolean active) {
}
