package org.lockergate.api.model;

import java.util.Objects;

/**
 * A cabinet group (柜组): one master cabinet plus its slave cabinets, with one kiosk.
 *
 * @param groupId stable id, e.g. {@code g1}
 * @param name the locker's name shown to residents
 * @param info registry data (R21)
 */
public record CabinetGroup(String groupId, String name, GroupInfo info) {

    public CabinetGroup {
        Objects.requireNonNull(groupId, "groupId");
    }
}
