package org.lockergate.core.internal.kiosk;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.DepositResult.Skipped;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerException.Kind;
import org.lockergate.api.model.AlarmType;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.Declaration;
import org.lockergate.api.model.ParcelState;
import org.lockergate.api.spi.Allocation;
import org.lockergate.api.spi.Allocation.Suggestion;
import org.lockergate.api.spi.AllocationRequest;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.Errors;
import org.lockergate.core.internal.alarm.Alarms;
import org.lockergate.core.internal.crypto.Masking;
import org.lockergate.core.internal.crypto.PhoneCipher;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.ParcelRow;
import org.lockergate.core.internal.db.Tables;
import org.lockergate.core.internal.policy.Policies;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.core.internal.registry.Suggestions;
import org.lockergate.store.StoreException;

/**
 * A courier's deposit (R1, R2, R11, R13, R22): checks, allocation, a reservation that never collides with a
 * concurrent one (the compartment row's state and version are in the UPDATE's WHERE clause; a lost race moves on to
 * the next candidate), then the unlock; a jammed door makes that compartment FAULT (with a {@code door_jammed}
 * alarm) and moves the parcel to the next candidate. The deposit completes later, when the door closes with the
 * item in ({@link CabinetEvents}).
 */
public final class DepositFlow {

    private static final int MAX_ROUNDS = 20;

    private enum Placed {
        PLACED, NONE, LOST
    }

    /** Where the parcel is reserved now. */
    private record Spot(String cabinetId, String label, String explanation) {
    }

    private final Env env;
    private final Registry registry;
    private final CourierSessions sessions;
    private final Policies policies;
    private final Suggestions suggestions;
    private final PhoneCipher cipher;
    private final Alarms alarms;
    private final Unlocker unlocker;
    private final SecureRandom random;
    /**
     * Serialises the allocation decision and the reservation per group: the decision (quota pools, R11) is taken
     * inside the reserve transaction on the rows that transaction reads, and no other deposit of the group decides
     * until it committed, so two couriers of one company cannot both take the last compartment of its pool.
     */
    private final Map<String, ReentrantLock> groupLocks = new ConcurrentHashMap<>();

    public DepositFlow(Env env, Registry registry, CourierSessions sessions, Policies policies,
            Suggestions suggestions, PhoneCipher cipher, Alarms alarms, Unlocker unlocker, SecureRandom random) {
        this.env = env;
        this.registry = registry;
        this.sessions = sessions;
        this.policies = policies;
        this.suggestions = suggestions;
        this.cipher = cipher;
        this.alarms = alarms;
        this.unlocker = unlocker;
        this.random = random;
    }

    public DepositResult deposit(String groupId, DepositRequest request) throws LockerException {
        registry.group(groupId).orElseThrow(() -> Errors.unknownGroup(groupId));
        if (request == null) {
            throw Errors.badRequest("bad_request", "缺少投递信息", "No deposit given");
        }
        CourierSessions.Session session = sessions.require(groupId, request.session());
        String phone = validate(request);
        if (request.consent() == null) {
            throw Errors.of(Kind.FORBIDDEN, "no_consent", "收件人未同意入柜，不能投递",
                    "The recipient has not agreed to locker delivery");
        }
        Declaration declared = request.declared() == null ? Declaration.NONE : request.declared();
        if (declared.excluded() && !declared.senderAgreed()) {
            throw Errors.of(Kind.FORBIDDEN, "excluded", "破损、重量不符、生鲜或贵重物品不能入柜（寄件人同意的除外）",
                    "Damaged, weight-mismatched, fresh or valuable parcels are refused unless the sender agreed");
        }
        try {
            if (paused(groupId)) {
                throw Errors.of(Kind.UNAVAILABLE, "paused", "柜组维护中，暂停投递", "Group under maintenance: deposits paused");
            }
            if (!env.store().storage().acceptsNewData()) {
                throw Errors.storageFull();
            }
            if (registry.allCabinetsOffline(groupId)) {
                throw Errors.groupUnavailable();
            }
            Draft draft = new Draft(newParcelId(), groupId, session, request, declared, phone);
            List<Skipped> skipped = new ArrayList<>();
            Set<String> excludedLabels = new HashSet<>();
            Set<String> excludedCabinets = new HashSet<>();
            Spot spot = place(draft, null, false, excludedLabels, excludedCabinets);
            if (spot == null) {
                Suggestion suggestion = suggestions.forGroup(groupId, request.size()).orElse(null);
                turnedAway(draft, suggestion);
                throw full(request, draft.explanation, suggestion);
            }
            while (true) {
                Unlocker.Result outcome = unlocker.unlock(groupId, spot.cabinetId(), spot.label());
                if (outcome.opened()) {
                    opened(draft, spot, outcome);
                    return new DepositResult(draft.parcelId, spot.cabinetId(), spot.label(), outcome.wireName(),
                            skipped, spot.explanation());
                }
                boolean jammed = outcome == Unlocker.Result.JAMMED;
                skipped.add(new Skipped(spot.label(), outcome.wireName()));
                excludedLabels.add(spot.label());
                if (!jammed) {
                    excludedCabinets.add(spot.cabinetId());
                }
                spot = place(draft, spot, jammed, excludedLabels, excludedCabinets);
                if (spot == null) {
                    throw Errors.of(Kind.UNAVAILABLE, "no_working_compartment", "没有能打开的格口，请联系物业",
                            "No compartment could be opened; please call the property office",
                            Map.of("skipped", skipped.stream().map(s -> Map.of("compartment", s.compartment(),
                                    "outcome", s.outcome())).toList()));
                }
            }
        } catch (StoreException e) {
            throw Errors.storeFailed(e);
        }
    }

