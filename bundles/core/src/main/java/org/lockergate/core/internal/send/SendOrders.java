package org.lockergate.core.internal.send;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.model.SendOrderState;
import org.lockergate.api.send.SendKind;
import org.lockergate.api.send.SendOpenResult;
import org.lockergate.api.send.SendOrder;
import org.lockergate.api.send.SendOrderRequest;
import org.lockergate.api.send.SendService;
import org.lockergate.api.spi.Allocation;
import org.lockergate.api.spi.AllocationRequest;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.crypto.CodeHasher;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.events.Json;
import org.lockergate.core.internal.kiosk.CourierSessions;
import org.lockergate.core.internal.kiosk.OpenIntents;
import org.lockergate.core.internal.kiosk.Unlocker;
import org.lockergate.core.internal.lockout.KeypadThrottle;
import org.lockergate.core.internal.policy.Policies;
import org.lockergate.core.internal.registry.AttachedCabinet;
import org.lockergate.core.internal.registry.Definitions;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.core.internal.registry.Suggestions;
import org.lockergate.store.StoreException;
import org.lockergate.store.StoreTx;

/**
 * Sending and returns from the locker (R20). An order from the cloud reserves a compartment through the allocation
 * policy on the {@value #SHARED_POOL} pseudo-company (no funding share, so it draws on the shared part of the quota
 * pools, never on a courier company's own part); the send code is issued like a pickup code (CSPRNG, HMAC only, the
 * clear code only in the {@code notification.requested} outbox row). The resident's drop-off completes when the door
 * closes with the item in ({@link #closedReserved}), the courier's collection when it closes empty
 * ({@link #closedOpening}), both inside the cabinet event's transaction. While the group has an open
 * {@code camera_offline} alarm new orders and drop-offs are refused; collections go on.
 */
public final class SendOrders implements SendService {

    /** The allocation policy's company for send orders: none has a share, so the shared part is used. */
    public static final String SHARED_POOL = "SEND";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern COMPANY = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int MAX_DROP_TRIES = 3;

    private final Env env;
    private final Registry registry;
    private final CourierSessions sessions;
    private final Policies policies;
    private final Suggestions suggestions;
    private final Alarms alarms;
    private final Unlocker unlocker;
    private final CodeHasher hasher;
    private final KeypadThrottle keypads;
    private final OpenIntents intents;

    public SendOrders(Env env, Registry registry, CourierSessions sessions, Policies policies, Suggestions suggestions,
            Alarms alarms, Unlocker unlocker, CodeHasher hasher, KeypadThrottle keypads, OpenIntents intents) {
        this.env = env;
        this.registry = registry;
        this.sessions = sessions;
        this.policies = policies;
        this.suggestions = suggestions;
        this.alarms = alarms;
        this.unlocker = unlocker;
        this.hasher = hasher;
        this.keypads = keypads;
        this.intents = intents;
    }

    // --- the cloud's order ---

