package org.lockergate.core.internal.timer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.OutboxEvent.Stream;
import org.lockergate.api.spi.Allocation.Suggestion;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.db.CompartmentRow;
import org.lockergate.core.internal.db.Db;
import org.lockergate.core.internal.db.ParcelRow;
import org.lockergate.core.internal.events.Json;
import org.lockergate.core.internal.registry.AttachedCabinet;
import org.lockergate.core.internal.registry.Registry;
import org.lockergate.core.internal.registry.Suggestions;
import org.lockergate.store.StoreException;

/**
 * Emergency plan (R22): the in-locker parcels of a cabinet offline for longer than {@code redirectAfterMinutes},
 * or of a compartment FAULT that long, get one {@code parcel.redirected} outbox event naming the nearest other group
 * (with room for the parcel's size) or the service station, so the cloud can tell the recipients. When a compartment
 * went FAULT is known in memory only: after a restart its 30 minutes start again.
 */
final class EmergencyRedirect {

    static final String ACTION = "parcel.redirected";

    private final Env env;
    private final Registry registry;
    private final Suggestions suggestions;
    private final Markers redirected;
    private final Map<String, Instant> faultSince = new ConcurrentHashMap<>();

    EmergencyRedirect(Env env, Registry registry, Suggestions suggestions, Markers redirected) {
        this.env = env;
        this.registry = registry;
        this.suggestions = suggestions;
        this.redirected = redirected;
    }

    void check(Instant now) throws StoreException, LockerException {
        Instant before = now.minus(env.settings().redirectAfter());
        for (AttachedCabinet cabinet : registry.cabinets()) {
            if (!cabinet.online() && cabinet.offlineSince() != null && !cabinet.offlineSince().isAfter(before)) {
                redirect(cabinet.cabinetId(), null, "cabinet offline since " + env.iso(cabinet.offlineSince()), now);
            }
        }
        List<CompartmentRow> faults = env.store().read(tx -> Db.query(tx.connection(), "SELECT "
                + CompartmentRow.COLUMNS + " FROM compartment WHERE state = ?", CompartmentRow::map,
                CompartmentState.FAULT));
        Map<String, Instant> seen = new java.util.HashMap<>();
        for (CompartmentRow row : faults) {
            Instant since = faultSince.getOrDefault(row.key(), now);
            seen.put(row.key(), since);
            if (row.parcelId() != null && !since.isAfter(before)) {
                redirect(row.cabinetId(), row.label(), "compartment FAULT since " + env.iso(since), now);
            }
        }
        faultSince.keySet().retainAll(seen.keySet());
        faultSince.putAll(seen);
    }

    /** Redirects the in-locker parcels of a cabinet (or of one of its compartments) now; returns how many. */
    int redirect(String cabinetId, String label, String reason, Instant now) throws StoreException, LockerException {
        List<ParcelRow> parcels = env.store().read(tx -> Db.query(tx.connection(), "SELECT * FROM parcel WHERE "
                + "cabinet_id = ? AND state IN ('DEPOSITED', 'OVERDUE', 'RECALL_DUE')"
                + (label == null ? "" : " AND compartment = ?"), ParcelRow::map,
                label == null ? new Object[] {cabinetId} : new Object[] {cabinetId, label}));
        int count = 0;
        for (ParcelRow p : parcels) {
            if (redirected.done(p.parcelId())) {
                continue;
            }
            Suggestion to = suggestions.forGroup(p.groupId(), p.size()).orElse(null);
            Map<String, Object> target = to == null ? Map.of() : Suggestions.asExtra(to);
            env.store().write("parcel.redirect", tx -> {
                env.events().outbox(tx, Stream.EVENTS, ACTION, now, Json.obj("parcelId", p.parcelId(), "groupId",
                        p.groupId(), "cabinetId", p.cabinetId(), "compartment", p.compartment(), "phoneMasked",
                        p.phoneMasked(), "reason", reason, "to", target, "ts", env.iso(now)));
                tx.audit(now, "system", ACTION, p.parcelId(), reason + " -> " + (to == null ? "(nowhere configured)"
                        : to.station() ? "station " + to.name() : to.groupId() + " " + to.distanceM() + " m"));
                return null;
            });
            redirected.mark(p.parcelId());
            count++;
        }
        return count;
    }
}
