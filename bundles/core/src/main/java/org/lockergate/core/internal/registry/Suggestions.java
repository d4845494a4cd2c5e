package org.lockergate.core.internal.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.spi.Allocation.Suggestion;
import org.lockergate.core.internal.Env;
import org.lockergate.core.internal.db.Db;

/**
 * Where to go when a group is full or a cabinet failed (R11, R22): the nearest other configured group (haversine
 * on the configured coordinates) that has a free compartment of the size in an online cabinet, else the group's
 * service station.
 */
public final class Suggestions {

    private static final double EARTH_RADIUS_M = 6_371_008.8;

    private final Env env;
    private final Registry registry;

    public Suggestions(Env env, Registry registry) {
        this.env = env;
        this.registry = registry;
    }

    public Optional<Suggestion> forGroup(String groupId, SizeClass size) {
        Optional<Definitions.Group> from = registry.group(groupId);
        if (from.isEmpty()) {
            return Optional.empty();
        }
        Set<String> withRoom = groupsWithRoom(size);
        Suggestion best = null;
        Double lat = from.get().info().latitude();
        Double lon = from.get().info().longitude();
        if (lat != null && lon != null) {
            for (Definitions.Group other : registry.groups()) {
                if (other.groupId().equals(groupId) || other.info().latitude() == null
                        || other.info().longitude() == null || !withRoom.contains(other.groupId())) {
                    continue;
                }
                int metres = (int) Math.round(distanceM(lat, lon, other.info().latitude(), other.info().longitude()));
                if (best == null || metres < best.distanceM()) {
                    best = new Suggestion(other.groupId(), other.name(), metres, false);
                }
            }
        }
        if (best == null && from.get().stationName() != null) {
            best = new Suggestion(null, from.get().stationName(), -1, true);
        }
        return Optional.ofNullable(best);
    }

    /**
     * Groups where a deposit of this size could go now: a FREE compartment that holds the size, in a cabinet that is
     * online, in a group that is not paused. Offline cabinets' compartments are left out as allocation leaves them
     * out, so two groups whose cabinets are down never send couriers to each other.
     */
    private Set<String> groupsWithRoom(SizeClass size) {
        List<String> sizes = new java.util.ArrayList<>();
        for (SizeClass s : SizeClass.values()) {
            if (s.holds(size)) {
                sizes.add(s.name());
            }
        }
        try {
            List<String[]> free = env.store().read(tx -> Db.query(tx.connection(),
                    "SELECT DISTINCT c.group_id, c.cabinet_id FROM compartment c JOIN cabinet_group g "
                            + "ON g.group_id = c.group_id WHERE c.state = 'FREE' AND g.paused = FALSE "
                            + "AND c.size_class IN (" + Db.marks(sizes.size()) + ")",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, sizes.toArray()));
            Set<String> out = new HashSet<>();
            for (String[] row : free) {
                if (registry.cabinet(row[1]).map(AttachedCabinet::online).orElse(false)) {
                    out.add(row[0]);
                }
            }
            return out;
        } catch (Exception e) {
            return Set.of();
        }
    }

    /** Great-circle distance in metres (haversine). */
    public static double distanceM(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = Math.toRadians(lat2 - lat1);
        double dl = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** The JSON-friendly form of the {@code suggest} field. */
    public static java.util.Map<String, Object> asExtra(Suggestion s) {
        return s.station() ? java.util.Map.of("station", s.name())
                : java.util.Map.of("groupId", s.groupId(), "name", s.name(), "distanceM", s.distanceM());
    }
}
