package org.lockergate.core.internal.kiosk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.lockergate.api.locker.CabinetEvent;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.ParcelState;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.ParcelRow;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.registry.AttachedCabinet;
import org.lockergate.core.internal.registry.CabinetBoots;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.core.internal.send.SendOrders;
import org.lockergate.store.StoreException;
import org.lockergate.store.StoreTx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cabinet's events, stored and acted on in one durable transaction per report. Each boot has its own sequence
 * ({@link CabinetBoots}): only events that continue it are acted on (sorted by seq; repeats up to the stored acked
 * seq are ignored, and a gap stops the report there), so {@code acked} never passes a missing event. Events of the
 * last {@value CabinetBoots#KEEP} boots are accepted: after a restart the cabinet may still deliver the old boot's
 * queued events, for example the door-closed event that completes a deposit. A door that closes decides the
 * workflow: the occupancy used is the last one reported for that compartment in the same report (events after the
 * door event included, up to the next door event), else the last stored one.
 */
public final class CabinetEvents implements Registry.EventReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(CabinetEvents.class);

    private final Env env;
    private final Alarms alarms;
    private final Unlocker unlocker;
    private final OpenIntents intents;
    private final CodeIssuer codes;
    private final Completions completions;
    private final SendOrders sends;

    public CabinetEvents(Env env, Alarms alarms, Unlocker unlocker, OpenIntents intents, CodeIssuer codes,
            Completions completions, SendOrders sends) {
        this.env = env;
        this.alarms = alarms;
        this.unlocker = unlocker;
        this.intents = intents;
        this.codes = codes;
        this.completions = completions;
        this.sends = sends;
    }

    @Override
    public long report(AttachedCabinet cabinet, long boot, List<CabinetEvent> events) throws LockerException {
        List<CabinetEvent> sorted = validate(events);
        List<CodeIssuer.Issued> issued = new ArrayList<>();
        String cabinetId = cabinet.cabinetId();
        String actor = "cabinet:" + cabinetId;
        try {
            synchronized (cabinet) {
                return env.store().write("cabinet.events", tx -> {
                    Connection c = tx.connection();
                    Instant now = env.now();
                    CabinetBoots.Head head = CabinetBoots.lock(c, cabinetId)
                            .orElseThrow(() -> Errors.notFound("cabinet " + cabinetId));
                    CabinetBoots.check(head, boot);
                    CabinetBoots.Start start = CabinetBoots.start(c, head, boot,
                            sorted.isEmpty() ? 0 : sorted.get(0).seq());
                    List<CabinetEvent> run = contiguous(sorted, start.acked());
                    for (int i = 0; i < run.size(); i++) {
                        CabinetEvent event = run.get(i);
                        try {
                            handle(tx, cabinet, event, run, i, issued);
                        } catch (IllegalStateException e) {
                            tx.audit(now, actor, "cabinet.event_ignored", cabinetId,
                                    "boot " + boot + " seq " + event.seq() + ": " + e.getMessage());
                        }
                    }
                    long acked = run.isEmpty() ? start.acked() : run.get(run.size() - 1).seq();
                    if (start.resumed() && !run.isEmpty()) {
                        tx.audit(now, actor, "cabinet.boot_resumed", cabinetId, "boot " + boot + " (no stored "
                                + "acknowledgement, history from boot " + head.historyFrom() + "): continued at seq "
                                + run.get(0).seq());
                    }
                    if (boot < head.boot() && !run.isEmpty()) {
                        tx.audit(now, actor, "cabinet.earlier_boot_events", cabinetId, "boot " + boot + " seq "
                                + run.get(0).seq() + "-" + acked + " after the cabinet registered with boot "
                                + head.boot());
                    }
                    if (start.known() || boot == head.boot() || !run.isEmpty()) {
                        CabinetBoots.store(c, head, boot, acked, now);
                    }
                    if (!sorted.isEmpty() && sorted.get(sorted.size() - 1).seq() > acked) {
                        LOG.info("柜子 {} boot {} 缺少 seq {}，之后的事件未存储，等待柜子重发 / Cabinet {} boot {}: seq {} "
                                + "missing, the events after it are not stored until the cabinet sends them again",
                                cabinetId, boot, acked + 1, cabinetId, boot, acked + 1);
                    }
                    return acked;
                });
            }
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        } finally {
            issued.forEach(codes::release);
        }
    }

    /**
     * The events that continue the stored sequence, in order: seq {@code acked + 1}, {@code acked + 2}, … Repeats
     * ({@code seq <= acked}, or twice in one request) are dropped; the first gap ends the run, so {@code acked} never
     * passes an event that was not stored and the cabinet sends the rest again.
     */
    static List<CabinetEvent> contiguous(List<CabinetEvent> sorted, long acked) {
        List<CabinetEvent> run = new ArrayList<>();
        long next = acked + 1;
        for (CabinetEvent event : sorted) {
            if (event.seq() < next) {
                continue;
            }
            if (event.seq() > next) {
                break;
            }
            run.add(event);
            next++;
        }
        return run;
    }

    private static List<CabinetEvent> validate(List<CabinetEvent> events) throws LockerException {
        List<CabinetEvent> sorted = new ArrayList<>();
        for (CabinetEvent e : events == null ? List.<CabinetEvent>of() : events) {
            if (e == null || e.type() == null || e.seq() < 1 || ((e.type() == CabinetEvent.Type.DOOR
                    || e.type() == CabinetEvent.Type.OCCUPANCY) && (e.compartment() == null
                            || e.compartment().isBlank()))) {
                throw Errors.of(Kind.BAD_REQUEST, "bad_event", "事件无效：" + e, "Bad event: " + e);
            }
            sorted.add(e);
        }
        sorted.sort(Comparator.comparingLong(CabinetEvent::seq));
        return sorted;
    }

    private void handle(StoreTx tx, AttachedCabinet cabinet, CabinetEvent event, List<CabinetEvent> batch, int index,
            List<CodeIssuer.Issued> issued) throws SQLException {
        String groupId = cabinet.groupId();
        String cabinetId = cabinet.cabinetId();
        String actor = "cabinet:" + cabinetId;
        Instant now = env.now();
        switch (event.type()) {
            case DOOR, OCCUPANCY -> {
                Optional<CompartmentRow> found = Tables.compartment(tx.connection(), groupId, event.compartment().strip(),
                        true);
                if (found.isEmpty() || !found.get().cabinetId().equals(cabinetId)) {
                    tx.audit(now, actor, "cabinet.unknown_compartment", cabinetId, "seq " + event.seq() + ": "
                            + event.compartment());
                    return;
                }
                if (event.type() == CabinetEvent.Type.OCCUPANCY) {
                    occupancy(tx, found.get(), event.value());
                } else if (event.value()) {
                    closed(tx, found.get(), occupancyAfter(batch, index, found.get()), actor, issued);
                } else {
                    opened(tx, found.get(), now);
                }
            }
            case POWER -> {
                tx.audit(now, actor, "cabinet.power", cabinetId, event.value() ? "mains" : "battery");
                if (event.value()) {
                    alarms.clear(tx, AlarmType.POWER_ON_BATTERY, groupId, cabinetId, null);
                } else {
                    alarms.raise(tx, AlarmType.POWER_ON_BATTERY, groupId, cabinetId, null,
                            "柜子 " + cabinetId + " 使用电池供电 / Cabinet " + cabinetId + " is on battery");
                }
            }
            case CAMERA -> {
                tx.audit(now, actor, "cabinet.camera", cabinetId, event.value() ? "ok" : "offline");
                Db.update(tx.connection(), "UPDATE cabinet_group SET camera_ok = ? WHERE group_id = ?", event.value(),
                        groupId);
                if (event.value()) {
                    alarms.clear(tx, AlarmType.CAMERA_OFFLINE, groupId, cabinetId, null);
                } else {
                    alarms.raise(tx, AlarmType.CAMERA_OFFLINE, groupId, cabinetId, null,
                            "柜子 " + cabinetId + " 摄像头离线，暂停寄件 / Camera of cabinet " + cabinetId
                                    + " offline: sending from the locker refused");
                }
            }
            case TAMPER -> {
                tx.audit(now, actor, "cabinet.tamper", cabinetId, "seq " + event.seq());
                LOG.warn("柜子 {} 报告防拆 / Cabinet {} reports tampering", cabinetId, cabinetId);
            }
            case FAULT -> {
                String code = event.code() == null ? "unknown" : event.code();
                tx.audit(now, actor, "cabinet.fault", cabinetId, code);
                if ("board_offline".equals(code)) {
                    alarms.raise(tx, AlarmType.BOARD_OFFLINE, groupId, cabinetId, null,
                            "柜子 " + cabinetId + " 锁控板离线 / A lock board of cabinet " + cabinetId + " is offline");
                } else if ("board_online".equals(code)) {
                    alarms.clear(tx, AlarmType.BOARD_OFFLINE, groupId, cabinetId, null);
                }
            }
            default -> {
            }
        }
    }

    /** The occupancy reported for that door after this event in the same report (until its next door event). */
    private static boolean occupancyAfter(List<CabinetEvent> batch, int index, CompartmentRow row) {
        boolean present = row.itemPresent();
        for (int i = index + 1; i < batch.size(); i++) {
            CabinetEvent e = batch.get(i);
            if (e.compartment() == null || !e.compartment().strip().equals(row.label())) {
                continue;
            }
            if (e.type() == CabinetEvent.Type.DOOR) {
                break;
            }
            if (e.type() == CabinetEvent.Type.OCCUPANCY) {
                present = e.value();
            }
        }
        return present;
    }

    private void occupancy(StoreTx tx, CompartmentRow row, boolean present) throws SQLException {
        Db.update(tx.connection(), "UPDATE compartment SET item_present = ? WHERE group_id = ? AND label = ?", present,
                row.groupId(), row.label());
        if (!present) {
            alarms.clear(tx, AlarmType.ITEM_LEFT, row.groupId(), row.cabinetId(), row.label());
        } else {
            alarms.clear(tx, AlarmType.ITEM_MISSING, row.groupId(), row.cabinetId(), row.label());
        }
        env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), row.state().name());
    }

    private void opened(StoreTx tx, CompartmentRow row, Instant now) throws SQLException {
        Db.update(tx.connection(), "UPDATE compartment SET door_closed = FALSE, door_opened_at = COALESCE("
                + "door_opened_at, ?) WHERE group_id = ? AND label = ?", now, row.groupId(), row.label());
        boolean commanded = row.state() == CompartmentState.RESERVED || row.state() == CompartmentState.OPENING
                || unlocker.recentlyCommanded(row.key(), now);
        if (!commanded) {
            alarms.raise(tx, AlarmType.FORCED_OPEN, row.groupId(), row.cabinetId(), row.label(),
                    "格口 " + row.label() + " 未经指令被打开 / Compartment " + row.label() + " opened without a command");
            tx.audit(now, "cabinet:" + row.cabinetId(), "compartment.forced_open", row.key(), row.state().name());
        }
        env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), row.state().name());
    }

    private void closed(StoreTx tx, CompartmentRow row, boolean present, String actor, List<CodeIssuer.Issued> issued)
            throws SQLException {
        Connection c = tx.connection();
        Db.update(c, "UPDATE compartment SET door_closed = TRUE, door_opened_at = NULL, item_present = ? "
                + "WHERE group_id = ? AND label = ?", present, row.groupId(), row.label());
        alarms.clearAll(tx, row.groupId(), row.cabinetId(), row.label(), AlarmType.DOOR_LEFT_OPEN,
                AlarmType.FORCED_OPEN);
        boolean wasOpen = !row.doorClosed();
        ParcelRow parcel = row.parcelId() == null ? null : Tables.parcel(c, row.parcelId(), true).orElse(null);
        switch (row.state()) {
            case RESERVED -> {
                if (parcel == null && sends.closedReserved(tx, row, wasOpen, present, actor)) {
                    break;
                }
                if (!wasOpen || parcel == null || parcel.state() != ParcelState.RESERVED) {
                    break;
                }
                if (present) {
                    completions.deposit(tx, row, parcel, actor, issued);
                } else {
                    completions.cancel(tx, row, parcel, "door closed without an item");
                    alarms.raise(tx, AlarmType.ITEM_MISSING, row.groupId(), row.cabinetId(), row.label(),
                            "投递后格口 " + row.label() + " 内无物品 / Compartment " + row.label()
                                    + " empty after the deposit's door closed");
                }
            }
            case OPENING -> closedAfterOpening(tx, row, parcel, present, actor);
            case FREE -> {
                if (wasOpen && present) {
                    alarms.raise(tx, AlarmType.ITEM_LEFT, row.groupId(), row.cabinetId(), row.label(),
                            "空闲格口 " + row.label() + " 内有物品 / Something was left in free compartment "
                                    + row.label());
                }
            }
            default -> {
            }
        }
        env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(),
                Tables.compartment(c, row.groupId(), row.label(), false).map(r -> r.state().name()).orElse(null));
    }

    private void closedAfterOpening(StoreTx tx, CompartmentRow row, ParcelRow parcel, boolean present, String actor)
            throws SQLException {
        Connection c = tx.connection();
        OpenIntents.Intent intent = intents.remove(row.key()).orElse(null);
        CompartmentState resume = intent == null ? null : intent.resume();
        Instant now = env.now();
        if (intent != null && intent.kind() == OpenIntents.Kind.MAINTENANCE) {
            CompartmentState to = resume != null ? resume
                    : row.parcelId() != null ? CompartmentState.OCCUPIED : CompartmentState.FREE;
            Tables.moveCompartment(c, row, to, row.parcelId());
            tx.audit(now, actor, "compartment.closed", row.key(), "after staff open, item "
                    + (present ? "present" : "absent"));
            return;
        }
        if (parcel == null && sends.closedOpening(tx, row, present, resume, actor)) {
            return;
        }
        if (intent != null && intent.kind() == OpenIntents.Kind.WITHDRAW && parcel != null
                && parcel.parcelId().equals(intent.parcelId()) && WithdrawFlow.WITHDRAWABLE.contains(parcel.state())) {
            String by = intent.actor() != null ? intent.actor() : actor;
            if (present) {
                CompartmentState to = resume == CompartmentState.DISABLED ? CompartmentState.DISABLED
                        : CompartmentState.OCCUPIED;
                Tables.moveCompartment(c, row, to, parcel.parcelId());
                tx.audit(now, by, "parcel.withdraw_not_taken", parcel.parcelId(), row.key() + " closed with the item"
                        + " still in: the parcel stays " + parcel.state());
            } else {
                completions.withdrawn(tx, row, parcel, resume, by);
            }
            return;
        }
        if (parcel != null && parcel.state().pickable()) {
            if (present) {
                CompartmentState to = resume == CompartmentState.DISABLED ? CompartmentState.DISABLED
                        : CompartmentState.OCCUPIED;
                Tables.moveCompartment(c, row, to, parcel.parcelId());
                alarms.raise(tx, AlarmType.ITEM_LEFT, row.groupId(), row.cabinetId(), row.label(),
                        "取件后格口 " + row.label() + " 仍有物品，包裹保留 / Item still in compartment " + row.label()
                                + " after pickup: the parcel stays");
                tx.audit(now, actor, "parcel.item_left", parcel.parcelId(), row.key());
            } else {
                completions.pickup(tx, row, parcel, resume, actor);
            }
        } else if (parcel != null && parcel.state() == ParcelState.REJECTED) {
            CompartmentState to = resume == CompartmentState.DISABLED ? CompartmentState.DISABLED
                    : CompartmentState.OCCUPIED;
            Tables.moveCompartment(c, row, to, parcel.parcelId());
            if (!present) {
                alarms.raise(tx, AlarmType.ITEM_MISSING, row.groupId(), row.cabinetId(), row.label(),
                        "拒收包裹未放回格口 " + row.label() + " / Rejected parcel not put back in compartment "
                                + row.label());
            }
        } else {
            CompartmentState to = resume == CompartmentState.DISABLED ? CompartmentState.DISABLED
                    : CompartmentState.FREE;
            Tables.moveCompartment(c, row, to, null);
        }
    }
}
