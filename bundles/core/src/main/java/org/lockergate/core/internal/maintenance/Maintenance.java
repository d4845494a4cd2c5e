package org.lockergate.core.internal.maintenance;

import java.sql.Connection;
import java.time.Instant;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.MaintenanceService;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.spi.UnlockOutcome;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.events.Json;
import org.lockergate.core.internal.kiosk.OpenIntents;
import org.lockergate.core.internal.kiosk.Unlocker;
import org.lockergate.store.StoreException;

/**
 * What staff do to compartments, each audited with who and why: open (the compartment is OPENING until its door
 * closes, then returns to its state), disable and enable (outbox {@code compartment.disabled}/{@code enabled}).
 * Who may do it is checked by the calling surface (shell, REST, OPC UA).
 */
public final class Maintenance implements MaintenanceService {

    private final Env env;
    private final Alarms alarms;
    private final Unlocker unlocker;
    private final OpenIntents intents;

    public Maintenance(Env env, Alarms alarms, Unlocker unlocker, OpenIntents intents) {
        this.env = env;
        this.alarms = alarms;
        this.unlocker = unlocker;
        this.intents = intents;
    }

    @Override
    public UnlockOutcome open(String groupId, String compartment, String actor, String reason)
            throws LockerException {
        String why = requireReason(reason);
        String who = actor(actor);
        try {
            CompartmentRow row = env.store().write("maintenance.open", tx -> {
                CompartmentRow r = find(tx.connection(), groupId, compartment);
                if (r.state() == CompartmentState.RESERVED || r.state() == CompartmentState.OPENING) {
                    throw Errors.busy(r.label());
                }
                Tables.moveCompartment(tx.connection(), r, CompartmentState.OPENING, r.parcelId());
                tx.audit(env.now(), who, "compartment.open", r.key(), why);
                env.events().compartment(tx, r.groupId(), r.cabinetId(), r.label(), "OPENING");
                return r;
            });
            intents.put(row.key(), new OpenIntents.Intent(OpenIntents.Kind.MAINTENANCE, row.parcelId(), row.state()));
            Unlocker.Result outcome = unlocker.unlock(row.groupId(), row.cabinetId(), row.label());
            if (outcome.opened()) {
                env.store().write("maintenance.opened", tx -> {
                    org.lockergate.core.internal.db.Db.update(tx.connection(), "UPDATE compartment SET door_closed = "
                            + "FALSE, door_opened_at = COALESCE(door_opened_at, ?) WHERE group_id = ? AND label = ?",
                            env.now(), row.groupId(), row.label());
                    tx.audit(env.now(), who, "compartment.opened", row.key(), outcome.wireName());
                    return null;
                });
                return outcome == Unlocker.Result.OPENED ? UnlockOutcome.OPENED : UnlockOutcome.ALREADY_OPEN;
            }
            intents.remove(row.key());
            env.store().write("maintenance.not_opened", tx -> {
                CompartmentRow r = find(tx.connection(), row.groupId(), row.label());
                if (r.state() != CompartmentState.OPENING) {
                    return null;
                }
                if (outcome == Unlocker.Result.JAMMED) {
                    Tables.moveCompartment(tx.connection(), r, CompartmentState.FAULT, r.parcelId());
                    alarms.raise(tx, AlarmType.DOOR_JAMMED, r.groupId(), r.cabinetId(), r.label(),
                            "格口 " + r.label() + " 门未打开 / Door of compartment " + r.label() + " did not open");
                    tx.audit(env.now(), who, "compartment.fault", r.key(), "jammed on staff open");
                } else {
                    Tables.moveCompartment(tx.connection(), r, row.state(), r.parcelId());
                    tx.audit(env.now(), who, "compartment.unlock_failed", r.key(), "no answer on staff open");
                }
                env.events().compartment(tx, r.groupId(), r.cabinetId(), r.label(), outcome == Unlocker.Result.JAMMED
                        ? "FAULT" : row.state().name());
                return null;
            });
            if (outcome == Unlocker.Result.JAMMED) {
                return UnlockOutcome.JAMMED;
            }
            throw Errors.unavailable();
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    @Override
    public void disable(String groupId, String compartment, String actor, String reason) throws LockerException {
        String why = requireReason(reason);
        String who = actor(actor);
        write("compartment.disable", groupId, compartment, (tx, r, now) -> {
            if (r.state() == CompartmentState.DISABLED) {
                return;
            }
            if (r.state() == CompartmentState.RESERVED || r.state() == CompartmentState.OPENING) {
                throw Errors.busy(r.label());
            }
            Tables.moveCompartment(tx.connection(), r, CompartmentState.DISABLED, r.parcelId());
            env.events().outbox(tx, Stream.EVENTS, "compartment.disabled", now, Json.obj("groupId", r.groupId(),
                    "cabinetId", r.cabinetId(), "compartment", r.label(), "reason", why, "ts", env.iso(now)));
            tx.audit(now, who, "compartment.disabled", r.key(), why);
            env.events().compartment(tx, r.groupId(), r.cabinetId(), r.label(), "DISABLED");
        });
    }

    @Override
    public void enable(String groupId, String compartment, String actor, String reason) throws LockerException {
        String why = requireReason(reason);
        String who = actor(actor);
        write("compartment.enable", groupId, compartment, (tx, r, now) -> {
            if (r.state() != CompartmentState.DISABLED && r.state() != CompartmentState.FAULT) {
                return;
            }
            CompartmentState to = r.parcelId() != null ? CompartmentState.OCCUPIED : CompartmentState.FREE;
            Tables.moveCompartment(tx.connection(), r, to, r.parcelId());
            alarms.clear(tx, AlarmType.DOOR_JAMMED, r.groupId(), r.cabinetId(), r.label());
            env.events().outbox(tx, Stream.EVENTS, "compartment.enabled", now, Json.obj("groupId", r.groupId(),
                    "cabinetId", r.cabinetId(), "compartment", r.label(), "reason", why, "ts", env.iso(now)));
            tx.audit(now, who, "compartment.enabled", r.key(), why);
            env.events().compartment(tx, r.groupId(), r.cabinetId(), r.label(), to.name());
        });
    }

    private interface Change {
        void apply(org.lockergate.store.StoreTx tx, CompartmentRow row, Instant now) throws java.sql.SQLException,
                LockerException;
    }

    private void write(String purpose, String groupId, String compartment, Change change) throws LockerException {
        try {
            env.store().write(purpose, tx -> {
                change.apply(tx, find(tx.connection(), groupId, compartment), env.now());
                return null;
            });
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    private static CompartmentRow find(Connection c, String groupId, String label)
            throws java.sql.SQLException, LockerException {
        return Tables.compartment(c, groupId == null ? "" : groupId, label == null ? "" : label.strip(), true)
                .orElseThrow(() -> Errors.notFound("compartment " + groupId + "/" + label));
    }

    private static String requireReason(String reason) throws LockerException {
        if (reason == null || reason.isBlank()) {
            throw Errors.badRequest("reason_required", "必须填写原因", "A reason is required");
        }
        String r = reason.strip();
        return r.length() > 500 ? r.substring(0, 500) : r;
    }

    private static String actor(String actor) {
        return actor == null || actor.isBlank() ? "unknown" : actor.strip();
    }
}