    @Override
    public SendOrder order(SendOrderRequest r, String actor) throws LockerException {
        validate(r);
        Definitions.Group group = registry.group(r.groupId()).orElseThrow(() -> Errors.unknownGroup(r.groupId()));
        Instant now = env.now();
        if (!r.expiresAt().isAfter(now)) {
            throw Errors.of(Kind.BAD_REQUEST, "expired", "订单已过期（" + env.iso(r.expiresAt()) + "）",
                    "The order expired at " + env.iso(r.expiresAt()), Errors.extra("expiresAt", env.iso(r.expiresAt())));
        }
        try {
            if (env.store().read(tx -> Db.count(tx.connection(), "SELECT COUNT(*) FROM send_order WHERE order_id = ?",
                    r.orderId())) > 0) {
                throw duplicate(r.orderId());
            }
            if (!cameraOk(r.groupId())) {
                throw cameraOffline(r.groupId());
            }
            if (!env.store().storage().acceptsNewData()) {
                throw Errors.storageFull();
            }
            if (registry.allCabinetsOffline(r.groupId())) {
                throw Errors.groupUnavailable();
            }
            String explanation = null;
            for (int round = 0; round < 20; round++) {
                Allocation allocation = allocate(r.groupId(), r, Set.of());
                explanation = allocation.explanation();
                List<CompartmentRow> candidates = candidates(r.groupId(), allocation);
                if (candidates.isEmpty()) {
                    break;
                }
                String why = explanation;
                SendOrderRow placed = env.store().write("send.order", tx -> {
                    Connection c = tx.connection();
                    if (Db.count(c, "SELECT COUNT(*) FROM send_order WHERE order_id = ?", r.orderId()) > 0) {
                        throw duplicate(r.orderId());
                    }
                    for (CompartmentRow row : candidates) {
                        if (!Tables.moveCompartment(c, row, CompartmentState.RESERVED, r.orderId())) {
                            continue;
                        }
                        return insert(tx, r, group, row, actor, why);
                    }
                    return null;
                });
                if (placed != null) {
                    return placed.toApi();
                }
            }
            Map<String, Object> extra = new HashMap<>();
            if (explanation != null) {
                extra.put("explanation", explanation);
            }
            suggestions.forGroup(r.groupId(), r.size()).ifPresent(s -> extra.put("suggest", Suggestions.asExtra(s)));
            throw Errors.of(Kind.CONFLICT, "full", "柜组已满，没有合适的空格口寄件", "The group is full: no free "
                    + "compartment fits the send order", extra);
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    private SendOrderRow insert(StoreTx tx, SendOrderRequest r, Definitions.Group group, CompartmentRow row,
            String actor, String explanation) throws SQLException {
        Connection c = tx.connection();
        Instant now = env.now();
        Issued code = issue(c, r.groupId());
        Db.update(c, "INSERT INTO send_order(order_id, group_id, compartment, company_code, state, created_at, kind, "
                + "cabinet_id, size_class, waybill, code_hmac, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.orderId(), r.groupId(), row.label(), r.companyCode(), SendOrderState.ORDERED, now, r.kind(),
                row.cabinetId(), row.size().name(), r.waybill(), code.hmac(), r.expiresAt());
        SendOrderRow order = row(c, r.orderId(), false).orElseThrow();
        env.events().outbox(tx, Stream.EVENTS, "send.ordered", now, Json.obj("orderId", order.orderId(), "kind",
                order.kind().name(), "groupId", order.groupId(), "cabinetId", order.cabinetId(), "compartment",
                order.compartment(), "size", order.size().name(), "companyCode", order.companyCode(), "waybill",
                order.waybill(), "expiresAt", env.iso(order.expiresAt()), "ts", env.iso(now)));
        // the only place the clear send code is kept (erased once the cloud confirmed the row, R8)
        env.events().outbox(tx, Stream.EVENTS, "notification.requested", now, Json.obj("purpose", "send", "orderId",
                order.orderId(), "kind", order.kind().name(), "groupId", order.groupId(), "cabinetId",
                order.cabinetId(), "compartment", order.compartment(), "code", code.code(), "companyCode",
                order.companyCode(), "expiresAt", env.iso(order.expiresAt()), "lockerName", group.name(),
                "lockerAddress", group.info().address()));
        tx.audit(now, actor, "send.ordered", order.orderId(), order.key() + " (" + order.size() + ", needed "
                + r.size() + ", " + order.kind() + " for " + order.companyCode() + ")"
                + (explanation == null ? "" : "; " + explanation));
        env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "RESERVED");
        return order;
    }

    @Override
    public SendOrder cancel(String orderId, String reason, String actor) throws LockerException {
        String why = reason == null || reason.isBlank() ? "cancelled" : reason.strip();
        try {
            return env.store().write("send.cancel", tx -> {
                SendOrderRow order = row(tx.connection(), orderId == null ? "" : orderId, true)
                        .orElseThrow(() -> Errors.notFound("send order " + orderId));
                if (order.state() != SendOrderState.ORDERED) {
                    throw Errors.of(Kind.CONFLICT, "not_cancellable", "寄件订单状态为 " + order.state() + "，不能取消",
                            "The send order is " + order.state() + ": only ORDERED orders can be cancelled",
                            Errors.extra("state", order.state().name()));
                }
                CompartmentRow row = Tables.compartment(tx.connection(), order.groupId(), order.compartment(), true)
                        .orElse(null);
                if (row != null && !row.doorClosed() && order.orderId().equals(row.parcelId())) {
                    throw Errors.of(Kind.CONFLICT, "door_open", "寄件格口门正开着，请稍后再取消",
                            "The send order's door is open (a drop-off in progress); cancel later");
                }
                cancel(tx, order, row, why, actor);
                return row(tx.connection(), order.orderId(), false).orElseThrow().toApi();
            });
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    private void cancel(StoreTx tx, SendOrderRow order, CompartmentRow row, String reason, String actor)
            throws SQLException {
        Connection c = tx.connection();
        Instant now = env.now();
        move(c, order, SendOrderState.CANCELLED, now);
        if (row != null && row.state() == CompartmentState.RESERVED && order.orderId().equals(row.parcelId())) {
            Tables.moveCompartment(c, row, CompartmentState.FREE, null);
            env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "FREE");
        }
        env.events().outbox(tx, Stream.EVENTS, "send.cancelled", now, Json.obj("orderId", order.orderId(), "kind",
                order.kind().name(), "groupId", order.groupId(), "cabinetId", order.cabinetId(), "compartment",
                order.compartment(), "companyCode", order.companyCode(), "reason", reason, "ts", env.iso(now)));
        tx.audit(now, actor, "send.cancelled", order.orderId(), order.key() + ": " + reason);
    }

    /** The timer: ORDERED orders past their expiry are cancelled and their compartments freed (door closed only). */
    public int expire(Instant now) throws StoreException, LockerException {
        List<SendOrderRow> due = env.store().read(tx -> Db.query(tx.connection(), "SELECT * FROM send_order WHERE "
                + "state = ? AND expires_at <= ?", SendOrderRow::map, SendOrderState.ORDERED, now));
        int n = 0;
        for (SendOrderRow o : due) {
            Boolean done = env.store().write("send.expire", tx -> {
                SendOrderRow order = row(tx.connection(), o.orderId(), true).orElse(null);
                if (order == null || order.state() != SendOrderState.ORDERED) {
                    return false;
                }
                CompartmentRow row = Tables.compartment(tx.connection(), order.groupId(), order.compartment(), true)
                        .orElse(null);
                if (row != null && !row.doorClosed() && order.orderId().equals(row.parcelId())) {
                    return false; // a drop-off in progress: its door-close decides
                }
                cancel(tx, order, row, "expired at " + env.iso(order.expiresAt()), "system");
                return true;
            });
            n += done ? 1 : 0;
        }
        return n;
    }

    // --- the resident's drop-off ---

    @Override
    public SendOpenResult drop(String groupId, String sendCode, String keypadId) throws LockerException {
        registry.group(groupId).orElseThrow(() -> Errors.unknownGroup(groupId));
        String keypad = groupId + "#send#" + (keypadId == null || keypadId.isBlank() ? "kiosk" : keypadId.strip());
        Instant now = env.now();
        Instant lock = keypads.lockedUntil(keypad, now);
        if (lock != null) {
            throw Errors.locked(env.isoMillis(lock));
        }
        keypads.recordAttempt(keypad, now);
        try {
            byte[] mac = CodeHasher.wellFormed(sendCode) ? hasher.hmac(sendCode) : null;
            Optional<SendOrderRow> found = mac == null ? Optional.empty()
                    : env.store().read(tx -> Db.one(tx.connection(), "SELECT * FROM send_order WHERE group_id = ? "
                            + "AND code_hmac = ? AND state = ?", SendOrderRow::map, groupId,
                            java.util.HexFormat.of().formatHex(mac), SendOrderState.ORDERED))
                            .filter(o -> CodeHasher.matches(o.codeHmac(), mac));
            if (found.isEmpty() || !found.get().expiresAt().isAfter(now)) {
                keypads.recordFailure(keypad, now);
                Instant until = keypads.lockedUntil(keypad, now);
                throw until != null ? Errors.locked(env.isoMillis(until))
                        : Errors.wrongCode(keypads.attemptsLeft(keypad, now));
            }
            keypads.reset(keypad);
            if (!cameraOk(groupId)) {
                throw cameraOffline(groupId);
            }
            return open(found.get(), "keypad:" + keypad);
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    /** Opens the order's reserved compartment; a jammed door moves the order to another free compartment. */
    private SendOpenResult open(SendOrderRow first, String actor) throws StoreException, LockerException {
        SendOrderRow order = first;
        Set<String> jammed = new HashSet<>();
        for (int attempt = 0; attempt < MAX_DROP_TRIES; attempt++) {
            AttachedCabinet cabinet = registry.cabinet(order.cabinetId()).orElse(null);
            if (cabinet == null || cabinet.driver() == null || !cabinet.online()) {
                throw Errors.unavailable();
            }
            Unlocker.Result outcome = unlocker.unlock(order.groupId(), order.cabinetId(), order.compartment());
            if (outcome.opened()) {
                SendOrderRow o = order;
                env.store().write("send.drop_opened", tx -> {
                    Instant now = env.now();
                    Db.update(tx.connection(), "UPDATE compartment SET door_closed = FALSE, door_opened_at = "
                            + "COALESCE(door_opened_at, ?), uses = uses + 1 WHERE group_id = ? AND label = ? AND "
                            + "parcel_id = ?", now, o.groupId(), o.compartment(), o.orderId());
                    tx.audit(now, actor, "compartment.opened", o.key(), outcome.wireName() + " for drop-off of send "
                            + "order " + o.orderId());
                    return null;
                });
                return new SendOpenResult(order.orderId(), order.cabinetId(), order.compartment(),
                        outcome.wireName());
            }
            if (outcome != Unlocker.Result.JAMMED) {
                throw Errors.unavailable();
            }
            jammed.add(order.compartment());
            order = moveAfterJam(order, jammed);
            if (order == null) {
                break;
            }
        }
        throw Errors.of(Kind.UNAVAILABLE, "door_jammed", "寄件格口门未能打开，请联系物业",
                "The send compartment's door did not open; please call the property office");
    }

    /** The jammed compartment becomes FAULT ({@code door_jammed}); the order moves to another free one, or null. */
    private SendOrderRow moveAfterJam(SendOrderRow order, Set<String> excluded) throws StoreException,
            LockerException {
        Allocation allocation = allocate(order.groupId(), new SendOrderRequest(order.orderId(), order.kind(),
                order.groupId(), order.size(), order.companyCode(), order.expiresAt(), order.waybill()), excluded);
        List<CompartmentRow> candidates = candidates(order.groupId(), allocation);
        return env.store().write("send.moved", tx -> {
            Connection c = tx.connection();
            Instant now = env.now();
            SendOrderRow current = row(c, order.orderId(), true).orElseThrow();
            CompartmentRow old = Tables.compartment(c, order.groupId(), order.compartment(), true).orElse(null);
            if (old != null && old.state() == CompartmentState.RESERVED && order.orderId().equals(old.parcelId())) {
                Tables.moveCompartment(c, old, CompartmentState.FAULT, null);
                alarms.raise(tx, AlarmType.DOOR_JAMMED, old.groupId(), old.cabinetId(), old.label(),
                        "寄件时格口 " + old.label() + " 门未打开 / Door of compartment " + old.label()
                                + " did not open for a send drop-off");
                tx.audit(now, "system", "compartment.fault", old.key(), "jammed during send drop-off "
                        + order.orderId());
                env.events().compartment(tx, old.groupId(), old.cabinetId(), old.label(), "FAULT");
            }
            for (CompartmentRow row : candidates) {
                if (Tables.moveCompartment(c, row, CompartmentState.RESERVED, order.orderId())) {
                    Db.update(c, "UPDATE send_order SET cabinet_id = ?, compartment = ?, size_class = ?, version = "
                            + "version + 1 WHERE order_id = ?", row.cabinetId(), row.label(), row.size().name(),
                            order.orderId());
                    tx.audit(now, "system", "send.moved", order.orderId(), old == null ? row.key()
                            : old.key() + " -> " + row.key());
                    env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "RESERVED");
                    return row(c, order.orderId(), false).orElseThrow();
                }
            }
            // nowhere to go: the order keeps its (now FAULT) compartment until staff repair it or it expires
            Db.update(c, "UPDATE send_order SET version = version + 1 WHERE order_id = ?", current.orderId());
            return null;
        });
    }

    /**
     * The door of a RESERVED compartment closed (inside the cabinet event's transaction): with the item in, the
     * order is DROPPED and the compartment OCCUPIED; empty, the order stays ORDERED (the resident may try again).
     *
     * @return false when the compartment is not held by a send order
     */
    public boolean closedReserved(StoreTx tx, CompartmentRow row, boolean wasOpen, boolean present, String actor)
            throws SQLException {
        SendOrderRow order = row.parcelId() == null ? null : row(tx.connection(), row.parcelId(), true).orElse(null);
        if (order == null) {
            return false;
        }
        if (!wasOpen || order.state() != SendOrderState.ORDERED) {
            return true;
        }
        Instant now = env.now();
        if (!present) {
            tx.audit(now, actor, "send.drop_empty", order.orderId(), row.key() + " closed without an item; the order "
                    + "stays ORDERED");
            return true;
        }
        Connection c = tx.connection();
        move(c, order, SendOrderState.DROPPED, now);
        Db.update(c, "UPDATE send_order SET dropped_at = ?, code_hmac = NULL WHERE order_id = ?", now,
                order.orderId());
        Tables.moveCompartment(c, row, CompartmentState.OCCUPIED, order.orderId());
        Db.update(c, "UPDATE compartment SET occupied_since = ?, item_present = TRUE WHERE group_id = ? AND label = ?",
                now, row.groupId(), row.label());
        env.events().outbox(tx, Stream.EVENTS, "send.dropped", now, Json.obj("orderId", order.orderId(), "kind",
                order.kind().name(), "groupId", order.groupId(), "cabinetId", row.cabinetId(), "compartment",
                row.label(), "size", row.size().name(), "companyCode", order.companyCode(), "waybill",
                order.waybill(), "droppedAt", env.iso(now)));
        tx.audit(now, actor, "send.dropped", order.orderId(), row.key() + " (" + order.kind() + " for "
                + order.companyCode() + ")");
        alarms.clear(tx, AlarmType.ITEM_MISSING, row.groupId(), row.cabinetId(), row.label());
        env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "OCCUPIED");
        return true;
    }

    // --- the courier's collection ---

    @Override
    public List<SendOrder> collectionList(String groupId, String token) throws LockerException {
        registry.group(groupId).orElseThrow(() -> Errors.unknownGroup(groupId));
        CourierSessions.Session session = sessions.require(groupId, token);
        return orders(session.companyCode(), groupId, List.of(SendOrderState.DROPPED), 1000);
    }

    @Override
    public SendOpenResult collect(String groupId, String token, String orderId) throws LockerException {
        registry.group(groupId).orElseThrow(() -> Errors.unknownGroup(groupId));
        CourierSessions.Session session = sessions.require(groupId, token);
        if (orderId == null || orderId.isBlank()) {
            throw Errors.badRequest("bad_request", "缺少寄件订单号", "orderId is required");
        }
        String actor = "courier:" + session.courierId();
        try {
            SendOrderRow order = env.store().read(tx -> row(tx.connection(), orderId, false))
                    .filter(o -> o.groupId().equals(groupId))
                    .orElseThrow(() -> Errors.notFound("send order " + orderId));
            checkCollect(order, session);
            AttachedCabinet cabinet = registry.cabinet(order.cabinetId()).orElse(null);
            if (cabinet == null || cabinet.driver() == null || !cabinet.online()) {
                throw Errors.unavailable();
            }
            CompartmentState prior = env.store().write("send.collect_open", tx -> {
                Connection c = tx.connection();
                SendOrderRow current = row(c, orderId, true).orElseThrow();
                checkCollect(current, session);
                CompartmentRow row = Tables.compartment(c, groupId, current.compartment(), true)
                        .orElseThrow(() -> Errors.notFound("compartment " + current.key()));
                if (row.state() == CompartmentState.FAULT) {
                    throw doorJammed();
                }
                if (!orderId.equals(row.parcelId()) || !(row.state() == CompartmentState.OCCUPIED
                        || row.state() == CompartmentState.DISABLED)) {
                    throw Errors.busy(row.label());
                }
                Tables.moveCompartment(c, row, CompartmentState.OPENING, orderId);
                Db.update(c, "UPDATE send_order SET collected_by = ?, version = version + 1 WHERE order_id = ?",
                        session.courierId(), orderId);
                tx.audit(env.now(), actor, "send.collecting", orderId, row.key() + " (" + current.kind() + ", company "
                        + current.companyCode() + ")");
                env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "OPENING");
                return row.state();
            });
            // the intent only carries the state to return to (DISABLED); the store decides what the close means
            intents.put(order.key(), new OpenIntents.Intent(OpenIntents.Kind.PICKUP, orderId,
                    prior == CompartmentState.DISABLED ? CompartmentState.DISABLED : null, actor));
            Unlocker.Result outcome = unlocker.unlock(groupId, order.cabinetId(), order.compartment());
            if (outcome.opened()) {
                env.store().write("send.collect_opened", tx -> {
                    Db.update(tx.connection(), "UPDATE compartment SET door_closed = FALSE, door_opened_at = "
                            + "COALESCE(door_opened_at, ?), uses = uses + 1 WHERE group_id = ? AND label = ?",
                            env.now(), groupId, order.compartment());
                    tx.audit(env.now(), actor, "compartment.opened", order.key(), outcome.wireName()
                            + " for collection of send order " + orderId);
                    return null;
                });
                return new SendOpenResult(orderId, order.cabinetId(), order.compartment(), outcome.wireName());
            }
            intents.remove(order.key());
            env.store().write("send.collect_failed", tx -> {
                Connection c = tx.connection();
                CompartmentRow row = Tables.compartment(c, groupId, order.compartment(), true).orElseThrow();
                if (row.state() != CompartmentState.OPENING) {
                    return null;
                }
                if (outcome == Unlocker.Result.JAMMED) {
                    Tables.moveCompartment(c, row, CompartmentState.FAULT, row.parcelId());
                    alarms.raise(tx, AlarmType.DOOR_JAMMED, row.groupId(), row.cabinetId(), row.label(),
                            "快递员揽收时格口 " + row.label() + " 门未打开 / Door of compartment " + row.label()
                                    + " did not open for a send collection");
                    tx.audit(env.now(), "system", "compartment.fault", row.key(), "jammed during send collection "
                            + orderId);
                    env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "FAULT");
                } else {
                    Tables.moveCompartment(c, row, prior, row.parcelId());
                    tx.audit(env.now(), "system", "compartment.unlock_failed", row.key(), "no answer for send "
                            + "collection " + orderId);
                    env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), prior.name());
                }
                return null;
            });
            throw outcome == Unlocker.Result.JAMMED ? doorJammed() : Errors.unavailable();
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    /**
     * The door of an OPENING compartment closed (inside the cabinet event's transaction): a DROPPED order whose door
     * closes empty is COLLECTED and the compartment FREE (or DISABLED if it was); with the item still in, it stays
     * DROPPED and OCCUPIED. Works without in-memory intent, so a restart between open and close loses nothing.
     *
     * @param resume the state the compartment returns to (DISABLED), or null for by content
     * @return false when the compartment is not held by a send order
     */
    public boolean closedOpening(StoreTx tx, CompartmentRow row, boolean present, CompartmentState resume,
            String actor) throws SQLException {
        SendOrderRow order = row.parcelId() == null ? null : row(tx.connection(), row.parcelId(), true).orElse(null);
        if (order == null || order.state() != SendOrderState.DROPPED) {
            return false;
        }
        Connection c = tx.connection();
        Instant now = env.now();
        String by = order.collectedBy() != null ? "courier:" + order.collectedBy() : actor;
        if (present) {
            CompartmentState to = resume == CompartmentState.DISABLED ? CompartmentState.DISABLED
                    : CompartmentState.OCCUPIED;
            Tables.moveCompartment(c, row, to, order.orderId());
            tx.audit(now, by, "send.collect_not_taken", order.orderId(), row.key() + " closed with the parcel still in:"
                    + " the order stays DROPPED");
            return true;
        }
        move(c, order, SendOrderState.COLLECTED, now);
        CompartmentState to = resume == CompartmentState.DISABLED ? CompartmentState.DISABLED : CompartmentState.FREE;
        Tables.moveCompartment(c, row, to, null);
        Db.update(c, "UPDATE compartment SET occupied_since = NULL WHERE group_id = ? AND label = ?", row.groupId(),
                row.label());
        env.events().outbox(tx, Stream.EVENTS, "send.collected", now, Json.obj("orderId", order.orderId(), "kind",
                order.kind().name(), "groupId", order.groupId(), "cabinetId", row.cabinetId(), "compartment",
                row.label(), "companyCode", order.companyCode(), "courierId", order.collectedBy(), "waybill",
                order.waybill(), "collectedAt", env.iso(now)));
        tx.audit(now, by, "send.collected", order.orderId(), row.key() + " (" + order.kind() + ")");
        alarms.clearAll(tx, row.groupId(), row.cabinetId(), row.label(), AlarmType.ITEM_LEFT);
        env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), to.name());
        return true;
    }

    private static void checkCollect(SendOrderRow order, CourierSessions.Session session) throws LockerException {
        if (!order.companyCode().equals(session.companyCode())) {
            throw Errors.of(Kind.FORBIDDEN, "forbidden", "该寄件订单不属于您的快递公司",
                    "This send order belongs to another courier company");
        }
        if (order.state() != SendOrderState.DROPPED) {
            throw Errors.of(Kind.CONFLICT, "not_collectable", "寄件订单状态为 " + order.state() + "，不能揽收",
                    "The send order is " + order.state() + ": only DROPPED orders can be collected",
                    Errors.extra("state", order.state().name()));
        }
    }

    // --- reads ---

    @Override
    public Optional<SendOrder> order(String orderId) {
        try {
            return env.store().read(tx -> row(tx.connection(), orderId == null ? "" : orderId, false))
                    .map(SendOrderRow::toApi);
        } catch (StoreException | LockerException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<SendOrder> orders(String companyCode, String groupId, List<SendOrderState> states, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM send_order WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (companyCode != null) {
            sql.append(" AND company_code = ?");
            args.add(companyCode);
        }
        if (groupId != null) {
            sql.append(" AND group_id = ?");
            args.add(groupId);
        }
        if (states != null && !states.isEmpty()) {
            sql.append(" AND state IN (").append(Db.marks(states.size())).append(')');
            args.addAll(states);
        }
        sql.append(" ORDER BY created_at DESC, order_id LIMIT ?");
        args.add(Math.max(1, Math.min(limit, 10_000)));
        try {
            return env.store().read(tx -> Db.query(tx.connection(), sql.toString(), SendOrderRow::map,
                    args.toArray())).stream().map(SendOrderRow::toApi).toList();
        } catch (StoreException | LockerException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean cameraOk(String groupId) {
        try {
            return env.store().read(tx -> Db.count(tx.connection(), "SELECT COUNT(*) FROM alarm WHERE type = ? AND "
                    + "group_id = ? AND cleared_at IS NULL", AlarmType.CAMERA_OFFLINE.wireName(), groupId)) == 0;
        } catch (StoreException | LockerException e) {
            return false; // unknown camera state: refuse sending rather than accept it unwatched
        }
    }

    // --- helpers ---

    private Allocation allocate(String groupId, SendOrderRequest r, Set<String> excluded) throws StoreException,
            LockerException {
        List<CompartmentRow> rows = env.store().read(tx -> Tables.compartments(tx.connection(), groupId));
        Set<String> offline = new HashSet<>(registry.offlineCabinets(groupId));
        Set<String> skip = new HashSet<>(excluded);
        List<Compartment> all = new ArrayList<>();
        for (CompartmentRow row : rows) {
            all.add(row.toApi());
            if (offline.contains(row.cabinetId())) {
                skip.add(row.label());
            }
        }
        return policies.allocation().allocate(new AllocationRequest(groupId, SHARED_POOL, r.size(), false, skip), all);
    }

    private List<CompartmentRow> candidates(String groupId, Allocation allocation)
            throws StoreException, LockerException {
        Map<String, CompartmentRow> byLabel = new HashMap<>();
        for (CompartmentRow row : env.store().read(tx -> Tables.compartments(tx.connection(), groupId))) {
            byLabel.put(row.label(), row);
        }
        return allocation.candidates().stream().map(c -> byLabel.get(c.label()))
                .filter(row -> row != null && row.state() == CompartmentState.FREE).toList();
    }

    private record Issued(String code, String hmac) {
        @Override
        public String toString() {
            return "Issued[" + hmac.substring(0, 6) + "…]";
        }
    }

    /** A send code unique among the group's open send orders and in-locker parcels' pickup codes. */
    private Issued issue(Connection c, String groupId) throws SQLException {
        for (int attempt = 0; attempt < 100; attempt++) {
            String code = hasher.newCode();
            String hmac = hasher.hmacHex(code);
            if (Db.count(c, "SELECT COUNT(*) FROM send_order WHERE group_id = ? AND code_hmac = ? AND state = 'ORDERED'",
                    groupId, hmac) == 0 && Db.count(c, "SELECT COUNT(*) FROM parcel WHERE group_id = ? AND "
                            + "code_hmac = ? AND closed_at IS NULL", groupId, hmac) == 0) {
                return new Issued(code, hmac);
            }
        }
        throw new SQLException("no unique send code after 100 attempts in group " + groupId);
    }

    static Optional<SendOrderRow> row(Connection c, String orderId, boolean forUpdate) throws SQLException {
        return Db.one(c, "SELECT * FROM send_order WHERE order_id = ?" + (forUpdate ? " FOR UPDATE" : ""),
                SendOrderRow::map, orderId);
    }

    private static void move(Connection c, SendOrderRow order, SendOrderState to, Instant now) throws SQLException {
        SendOrderMachine.check(order.state(), to);
        int n = Db.update(c, "UPDATE send_order SET state = ?, closed_at = ?, version = version + 1 WHERE order_id = ? "
                + "AND state = ?", to, SendOrderMachine.terminal(to) ? now : null, order.orderId(), order.state());
        if (n != 1) {
            throw new SQLException("send order " + order.orderId() + " changed concurrently (expected "
                    + order.state() + ")");
        }
    }

    private static void validate(SendOrderRequest r) throws LockerException {
        if (r == null) {
            throw Errors.badRequest("bad_request", "缺少寄件订单", "No send order given");
        }
        if (r.orderId() == null || !ID.matcher(r.orderId()).matches()) {
            throw field("orderId", "须为 1–64 个字母、数字或 . _ : -", "must be 1-64 letters, digits or . _ : -");
        }
        if (r.kind() == null) {
            throw field("kind", "须为 SEND 或 RETURN", "must be SEND or RETURN");
        }
        if (r.groupId() == null || r.groupId().isBlank()) {
            throw field("groupId", "不能为空", "is required");
        }
        if (r.size() == null) {
            throw field("size", "须为 S、M 或 L", "must be S, M or L");
        }
        if (r.companyCode() == null || !COMPANY.matcher(r.companyCode()).matches()) {
            throw field("companyCode", "须为 1–32 个字母、数字、_ 或 -", "must be 1-32 letters, digits, _ or -");
        }
        if (r.expiresAt() == null) {
            throw field("expiresAt", "不能为空", "is required");
        }
        if (r.waybill() != null && (r.waybill().isBlank() || r.waybill().length() > 100)) {
            throw field("waybill", "最多 100 个字符", "must be 1-100 characters");
        }
        if (r.kind() == SendKind.RETURN && r.waybill() == null) {
            throw field("waybill", "退件须给出原运单号", "a return order needs the original parcel's waybill");
        }
    }

    private static LockerException field(String name, String zh, String en) {
        return Errors.of(Kind.BAD_REQUEST, "bad_request", name + " " + zh, name + " " + en,
                Errors.extra("field", name));
    }

    private static LockerException duplicate(String orderId) {
        return Errors.of(Kind.CONFLICT, "duplicate_order", "寄件订单 " + orderId + " 已存在，不重复处理",
                "Send order " + orderId + " already exists; a repeated order is refused",
                Errors.extra("orderId", orderId));
    }

    static LockerException cameraOffline(String groupId) {
        return Errors.of(Kind.FORBIDDEN, "camera_offline", "柜组 " + groupId + " 摄像头离线，按监管要求暂停寄件，"
                + "取件和投递不受影响", "The camera of group " + groupId + " is offline: by regulation sending from the "
                        + "locker is suspended until it is back; pickups and deliveries go on",
                Errors.extra("groupId", groupId));
    }

    private static LockerException doorJammed() {
        return Errors.of(Kind.UNAVAILABLE, "door_jammed", "格口门未能打开，请联系物业",
                "The door did not open; please call the property office");
    }
}
