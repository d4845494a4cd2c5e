package org.lockergate.core.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.ParcelState;
import org.lockergate.core.internal.state.CompartmentMachine;
import org.lockergate.core.internal.state.ParcelMachine;

/** The queries and guarded updates the workflows share. Every state change goes through the state machines. */
public final class Tables {

    private Tables() {
    }

    public static Optional<CompartmentRow> compartment(Connection c, String groupId, String label, boolean forUpdate)
            throws SQLException {
        return Db.one(c, "SELECT " + CompartmentRow.COLUMNS + " FROM compartment WHERE group_id = ? AND label = ?"
                + (forUpdate ? " FOR UPDATE" : ""), CompartmentRow::map, groupId, label);
    }

    public static List<CompartmentRow> compartments(Connection c, String groupId) throws SQLException {
        return groupId == null
                ? Db.query(c, "SELECT " + CompartmentRow.COLUMNS + " FROM compartment ORDER BY group_id, cabinet_id, label",
                        CompartmentRow::map)
                : Db.query(c, "SELECT " + CompartmentRow.COLUMNS
                        + " FROM compartment WHERE group_id = ? ORDER BY cabinet_id, label", CompartmentRow::map, groupId);
    }

    public static Optional<ParcelRow> parcel(Connection c, String parcelId, boolean forUpdate) throws SQLException {
        return Db.one(c, "SELECT * FROM parcel WHERE parcel_id = ?" + (forUpdate ? " FOR UPDATE" : ""),
                ParcelRow::map, parcelId);
    }

    /**
     * Moves a compartment to another state (checked by {@link CompartmentMachine}) and bumps its version; the
     * update only applies while the row still is in {@code from} (optimistic: 0 rows means someone else won).
     */
    public static boolean moveCompartment(Connection c, CompartmentRow row, CompartmentState to, String parcelId)
            throws SQLException {
        CompartmentMachine.check(row.state(), to);
        return Db.update(c, "UPDATE compartment SET state = ?, parcel_id = ?, version = version + 1 "
                + "WHERE group_id = ? AND label = ? AND state = ? AND version = ?", to, parcelId, row.groupId(),
                row.label(), row.state(), row.version()) == 1;
    }

    /** Moves a parcel to another state (checked by {@link ParcelMachine}); sets closed_at for terminal states. */
    public static void moveParcel(Connection c, ParcelRow row, ParcelState to, Instant now) throws SQLException {
        ParcelMachine.check(row.state(), to);
        int n = Db.update(c, "UPDATE parcel SET state = ?, closed_at = ?, version = version + 1 "
                + "WHERE parcel_id = ? AND state = ?", to, to.terminal() ? now : row.closedAt(), row.parcelId(),
                row.state());
        if (n != 1) {
            throw new SQLException("parcel " + row.parcelId() + " changed concurrently (expected " + row.state() + ")");
        }
    }
}
