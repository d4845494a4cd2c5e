package org.lockergate.core.internal.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;

/** A {@code compartment} row. */
public record CompartmentRow(String groupId, String label, String cabinetId, SizeClass size, int board, int channel,
        CompartmentState state, boolean doorClosed, boolean itemPresent, Instant occupiedSince, String parcelId,
        Instant doorOpenedAt, long uses, long version) {

    public static final String COLUMNS = "group_id, label, cabinet_id, size_class, board, channel, state, door_closed, "
            + "item_present, occupied_since, parcel_id, door_opened_at, uses, version";

    public static CompartmentRow map(ResultSet rs) throws SQLException {
        return new CompartmentRow(rs.getString("group_id"), rs.getString("label"), rs.getString("cabinet_id"),
                SizeClass.valueOf(rs.getString("size_class").trim()), rs.getInt("board"), rs.getInt("channel"),
                CompartmentState.valueOf(rs.getString("state")), rs.getBoolean("door_closed"),
                rs.getBoolean("item_present"), Db.instant(rs, "occupied_since"), rs.getString("parcel_id"),
                Db.instant(rs, "door_opened_at"), rs.getLong("uses"), rs.getLong("version"));
    }

    public Compartment toApi() {
        return new Compartment(groupId, cabinetId, label, size, board, channel, state, doorClosed, itemPresent,
                occupiedSince, parcelId);
    }

    public String key() {
        return key(groupId, label);
    }

    public static String key(String groupId, String label) {
        return groupId + "/" + label;
    }
}
