package org.lockergate.loadgen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The soak's invariants, checked on the gateway's database after it stopped ({@code soak.sh}): every deposit the
 * load acknowledged is stored, no compartment holds two parcels, no outbox stream has a gap or a seq out of order,
 * every compartment's state agrees with its parcel. Prints the counts and {@code RESULT soak.invariants ok|FAILED};
 * exits 1 when an invariant is broken.
 *
 * <p>{@code SoakCheck --db DATA/db/lockergate --acknowledged FILE}
 */
public final class SoakCheck {

    private SoakCheck() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String db = args.get("db", null);
        Path ackFile = Path.of(args.get("acknowledged", "acknowledged.txt"));
        List<String> broken = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db, "sa", "")) {
            Set<String> stored = new HashSet<>(column(c, "SELECT parcel_id FROM parcel"));
            List<String> acknowledged = Files.exists(ackFile) ? Files.readAllLines(ackFile) : List.of();
            long lost = acknowledged.stream().filter(id -> !id.isBlank() && !stored.contains(id)).count();
            System.out.printf(Locale.ROOT, "parcels stored %d, deposits acknowledged by the load %d, lost %d%n",
                    stored.size(), acknowledged.size(), lost);
            if (lost > 0) {
                broken.add(lost + " acknowledged deposits are not in the database");
            }
            System.out.println("parcel states: "
                    + column(c, "SELECT state || '=' || COUNT(*) FROM parcel GROUP BY state"
                    + " ORDER BY state"));
            List<String> doubles = column(c, "SELECT group_id || '/' || compartment || ' x' || COUNT(*) FROM parcel "
                    + "WHERE state IN ('RESERVED','DEPOSITED','OVERDUE','RECALL_DUE','HELD','REJECTED') "
                    + "GROUP BY group_id, compartment HAVING COUNT(*) > 1");
            if (!doubles.isEmpty()) {
                broken.add("double-booked compartments: " + doubles);
            }
            List<String> gaps = column(c, "SELECT stream || ': ' || COUNT(*) || ' rows, max seq ' || MAX(seq) "
                    + "|| ', min "
                    + "seq ' || MIN(seq) FROM outbox GROUP BY stream HAVING COUNT(*) <> MAX(seq) - MIN(seq) + 1");
            if (!gaps.isEmpty()) {
                broken.add("outbox gaps: " + gaps);
            }
            System.out.println("outbox: " + column(c, "SELECT stream || ' ' || COUNT(*) || ' events (seq ' || MIN(seq) "
                    + "|| '-' || MAX(seq) || ')' FROM outbox GROUP BY stream ORDER BY stream"));
            // an occupied compartment names a parcel in the locker; a parcel in the locker has its compartment
            List<String> mismatched = column(c, "SELECT p.parcel_id || ' ' || p.state || ' in ' || p.group_id || '/' "
                    + "|| p.compartment || ' (' || COALESCE(m.state, 'none') || ', holds ' || COALESCE(m.parcel_id, "
                    + "'nothing') || ')' FROM parcel p LEFT JOIN compartment m ON m.group_id = p.group_id AND "
                    + "m.label = p.compartment WHERE p.state IN ('DEPOSITED','OVERDUE','RECALL_DUE') AND "
                    + "(m.parcel_id IS NULL OR m.parcel_id <> p.parcel_id)");
            if (!mismatched.isEmpty()) {
                broken.add(mismatched.size() + " parcels in the locker whose compartment does not hold them, e.g. "
                        + mismatched.subList(0, Math.min(3, mismatched.size())));
            }
        }
        if (broken.isEmpty()) {
            System.out.println("invariants hold: nothing acknowledged lost, no compartment double-booked, outbox "
                    + "gap-free, compartments agree with their parcels");
            System.out.println("RESULT soak.invariants ok");
        } else {
            broken.forEach(b -> System.out.println("BROKEN: " + b));
            System.out.println("RESULT soak.invariants FAILED");
            System.exit(1);
        }
    }

    private static List<String> column(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
