package org.lockergate.rules.internal.alloc;

import java.util.Comparator;
import org.lockergate.api.model.Compartment;

/** Cabinet, then door label in natural order ("2" before "10"), as the core's built-in allocation orders them. */
final class Natural {

    static final Comparator<Compartment> ORDER = Comparator.comparing(Compartment::cabinetId)
            .thenComparing(Compartment::label, Natural::compare);

    private Natural() {
    }

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                int cmp = compareNumbers(a, si, i, b, sj, j);
                if (cmp != 0) {
                    return cmp;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * The digit runs a[as..ae) and b[bs..be) as numbers of any length, without allocating (this comparator sorts
     * every allocation's candidates): leading zeros skipped, then the longer run is larger, then digit by digit.
     */
    private static int compareNumbers(String a, int as, int ae, String b, int bs, int be) {
        while (as < ae - 1 && a.charAt(as) == '0') {
            as++;
        }
        while (bs < be - 1 && b.charAt(bs) == '0') {
            bs++;
        }
        if (ae - as != be - bs) {
            return Integer.compare(ae - as, be - bs);
        }
        for (; as < ae; as++, bs++) {
            int cmp = Character.compare(a.charAt(as), b.charAt(bs));
            if (cmp != 0) {
                return Integer.signum(cmp);
            }
        }
        return 0;
    }
}
