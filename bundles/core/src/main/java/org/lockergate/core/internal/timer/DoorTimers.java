package org.lockergate.core.internal.timer;

import java.time.Instant;
import java.util.List;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.ParcelState;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.ParcelRow;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.kiosk.Completions;
import org.lockergate.store.StoreException;
import org.lockergate.api.locker.LockerException;

/**
 * Doors and reservations: a door open longer than 60 s raises {@code door_left_open} (cleared when it closes); a
 * reservation older than the kiosk hold (90 s) is cancelled and its compartment freed — if its door is still open,
 * {@code door_left_open} is already up and staff see it.
 */
final class DoorTimers {

    private final Env env;
    private final Alarms alarms;
    private final Completions completions;

    DoorTimers(Env env, Alarms alarms, Completions completions) {
        this.env = env;
        this.alarms = alarms;
        this.completions = completions;
    }

    void check(Instant now) throws StoreException, LockerException {
        Instant openSince = now.minus(env.settings().doorOpenAlarm());
        List<CompartmentRow> open = env.store().read(tx -> Db.query(tx.connection(), "SELECT "
                + CompartmentRow.COLUMNS + " FROM compartment c WHERE door_closed = FALSE AND door_opened_at <= ? "
                + "AND NOT EXISTS (SELECT 1 FROM alarm a WHERE a.type = 'door_left_open' AND a.cleared_at IS NULL "
                + "AND a.group_id = c.group_id AND a.compartment = c.label)", CompartmentRow::map, openSince));
        for (CompartmentRow row : open) {
            alarms.raise(AlarmType.DOOR_LEFT_OPEN, row.groupId(), row.cabinetId(), row.label(),
                    "格口 " + row.label() + " 的门已打开超过 " + env.settings().doorOpenAlarm().toSeconds() + " 秒 / Door of "
                            + "compartment " + row.label() + " open for more than "
                            + env.settings().doorOpenAlarm().toSeconds() + " s");
        }
        Instant reservedBefore = now.minus(env.settings().kioskHold());
        List<ParcelRow> expired = env.store().read(tx -> Db.query(tx.connection(), "SELECT * FROM parcel WHERE state = ? "
                + "AND reserved_at <= ?", ParcelRow::map, ParcelState.RESERVED, reservedBefore));
        for (ParcelRow parcel : expired) {
            env.store().write("reservation.expire", tx -> {
                ParcelRow current = Tables.parcel(tx.connection(), parcel.parcelId(), true).orElse(null);
                if (current == null || current.state() != ParcelState.RESERVED) {
                    return null;
                }
                CompartmentRow row = Tables.compartment(tx.connection(), parcel.groupId(), parcel.compartment(), true)
                        .orElse(null);
                completions.cancel(tx, row, current, "kiosk hold of " + env.settings().kioskHold().toSeconds()
                        + " s expired");
                return null;
            });
        }
    }
}
