package org.lockergate.api.model;

/**
 * A courier company that funds the lockers.
 *
 * @param code short code, e.g. {@code ZTO}, {@code JT}, {@code YUNDA}
 * @param name display name, e.g. 中通快递
 * @param fundingSharePercent its share of the funding (shares of all companies sum to 100)
 */
public record CourierCompany(String code, String name, int fundingSharePercent) {
}
