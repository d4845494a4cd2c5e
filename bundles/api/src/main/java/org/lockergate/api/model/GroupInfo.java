package org.lockergate.api.model;

/**
 * Registry data of a cabinet group (R21). Never shown to residents beyond the locker's name and address.
 *
 * @param community the residential community (小区)
 * @param address the postal address of the group
 * @param latitude WGS-84 degrees, or {@code null} when not configured
 * @param longitude WGS-84 degrees, or {@code null}
 * @param postalFilingNumber the filing number with the postal authority (备案号)
 * @param propertyContact the property office's phone
 * @param emergencyContact who to call when a cabinet fails
 */
public record GroupInfo(String community, String address, Double latitude, Double longitude,
        String postalFilingNumber, String propertyContact, String emergencyContact) {
}
