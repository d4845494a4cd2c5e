package org.lockergate.rules.internal.alloc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.Parcel;
import org.lockergate.api.model.ParcelState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CompanyOf} through the core's {@link LockerQueries}: a read per unknown parcel id (batched per group when
 * several are missing), then a cache — a parcel's company never changes, so the cache cannot go stale; entries of
 * parcels no longer in any compartment of the group are dropped.
 */
final class ParcelCompanies implements CompanyOf {

    private static final Logger LOG = LoggerFactory.getLogger(ParcelCompanies.class);
    private static final List<ParcelState> IN_LOCKER = List.of(ParcelState.RESERVED, ParcelState.DEPOSITED,
            ParcelState.OVERDUE, ParcelState.RECALL_DUE, ParcelState.HELD, ParcelState.REJECTED);

    private final Supplier<LockerQueries> queries;
    private final Map<String, Map<String, String>> byGroup = new ConcurrentHashMap<>();

    ParcelCompanies(Supplier<LockerQueries> queries) {
        this.queries = queries;
    }

    @Override
    public void prepare(String groupId, List<Compartment> compartments) {
        Map<String, String> cache = byGroup.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>());
        java.util.Set<String> present = new java.util.HashSet<>();
        int missing = 0;
        for (Compartment c : compartments) {
            if (c.parcelId() != null) {
                present.add(c.parcelId());
                if (!cache.containsKey(c.parcelId())) {
                    missing++;
                }
            }
        }
        cache.keySet().retainAll(present);
        LockerQueries q = queries.get();
        if (missing == 0 || q == null) {
            return;
        }
        try {
            if (missing > 1) {
                for (Parcel p : q.parcels(groupId, IN_LOCKER, Math.max(1000, compartments.size() * 2))) {
                    if (present.contains(p.parcelId()) && p.companyCode() != null) {
                        cache.put(p.parcelId(), p.companyCode());
                    }
                }
            }
            for (String id : present) {
                if (!cache.containsKey(id)) {
                    q.parcel(id).map(Parcel::companyCode).ifPresent(code -> cache.put(id, code));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("无法查询包裹所属快递公司，按共享部分计 / Cannot look up parcels' companies, counted against the shared "
                    + "part: {}", e.toString());
        }
    }

    @Override
    public String companyOf(Compartment c) {
        if (c.parcelId() == null) {
            return null;
        }
        Map<String, String> cache = byGroup.get(c.groupId());
        return cache == null ? null : cache.get(c.parcelId());
    }
}