    /** Everything the parcel row needs, computed once. */
    private final class Draft {
        final String parcelId;
        final String groupId;
        final CourierSessions.Session session;
        final DepositRequest request;
        final Declaration declared;
        final String phoneEnc;
        final String phoneMasked;
        boolean created;
        /** The allocation policy's last explanation (why this compartment, or why none). */
        String explanation;
        /** Why nothing was allocated: "full" (no free compartment fits) or "quota" (the pool refused). */
        String fullReason = "full";

        Draft(String parcelId, String groupId, CourierSessions.Session session, DepositRequest request,
                Declaration declared, String phone) {
            this.parcelId = parcelId;
            this.groupId = groupId;
            this.session = session;
            this.request = request;
            this.declared = declared;
            this.phoneEnc = cipher.encrypt(parcelId, phone);
            this.phoneMasked = Masking.phone(phone);
        }
    }

    /**
     * Reserves the first candidate that is still free (and, when moving on, releases the previous compartment as
     * FAULT or FREE in the same transaction); returns null when no candidate is left (the parcel, if created, is
     * then cancelled).
     */
    private Spot place(Draft draft, Spot previous, boolean previousJammed, Set<String> excludedLabels,
            Set<String> excludedCabinets) throws StoreException, LockerException {
        AtomicBoolean released = new AtomicBoolean(previous == null);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Set<String> offline = new HashSet<>(registry.offlineCabinets(draft.groupId));
            offline.addAll(excludedCabinets);
            Object[] won = new Object[1];
            Allocation[] decided = new Allocation[1];
            ReentrantLock groupLock = groupLocks.computeIfAbsent(draft.groupId, g -> new ReentrantLock());
            groupLock.lock(); // one quota decision per group at a time, whatever the store's write concurrency
            Placed placed;
            try {
                placed = env.store().write(previous == null ? "deposit.reserve" : "deposit.move", tx -> {
                    Connection c = tx.connection();
                    Instant now = env.now();
                    if (!released.get()) {
                        release(tx, draft, previous, previousJammed, now);
                    }
                    // The quota decision is taken inside the write transaction, under the group's lock: the next
                    // deposit's decision already counts this reservation.
                    List<CompartmentRow> rows = Tables.compartments(c, draft.groupId);
                    Set<String> skip = new HashSet<>(excludedLabels);
                    Map<String, CompartmentRow> byLabel = new HashMap<>();
                    List<Compartment> all = new ArrayList<>();
                    for (CompartmentRow row : rows) {
                        byLabel.put(row.label(), row);
                        all.add(row.toApi());
                        if (offline.contains(row.cabinetId())) {
                            skip.add(row.label());
                        }
                    }
                    Allocation allocation = policies.allocation().allocate(new AllocationRequest(draft.groupId,
                            draft.session.companyCode(), draft.request.size(), draft.request.preferLow(), skip), all);
                    decided[0] = allocation;
                    draft.explanation = allocation.explanation();
                    List<CompartmentRow> candidates = allocation.candidates().stream()
                            .map(cand -> byLabel.get(cand.label()))
                            .filter(row -> row != null && row.state() == CompartmentState.FREE
                                    && !skip.contains(row.label()))
                            .toList();
                    if (candidates.isEmpty()) {
                        draft.fullReason = physicallyFull(rows, draft.request, skip) ? "full" : "quota";
                    }
                    for (CompartmentRow row : candidates) {
                        if (!Tables.moveCompartment(c, row, CompartmentState.RESERVED, draft.parcelId)) {
                            continue;
                        }
                        if (!draft.created) {
                            insertParcel(c, draft, row, now);
                        } else {
                            Db.update(c, "UPDATE parcel SET cabinet_id = ?, compartment = ?, version = version + 1 "
                                    + "WHERE parcel_id = ?", row.cabinetId(), row.label(), draft.parcelId);
                        }
                        tx.audit(now, "courier:" + draft.session.courierId(), previous == null ? "parcel.reserved"
                                : "parcel.moved", draft.parcelId, draft.groupId + "/" + row.label() + " (" + row.size()
                                        + ", needed " + draft.request.size() + ")"
                                        + (allocation.explanation() == null ? "" : "; " + allocation.explanation()));
                        env.events().compartment(tx, draft.groupId, row.cabinetId(), row.label(), "RESERVED");
                        env.events().parcel(tx, draft.groupId, row.cabinetId(), row.label(), draft.parcelId,
                                "RESERVED");
                        won[0] = row;
                        return Placed.PLACED;
                    }
                    if (candidates.isEmpty() && draft.created) {
                        cancel(tx, draft, now);
                    }
                    return candidates.isEmpty() ? Placed.NONE : Placed.LOST;
                });
            } finally {
                groupLock.unlock();
            }
            released.set(true);
            if (placed == Placed.PLACED) {
                draft.created = true;
                CompartmentRow row = (CompartmentRow) won[0];
                return new Spot(row.cabinetId(), row.label(), decided[0].explanation());
            }
            if (placed == Placed.NONE) {
                return null;
            }
        }
        if (draft.created) {
            env.store().write("deposit.cancel", tx -> {
                cancel(tx, draft, env.now());
                return null;
            });
        }
        return null;
    }

    private void release(org.lockergate.store.StoreTx tx, Draft draft, Spot previous, boolean jammed, Instant now)
            throws SQLException {
        CompartmentRow row = Tables.compartment(tx.connection(), draft.groupId, previous.label(), true).orElse(null);
        if (row == null || row.state() != CompartmentState.RESERVED || !draft.parcelId.equals(row.parcelId())) {
            return;
        }
        if (jammed) {
            Tables.moveCompartment(tx.connection(), row, CompartmentState.FAULT, null);
            alarms.raise(tx, AlarmType.DOOR_JAMMED, row.groupId(), row.cabinetId(), row.label(),
                    "格口 " + row.label() + " 开锁后门未打开 / Door of compartment " + row.label() + " did not open");
            tx.audit(now, "system", "compartment.fault", row.key(), "jammed during deposit " + draft.parcelId);
            env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "FAULT");
        } else {
            Tables.moveCompartment(tx.connection(), row, CompartmentState.FREE, null);
            tx.audit(now, "system", "compartment.released", row.key(), "no answer from cabinet " + row.cabinetId());
            env.events().compartment(tx, row.groupId(), row.cabinetId(), row.label(), "FREE");
        }
    }

    private void cancel(org.lockergate.store.StoreTx tx, Draft draft, Instant now) throws SQLException {
        ParcelRow parcel = Tables.parcel(tx.connection(), draft.parcelId, true).orElse(null);
        if (parcel != null && parcel.state() == ParcelState.RESERVED) {
            Tables.moveParcel(tx.connection(), parcel, ParcelState.CANCELLED, now);
            tx.audit(now, "system", "parcel.cancelled", draft.parcelId, "no compartment could be opened");
            env.events().parcel(tx, draft.groupId, parcel.cabinetId(), parcel.compartment(), draft.parcelId,
                    "CANCELLED");
        }
    }

    private void insertParcel(Connection c, Draft d, CompartmentRow row, Instant now) throws SQLException {
        DepositRequest r = d.request;
        Db.update(c, "INSERT INTO parcel(parcel_id, group_id, cabinet_id, compartment, size_class, waybill, "
                + "company_code, courier_id, phone_enc, phone_masked, state, consent_channel, consent_ref, consent_at, "
                + "fee_terms_accepted, declared, reserved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                d.parcelId, d.groupId, row.cabinetId(), row.label(), r.size().name(), r.waybill().strip(),
                d.session.companyCode(), d.session.courierId(), d.phoneEnc, d.phoneMasked, ParcelState.RESERVED,
                r.consent().channel(), r.consent().ref(), r.consent().at(), r.consent().feeTermsAccepted(),
                declared(d.declared), now);
    }

    private void opened(Draft draft, Spot spot, Unlocker.Result outcome) throws StoreException, LockerException {
        env.store().write("deposit.opened", tx -> {
            Instant now = env.now();
            Db.update(tx.connection(), "UPDATE compartment SET door_closed = FALSE, door_opened_at = COALESCE("
                    + "door_opened_at, ?), uses = uses + 1 WHERE group_id = ? AND label = ? AND parcel_id = ?", now,
                    draft.groupId, spot.label(), draft.parcelId);
            tx.audit(now, "courier:" + draft.session.courierId(), "compartment.opened", draft.groupId + "/"
                    + spot.label(), outcome.wireName() + " for deposit " + draft.parcelId);
            env.events().compartment(tx, draft.groupId, spot.cabinetId(), spot.label(), "RESERVED");
            return null;
        });
    }

    private LockerException full(DepositRequest request, String explanation, Suggestion suggestion) {
        Map<String, Object> extra = new HashMap<>();
        if (explanation != null) {
            extra.put("explanation", explanation); // why none: truly full, or the company's quota (R11)
        }
        if (suggestion != null) {
            extra.put("suggest", Suggestions.asExtra(suggestion));
        }
        return Errors.of(Kind.UNAVAILABLE, "full", "柜组已满，没有合适的空格口", "The group is full: no free compartment fits",
                extra);
    }

    /**
     * Records the deposit turned away (capacity planning: full-group events and the overflow to the suggested
     * group), durably and with an audit row, before the courier gets the {@code full} answer.
     */
    private void turnedAway(Draft draft, Suggestion suggestion) throws StoreException, LockerException {
        env.store().write("deposit.turned_away", tx -> {
            Instant now = env.now();
            Db.update(tx.connection(), "INSERT INTO turned_away(group_id, at, size_class, company_code, courier_id, "
                    + "reason, suggested_group_id, suggested_station) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", draft.groupId,
                    now, draft.request.size().name(), draft.session.companyCode(), draft.session.courierId(),
                    draft.fullReason, suggestion == null ? null : suggestion.groupId(),
                    suggestion != null && suggestion.station());
            tx.audit(now, "courier:" + draft.session.courierId(), "deposit.turned_away", draft.groupId,
                    draft.fullReason + " (" + draft.request.size() + ")" + (suggestion == null ? ""
                            : "; sent to " + (suggestion.station() ? "station " + suggestion.name()
                                    : "group " + suggestion.groupId())));
            return null;
        });
    }

    /** No free, usable compartment of the size or larger at all (as opposed to a quota refusal). */
    private static boolean physicallyFull(List<CompartmentRow> rows, DepositRequest request, Set<String> skip) {
        return rows.stream().noneMatch(r -> r.state() == CompartmentState.FREE && r.size().holds(request.size())
                && !skip.contains(r.label()) && r.doorClosed() && !r.itemPresent());
    }

    private boolean paused(String groupId) throws StoreException, LockerException {
        return env.store().read(tx -> Db.one(tx.connection(), "SELECT paused FROM cabinet_group WHERE group_id = ?",
                rs -> rs.getBoolean(1), groupId)).orElse(false);
    }

    private static String validate(DepositRequest r) throws LockerException {
        if (r.size() == null) {
            throw Errors.badRequest("bad_request", "缺少尺寸", "size is required (S, M or L)");
        }
        if (r.waybill() == null || r.waybill().isBlank() || r.waybill().strip().length() > 100) {
            throw Errors.badRequest("bad_request", "运单号无效", "waybill is required (at most 100 characters)");
        }
        String digits = r.phone() == null ? "" : Masking.digits(r.phone());
        if (digits.length() < 7 || digits.length() > 20) {
            throw Errors.badRequest("bad_request", "收件人手机号无效", "phone must have 7 to 20 digits");
        }
        return digits;
    }

    private static String declared(Declaration d) {
        List<String> parts = new ArrayList<>();
        if (d.damaged()) {
            parts.add("damaged");
        }
        if (d.weightMismatch()) {
            parts.add("weightMismatch");
        }
        if (d.fresh()) {
            parts.add("fresh");
        }
        if (d.valuable()) {
            parts.add("valuable");
        }
        if (d.senderAgreed()) {
            parts.add("senderAgreed");
        }
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }

    private String newParcelId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "P" + java.util.HexFormat.of().formatHex(bytes);
    }
}
